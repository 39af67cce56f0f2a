"""The 835 reader and extraction, pure: the public samples against expected.json, and the varieties
real files come in (delimiters, line breaks, no envelope, several ST loops, malformed SVC)."""
import json
from decimal import Decimal
from pathlib import Path

import pytest

from app.remittance import NotAnX12File, RemittanceError, extract_drafts
from app.remittance.lines import read_remittance
from app.remittance.segments import find_delimiters

FIXTURES = Path(__file__).parent / "fixtures" / "835"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text())
SAMPLES = sorted(name for name in EXPECTED if not name.startswith("_"))


def sample(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="latin-1")


def expected_drafts(name: str) -> list[tuple]:
    """expected.json's denial records that can be reported: a readable HC code, not a reversal.
    Negative amounts (money given back) carry no denied amount."""
    rows = []
    for record in EXPECTED[name]["lines"]:
        if not record["denial"] or record["code"] is None or not record["in_scope"]:
            continue
        amount = Decimal(str(record["amount"]))
        rows.append((record["code"], tuple(record["modifiers"]), record["units"], record["group_code"], record["carc"],
                     tuple(record["rarc"]), record["service_month"], f"{amount:.2f}" if amount >= 0 else None))
    return rows


def drafted(text: str) -> list[tuple]:
    return [(d["code"], tuple(d["modifiers"]), d["units"], d["group_code"], d["carc"], tuple(d["rarc"]),
             d.get("denial_month"), d.get("denied_amount")) for d in extract_drafts(text).drafts]


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_agree_with_expected_json(name):
    assert drafted(sample(name)) == expected_drafts(name)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_non_denial_adjustment_is_skipped_with_a_reason(name):
    extraction = extract_drafts(sample(name))
    skipped = {(s.get("group_code"), s.get("carc"), s["reason"]) for s in extraction.skipped}
    for record in EXPECTED[name]["lines"]:
        if record["denial"] or record["code"] is None:
            continue
        reason = "reversal" if record["kind"] == "reversal_or_correction" else "not_a_denial"
        if record["claim_status"] == "22":
            assert any(s["reason"] == "reversal" and s.get("code") == record["code"] for s in extraction.skipped)
        else:
            assert (record["group_code"], record["carc"], reason) in skipped
    claim_level = [(s["group_code"], s["carc"], s["amount"], s.get("rarc", [])) for s in extraction.skipped if s["reason"] == "claim_level"]
    assert claim_level == [(c["group_code"], c["carc"], f"{Decimal(str(c['amount'])):.2f}", c["moa_rarc"])
                           for c in EXPECTED[name]["claim_level"]]


def test_payer_type_status_and_remarks_from_the_claim():
    remittance = read_remittance(sample("pyx12__835_mult_loops.txt"))
    assert {line.claim.payer_type for line in remittance.lines} == {"medicaid"}
    assert {line.claim.status for line in remittance.lines} == {"4"}
    assert [line.remarks for line in remittance.lines] == [["N14"]] * 3
    part_a = read_remittance(sample("linuxforhealth-x12__medicare-part-a.835"))
    assert [c.remarks for c in part_a.claims] == [[], ["MA02"]] and {c.payer_type for c in part_a.claims} == {"medicare"}
    assert read_remittance(sample("pyx12__835_simple.txt")).versions == {"004010X091A1"}


def test_malformed_svc_is_flagged_never_guessed():
    extraction = extract_drafts(sample("linuxforhealth-x12__tertiary-payment.835"))
    assert extraction.drafts == []
    (item,) = extraction.skipped
    assert item["reason"] == "unreadable_line" and "code" not in item and "24599" not in json.dumps(item)


def test_svc_with_another_component_separator_falls_back_and_warns():
    extraction = extract_drafts(sample("linuxforhealth-x12__secondary-payment.835"))
    assert [(d["code"], d["modifiers"]) for d in extraction.drafts] == [("12345", ["26"]), ("66543", ["26"])]
    assert {w["kind"] for w in extraction.warnings} == {"component_separator"}


BASE = sample("pyx12__835_mult_loops.txt")


def rewrite(text: str, element: str = "*", component: str = ":", terminator: str = "~", breaks: str = "") -> str:
    """The same file with other delimiters and line breaks (the ISA keeps its fixed layout)."""
    segments = [s.strip() for s in text.split("~") if s.strip()]
    out = []
    for segment in segments:
        if segment.startswith("ISA"):
            segment = segment[:-1] + component
        else:
            segment = segment.replace(":", component)
        out.append(segment.replace("*", element))
    return breaks.join(s + terminator for s in out) if breaks != "before" else "".join(s + "\n" + terminator for s in out)


@pytest.mark.parametrize("variant", [
    {"breaks": ""}, {"breaks": "\n"}, {"breaks": "\r\n"}, {"breaks": "before"},
    {"element": "|", "component": ">", "terminator": "\n"}, {"element": "!", "component": "\\", "terminator": "'"},
    {"component": ">"}, {"component": "|", "breaks": "\r\n"},
])
def test_delimiters_come_from_the_isa(variant):
    assert drafted("\n  \t" + rewrite(BASE, **variant)) == drafted(BASE)


