"""The claim pre-check: domain function first, then the API and the page."""
import re
import datetime as dt

import pytest

from app.claims.lines import ClaimLine
from app.claims.precheck import check_claim
from tests.factories import AppealOutcome, AppealStrategy, PayerType, make_reports

TODAY = dt.date(2026, 9, 1)


def lines(*specs) -> list[ClaimLine]:
    """("20553", ("25",), 2) or just "20553"."""
    made = []
    for number, spec in enumerate(specs, start=1):
        code, modifiers, units = (spec, (), 1) if isinstance(spec, str) else spec
        made.append(ClaimLine(number, code, tuple(modifiers), units))
    return made


def findings(result, kind=None, severity=None):
    every = result.pair_findings + [f for line in result.lines for f in line.findings]
    return [f for f in every if (kind is None or f.kind == kind) and (severity is None or f.severity == severity)]


def test_20553_with_20552_is_the_ptp_edit_with_modifier_indicator_0(app):
    result = check_claim(lines("20553", "20552"), "medicare", today=TODAY)
    [pair] = result.pair_findings
    assert pair.severity == "denial"
    assert pair.details["column_one"] == "20553" and pair.details["column_two"] == "20552"
    assert pair.details["modifier_indicator"] == "0"
    assert "never billable together" in pair.message and "More extensive procedure" in pair.message
    assert pair.vintage.startswith("NCCI PTP 2024 Q2")
    assert "Bill 20553 alone" in pair.action
    assert "denied as billed" in result.verdict


def test_indicator_1_pair_says_whether_the_claim_carries_a_modifier(app):
    without = check_claim(lines("20611", "20610"), today=TODAY).pair_findings[0]
    assert without.severity == "warning" and without.details["modifier_indicator"] == "1"
    assert "carries no such modifier" in without.message and "XS" in without.action
    carried = check_claim(lines("20611", ("20610", ("XS",), 1)), today=TODAY).pair_findings[0]
    assert "already carries XS on 20610" in carried.message


def test_a_deleted_edit_is_said_to_no_longer_apply(app):
    [pair] = check_claim(lines("20552", "29220"), today=TODAY).pair_findings
    assert pair.severity == "info" and "deleted on 2009-12-31" in pair.message


def test_20553_times_2_units_exceeds_its_mue_of_1(app):
    result = check_claim(lines(("20553", (), 2)), today=TODAY)
    [mue] = findings(result, "mue")
    assert mue.severity == "denial"
    assert mue.details["max_units"] == 1 and mue.details["adjudication_indicator"] == "2"
    assert "per date of service" in mue.message and "2 units billed, the MUE is 1" in mue.message
    assert mue.vintage == "MUE practitioner 2026 Q2"
    assert "at most 1 unit of 20553" in mue.action


def test_date_of_service_mue_adds_units_across_lines(app):
    result = check_claim(lines("20553", ("20553", ("XS",), 1)), today=TODAY)
    assert [f.lines for f in findings(result, "mue")] == [[1, 2]]


def test_99213_25_with_20553_explains_the_modifier_25_rule(app):
    result = check_claim(lines(("99213", ("25",), 1), "20553"), "medicare", today=TODAY)
    visit = result.lines[0]
    [rule] = [f for f in visit.findings if f.kind == "modifier"]
    assert "significant, separately identifiable problem" in rule.message
    assert "20553 (000-day global)" in rule.message
    assert rule.vintage.startswith("CY2026")
    [pair] = result.pair_findings
    assert pair.details["column_two"] == "99213" and "already carries 25 on 99213" in pair.message


def test_visit_without_25_beside_a_minor_procedure_will_be_denied(app):
    result = check_claim(lines("99213", "20553"), today=TODAY)
    [rule] = [f for f in result.lines[0].findings if f.kind == "modifier"]
    assert rule.severity == "denial" and "add 25 to 99213" in rule.action
    assert "25" in result.pair_findings[0].action