def test_no_envelope_uses_the_defaults():
    body = BASE[BASE.index("ST*835"):BASE.index("GE*")]
    delimiters = find_delimiters(body)
    assert (delimiters.element, delimiters.component, delimiters.segment, delimiters.from_envelope) == ("*", ":", "~", False)
    assert drafted(body) == drafted(BASE)


def test_several_transaction_sets_in_one_file():
    body = BASE[BASE.index("ST*835"):BASE.index("GE*")]
    other = sample("linuxforhealth-x12__cob-contractural-adjustment.835")
    other_body = other[other.index("ST*835"):other.index("GE*")].replace("HC>", "HC:")
    both = BASE[:BASE.index("ST*835")] + body + other_body + BASE[BASE.index("GE*"):]
    remittance = read_remittance(both)
    assert remittance.transaction_sets == 2
    assert drafted(both) == drafted(BASE) + drafted(other)


CLAIM = ("ST*835*1~CLP*PCN1*{status}*100*0**{filing}*PAYERCLAIM~CAS*CO*16*10~NM1*QC*1*DOE*JANE****MI*ZQ7781X~"
         "SVC*HC:99213:25:59*100*0**2~DTM*472*20260105~CAS*CO*45*20**97*30**16*10~CAS*OA*23*5*1*B7*3*1*151*2*1*"
         "222*1*1*18*1*1~CAS*PR*1*1~LQ*HE*N56~LQ*HE*M80~LQ*RX*X1~SE*12*1~")


@pytest.mark.parametrize(("filing", "payer_type"), [
    ("MB", "medicare"), ("MA", "medicare"), ("16", "medicare_advantage"), ("MC", "medicaid"), ("CI", "commercial"),
    ("BL", "commercial"), ("HM", "commercial"), ("WC", "workers_comp"), ("CH", "tricare_va"), ("VA", "tricare_va"),
    ("ZZ", "other"), ("", "other"),
])
def test_claim_filing_indicator_gives_the_payer_type(filing, payer_type):
    assert {d["payer_type"] for d in extract_drafts(CLAIM.format(status="1", filing=filing)).drafts} == {payer_type}


def test_line_cas_with_six_triplets_and_claim_level_cas():
    extraction = extract_drafts(CLAIM.format(status="4", filing="MB"))
    pairs = [(d["group_code"], d["carc"], d["denied_amount"]) for d in extraction.drafts]
    assert pairs == [("CO", "97", "30.00"), ("CO", "16", "10.00"), ("OA", "23", "5.00"), ("OA", "B7", "3.00"),
                     ("OA", "151", "2.00"), ("OA", "222", "1.00"), ("OA", "18", "1.00")]
    first = extraction.drafts[0]
    assert (first["code"], first["modifiers"], first["units"], first["rarc"], first["denial_month"]) == (
        "99213", ["25", "59"], 2, ["N56", "M80"], "2026-01")
    reasons = {(s["reason"], s.get("group_code"), s.get("carc")) for s in extraction.skipped}
    assert reasons == {("not_a_denial", "CO", "45"), ("not_a_denial", "PR", "1"), ("claim_level", "CO", "16")}


def test_reversal_claims_are_skipped():
    extraction = extract_drafts(CLAIM.format(status="22", filing="MB"))
    assert extraction.drafts == [] and {s["reason"] for s in extraction.skipped} == {"reversal", "claim_level"}


def test_no_identifier_reaches_the_output():
    text = CLAIM.format(status="4", filing="MB")
    output = json.dumps([vars(extract_drafts(text))])
    for identifier in ("PCN1", "PAYERCLAIM", "DOE", "JANE", "20260105", "ZQ7781X"):
        assert identifier not in output


def test_the_same_file_gives_the_same_tokens_and_another_file_others():
    text = CLAIM.format(status="4", filing="MB")
    tokens = [d["submission_token"] for d in extract_drafts(text).drafts]
    assert tokens == [d["submission_token"] for d in extract_drafts(text).drafts] and len(set(tokens)) == len(tokens)
    assert not set(tokens) & {d["submission_token"] for d in extract_drafts(text.replace("*100*0**2", "*100*0**3")).drafts}


@pytest.mark.parametrize("text", ["", "%PDF-1.7 binary", "hello world", "ISA*00*short", "GS*HP*1~SE*1~",
                                  "ST*837*0001~CLM*1*100~SE*2*0001~"])
def test_not_an_835_is_refused(text):
    with pytest.raises(RemittanceError):
        extract_drafts(text)


def test_errors_name_position_and_kind_never_content():
    with pytest.raises(RemittanceError) as raised:
        extract_drafts("ST*835*1~CLP*SECRETPCN~SE*2*1~")
    assert "segment 2" in str(raised.value) and "SECRETPCN" not in str(raised.value)
    assert issubclass(NotAnX12File, RemittanceError)