def test_modifier_indicators_from_the_fee_schedule(app):
    result = check_claim(lines(("20553", ("50",), 1), ("20552", ("80", "26"), 1), ("76942", ("26",), 1)), today=TODAY)
    messages = " ".join(f.message for f in findings(result, "modifier"))
    assert "Modifier 50 on 20553: bilateral indicator 0" in messages
    assert "Modifier 80 on 20552: assistant at surgery indicator 1" in messages
    assert "Modifier 26 on 20552: PC/TC indicator 0" in messages
    assert "on 76942" not in messages  # 76942 has a published 26 row


def test_codes_with_no_data_say_so_per_code(app):
    """The shipped PTP rows name neither code and neither has a live dashboard; G2211 has no MUE."""
    result = check_claim(lines("G0283", "G2211"), "commercial", today=TODAY)
    no_data = findings(result, severity="no_data")
    for code in ("G0283", "G2211"):
        assert any(f.kind == "ptp" and f.message.startswith(f"No PTP data loaded for {code}") for f in no_data)
        assert any(f.kind == "crowd" and f.message == f"Not enough reports yet for {code}: no crowd denial figures."
                   for f in no_data)
    assert any(f.kind == "mue" and "No MUE loaded for G2211" in f.message for f in no_data)
    assert "not a clean bill of health" in result.verdict


def test_live_code_shows_the_crowds_top_denial_and_best_appeal(app):
    # Ten Medicare reports: a payer-type slice shows figures from a shown count of 10 (app/dashboards/disclosure.py).
    make_reports(10, 3, payer_type=PayerType.MEDICARE, strategy=AppealStrategy.MEDICAL_RECORDS,
                 outcome=AppealOutcome.WON)
    from app.dashboards.aggregates import refresh_aggregate
    refresh_aggregate("20553")
    result = check_claim(lines("20553"), "medicare", today=TODAY)
    crowd = result.lines[0].crowd
    assert crowd.live and crowd.scope == "Medicare (traditional)"
    assert crowd.top_denial.reason.startswith("CO-97") and crowd.top_denial.share == 1.0
    assert crowd.best_appeal.label == "Sent medical records" and crowd.best_appeal.success_rate > 0.7
    [finding] = findings(result, "crowd")
    assert "Most common denial: CO-97" in finding.message and "95% interval" in finding.message


def test_a_live_code_with_too_few_reports_of_the_payer_type_falls_back_to_all(app):
    make_reports(6, 3, payer_type=PayerType.MEDICARE, strategy=AppealStrategy.MEDICAL_RECORDS,
                 outcome=AppealOutcome.WON)
    from app.dashboards.aggregates import refresh_aggregate
    refresh_aggregate("20553")
    crowd = check_claim(lines("20553"), "medicare", today=TODAY).lines[0].crowd
    assert crowd.live and crowd.scope.startswith("all payer types; too few Medicare (traditional) reports")


def test_payment_at_the_state_locality_or_national_said_so(app):
    alabama = check_claim(lines(("20553", (), 1)), state="AL", today=TODAY)
    assert alabama.lines[0].payment.locality == "10112-00"
    texas = check_claim(lines("20553"), state="TX", today=TODAY)
    assert texas.lines[0].payment.locality is None and re.search(r"TX has \d+ Medicare localities", texas.locality_note)
    by_zip = check_claim(lines("20553"), zip_code="35203", today=TODAY)
    assert by_zip.lines[0].payment.locality == "10112-00" and "ALABAMA" in by_zip.locality_note.upper()
    unknown_zip = check_claim(lines("20553"), zip_code="00000", today=TODAY)
    assert unknown_zip.lines[0].payment.locality is None and "priced nationally" in unknown_zip.locality_note.lower()
    two = check_claim(lines(("20552", (), 2)), locality="10112-00", today=TODAY).lines[0].payment
    assert two.amount == two.amount_per_unit * 2


# ---------------------------------------------------------------------------------------- API and page

def test_api_check_answers_findings_per_line_and_pair(app):
    client = app.test_client()
    response = client.post("/api/v1/claims/check", json={
        "lines": [{"code": "20553", "units": 2}, {"code": "20552"}], "payer_type": "medicare", "state": "AL"})
    assert response.status_code == 200, response.json
    body = response.json
    assert body["pairs"][0]["details"]["modifier_indicator"] == "0"
    assert body["vintages"]["ncci_ptp"].startswith("NCCI PTP 2024 Q2")
    assert any(f["kind"] == "mue" and f["severity"] == "denial" for f in body["lines"][0]["findings"])
    assert body["lines"][0]["payment"]["locality"] == "10112-00"


@pytest.mark.parametrize("body, field", [
    ({"lines": []}, "lines"),
    ({"lines": [{"code": "2055"}]}, "lines"),
    ({"lines": [{"code": "20553", "units": 0}]}, "lines"),
    ({"lines": [{"code": "20553", "modifiers": ["XYZ"]}]}, "lines"),
    ({"lines": [{"code": "20553"}], "state": "ZZ"}, "state"),
    ({"lines": [{"code": "20553"}], "locality": "Alabama"}, "locality"),
])
def test_api_check_refuses_bad_input_by_field(client, body, field):
    response = client.post("/api/v1/claims/check", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_check_page_works_without_javascript(client):
    assert 'name="lines-5-code"' in client.get("/check").text
    more = client.post("/check", data={"lines-0-code": "20553", "add_line": "Add a line"})
    assert 'name="lines-6-code"' in more.text and 'value="20553"' in more.text
    checked = client.post("/check", data={"lines-0-code": "20553", "lines-0-units": "2", "lines-1-code": "99213",
                                          "lines-1-modifiers": "25", "setting": "non_facility", "check": "Check"})
    assert checked.status_code == 200
    assert "2 units billed, the MUE is 1" in checked.text
    assert "significant, separately identifiable problem" in checked.text


def test_check_page_names_the_bad_line(client):
    response = client.post("/check", data={"lines-0-code": "20553", "lines-1-code": "abc", "setting": "non_facility",
                                           "check": "Check"})
    assert response.status_code == 422 and "Line 2, code" in response.text


def test_openapi_documents_the_pre_check(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert "post" in paths["/api/v1/claims/check"]


def test_results_number_lines_as_the_form_shows_them_after_the_check(client):
    checked = client.post("/check", data={"lines-3-code": "G0283", "setting": "non_facility", "check": "Check"})
    assert "Line 1: G0283" in checked.text
    assert 'id="lines-0-code" name="lines-0-code" size="6" type="text" value="G0283"' in checked.text
    assert "No PTP data loaded for G0283: its pairs are unchecked." in checked.text


def test_the_page_stops_adding_lines_at_the_apis_limit(client):
    full = {f"lines-{i}-code": "" for i in range(50)} | {"add_line": "Add a line"}
    response = client.post("/check", data=full)
    assert response.status_code == 200 and 'name="lines-49-code"' in response.text
    assert 'name="lines-50-code"' not in response.text


def test_an_unknown_locality_prices_nationally_and_says_why(app):
    result = check_claim(lines("20553"), locality="99999-99", today=TODAY)
    assert result.lines[0].payment.amount is not None and result.lines[0].payment.locality is None
    assert result.locality_note.startswith("No GPCI loaded for locality 99999-99")


def test_crowd_evidence_never_shows_an_exact_small_count(app):
    make_reports(6, 3, payer_type=PayerType.MEDICARE)
    make_reports(2, 2, payer_type=PayerType.MEDICARE, carc="50", category=None)
    from app.dashboards.aggregates import refresh_aggregate
    refresh_aggregate("20553")
    response = app.test_client().post("/api/v1/claims/check", json={"lines": [{"code": "20553"}],
                                                                     "payer_type": "medicare"})
    crowd = response.json["lines"][0]["crowd"]
    small = [row for row in crowd["reasons"] if row["reason"].startswith("CO-50")]
    # The CARC names its category (issue 15): the row says so though these reports gave none.
    assert small == [{"reason": "CO-50 (Medical necessity)", "display": "fewer than 3", "share": None}]
    assert "CO-50 (Medical necessity) (fewer than 3 reports)" in crowd["summary"]
    assert '"count"' not in response.text
