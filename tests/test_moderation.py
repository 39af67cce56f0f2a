"""Moderators: accounts, login, the queue, actions with their audit trail, readers' flags."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.enums import Setting
from app.extensions import db
from app.moderation.accounts import authenticate, create_moderator
from app.moderation.models import ModerationAction, Moderator, ReportFlag
from app.moderation.queue import OUTLIER_MULTIPLE, moderate, moderation_queue
from app.payment.estimates import payment_estimate
from app.dashboards.aggregates import refresh_aggregate
from tests.factories import make_report, make_reports

PASSWORD = "correct horse battery staple"


@pytest.fixture
def moderator(app):
    moderator = create_moderator("mod", PASSWORD)
    yield moderator
    db.session.rollback()
    db.session.execute(sa.delete(ModerationAction))
    db.session.execute(sa.delete(ReportFlag))
    db.session.execute(sa.delete(Moderator))
    db.session.commit()


@pytest.fixture
def logged_in(client, moderator):
    response = client.post("/login", data={"username": "mod", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_create_moderator_command_hashes_and_never_echoes(app, runner, caplog):
    result = runner.invoke(args=["users", "create-moderator", "alice"], input=f"{PASSWORD}\n{PASSWORD}\n")
    try:
        assert result.exit_code == 0, result.output
        assert PASSWORD not in result.output and PASSWORD not in caplog.text
        stored = db.session.scalar(sa.select(Moderator).where(Moderator.username == "alice"))
        assert stored.password_hash.startswith("scrypt:") and PASSWORD not in stored.password_hash
        assert authenticate("alice", PASSWORD) and authenticate("alice", "wrong password!!") is None
        short = runner.invoke(args=["users", "create-moderator", "bob", "--password", "short"])
        assert short.exit_code != 0 and "at least 12" in short.output
    finally:
        db.session.execute(sa.delete(Moderator))
        db.session.commit()


def test_moderation_needs_login(client, moderator):
    assert client.get("/moderation").status_code == 302
    bad = client.post("/login", data={"username": "mod", "password": "nope"})
    assert bad.status_code == 401 and "Invalid username or password" in bad.get_data(as_text=True)


def test_login_is_rate_limited(app, app_with, moderator):
    client = app_with(LOGIN_RATE_LIMIT="3 per minute").test_client()
    codes = [client.post("/login", data={"username": "mod", "password": "nope"}).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]


def test_queue_lists_awaiting_text_and_outliers(logged_in):
    waiting = make_report(narrative="Payer said the injection is bundled.")
    outlier = make_report(carc="50", denied_amount=50_000)
    queue = moderation_queue()
    awaiting = [card.report for card in queue.awaiting_approval]
    outliers = [card.report for card in queue.outliers]
    assert waiting in awaiting and outlier in outliers and waiting not in outliers
    page = logged_in.get("/moderation").get_data(as_text=True)
    assert "Payer said the injection is bundled." in page and f"Report {outlier.id}" in page


def test_actions_are_audited_and_recompute(app, moderator):
    reports = make_reports(5, contributors=3, narrative="<script>alert(1)</script> bundled")
    refresh_aggregate("20553")
    moderate(moderator, reports[0].id, ["approve_narrative"], "reads fine, no identifiers")
    refresh_aggregate("20553")
    board = app.test_client().get("/api/v1/codes/20553/dashboard").json
    assert [(q["report_id"], q["kind"], q["text"]) for q in board["quotes"]] == [
        (reports[0].id, "narrative", "<script>alert(1)</script> bundled")]
    page = app.test_client().get("/codes/20553").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    with pytest.raises(Exception, match="Say why"):
        moderate(moderator, reports[1].id, ["hide"], "")
    moderate(moderator, reports[1].id, ["hide"], "duplicate of another report")
    refresh_aggregate("20553")
    assert app.test_client().get("/api/v1/codes/20553/dashboard").json["report_count"] == 4
    moderate(moderator, reports[1].id, ["restore"], "checked with the contributor")
    actions = db.session.scalars(sa.select(ModerationAction).order_by(ModerationAction.id)).all()
    assert [(a.action, a.moderator.username) for a in actions] == [
        ("approve_narrative", "mod"), ("hide", "mod"), ("restore", "mod")]
    assert actions[1].reason == "duplicate of another report" and actions[1].created_at


def test_actions_through_the_page(logged_in):
    report = make_report(narrative="Denied as duplicate of a prior claim.")
    page = logged_in.get("/moderation").get_data(as_text=True)
    assert 'action="/moderation/actions"' in page
    response = logged_in.post("/moderation/actions", data={"report_id": report.id, "actions": "hide", "reason": "spam"})
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.status == "hidden"
    assert logged_in.post("/logout").status_code == 302
    assert logged_in.get("/moderation").status_code == 302


def test_readers_flag_quotes(app, client, moderator):
    reports = make_reports(5, contributors=3, narrative="Resubmitted with 59 and won.")
    moderate(moderator, reports[0].id, ["approve_narrative"], "no identifiers")
    refresh_aggregate("20553")
    page = client.get("/codes/20553").get_data(as_text=True)
    assert "Resubmitted with 59 and won." in page and f"/reports/{reports[0].id}/flag" in page
    response = client.post(f"/reports/{reports[0].id}/flag", data={"reason": "false_or_misleading"})
    assert response.status_code == 302
    assert reports[0] in [card.report for card in moderation_queue().flagged]
    assert client.post(f"/reports/{reports[0].id}/flag", data={"reason": "nonsense"}).status_code == 400
    assert client.post("/reports/999999/flag", data={"reason": "other"}).status_code == 404
    moderate(moderator, reports[0].id, ["dismiss_flags"], "fine as it is")
    assert reports[0] not in [card.report for card in moderation_queue().flagged]


def card_for(report, section: str):
    return next(card for card in getattr(moderation_queue(), section) if card.report.id == report.id)


def test_only_applicable_actions_are_offered(logged_in):
    notes_only = make_report(appeal_notes="Resubmitted with the operative note and won.")
    both = make_report(narrative="Payer said bundled.", appeal_notes="Sent records.")
    assert card_for(notes_only, "awaiting_approval").actions == ["approve_appeal_notes", "hide"]
    assert card_for(both, "awaiting_approval").actions == ["approve_narrative", "approve_appeal_notes", "hide"]
    page = logged_in.get("/moderation").get_data(as_text=True)
    card = page[page.index(f"Report {notes_only.id} "):]
    card = card[:card.index("</article>")]
    assert 'value="approve_appeal_notes"' in card and 'value="approve_narrative"' not in card
    assert 'aria-describedby="None"' not in page


def test_several_actions_at_once_each_audited_with_its_reason(app, moderator):
    report = make_report(narrative="Payer said bundled.", appeal_notes="Sent records.")
    moderate(moderator, report.id, ["approve_narrative", "approve_appeal_notes"], "both read fine")
    db.session.refresh(report)
    assert report.narrative_approved and report.appeal_notes_approved
    audit = db.session.scalars(sa.select(ModerationAction).where(ModerationAction.report_id == report.id)).all()
    assert sorted((a.action, a.reason) for a in audit) == [
        ("approve_appeal_notes", "both read fine"), ("approve_narrative", "both read fine")]


@pytest.mark.parametrize("actions, reason, message", [
    (["approve_narrative"], "", "Say why"),
    (["approve_narrative"], "   ", "Say why"),
    ([], "a reason", "at least one action"),
    (["restore"], "a reason", "would change nothing"),
    (["dismiss_flags"], "a reason", "would change nothing"),
])
def test_refused_actions_change_nothing(app, moderator, actions, reason, message):
    report = make_report(narrative="Payer said bundled.")
    with pytest.raises(Exception, match=message):
        moderate(moderator, report.id, actions, reason)
    db.session.refresh(report)
    assert report.status == "accepted" and not report.narrative_approved
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ModerationAction)) == 0


def test_approving_twice_is_not_answered_recorded(logged_in):
    report = make_report(narrative="Payer said bundled.")
    first = logged_in.post("/moderation/actions", follow_redirects=True,
                           data={"report_id": report.id, "actions": "approve_narrative", "reason": "fine"})
    assert "approve the narrative for display" in first.get_data(as_text=True)
    again = logged_in.post("/moderation/actions", follow_redirects=True,
                           data={"report_id": report.id, "actions": "approve_narrative", "reason": "fine"})
    text = again.get_data(as_text=True)
    assert "would change nothing" in text
    no_reason = logged_in.post("/moderation/actions", follow_redirects=True,
                               data={"report_id": report.id, "actions": "hide", "reason": ""})
    assert "Say why" in no_reason.get_data(as_text=True)
    db.session.refresh(report)
    assert report.status == "accepted"


def test_patient_information_flag_hides_the_quote_at_once(app, client, moderator):
    reports = make_reports(5, contributors=3, narrative="Resubmitted with 59 and won.")
    moderate(moderator, reports[0].id, ["approve_narrative"], "no identifiers")
    refresh_aggregate("20553")
    assert "Resubmitted with 59 and won." in client.get("/codes/20553").get_data(as_text=True)
    response = client.post(f"/reports/{reports[0].id}/flag", data={"reason": "patient_information"})
    assert response.status_code == 302
    # No aggregation has run since the flag: the text is gone all the same.
    assert "Resubmitted with 59 and won." not in client.get("/codes/20553").get_data(as_text=True)
    assert client.get("/api/v1/codes/20553/dashboard").json["quotes"] == []
    card = card_for(reports[0], "flagged")
    assert card.flag_reasons == ["It contains patient information"]
    assert "approve_narrative" in card.actions  # approval was revoked, pending review
    refresh_aggregate("20553")
    assert client.get("/api/v1/codes/20553/dashboard").json["quotes"] == []


def test_flag_reason_shows_on_the_moderators_card(app, client, logged_in):
    report = make_report(narrative="Payer said bundled.")
    from app.moderation.queue import flag_report
    flag_report(report.id, "false_or_misleading", "reader")
    page = logged_in.get("/moderation").get_data(as_text=True)
    assert "Flagged by readers:</strong> It looks false or misleading" in page


def test_a_quote_names_the_denial_it_belongs_to(app, client, moderator):
    reports = make_reports(5, contributors=3, narrative="Resubmitted with 59 and won.")
    moderate(moderator, reports[0].id, ["approve_narrative"], "no identifiers")
    refresh_aggregate("20553")
    quote = client.get("/api/v1/codes/20553/dashboard").json["quotes"][0]
    expected = f"{reports[0].group_code.value}-{reports[0].carc}" if reports[0].carc else reports[0].denial_category.label
    assert quote["denial"] == expected
    assert f"on a {expected} denial" in client.get("/codes/20553").get_data(as_text=True)


def test_outliers_are_priced_by_the_payment_estimate(app):
    payment = payment_estimate("20553", setting=Setting.NON_FACILITY).amount
    at_threshold = make_report(denied_amount=payment * OUTLIER_MULTIPLE)
    above = make_report(denied_amount=payment * OUTLIER_MULTIPLE + Decimal("0.01"))
    unpriced = make_report(code="99999", denied_amount=Decimal("999999"))
    outliers = [card.report for card in moderation_queue().outliers]
    assert above in outliers and at_threshold not in outliers and unpriced not in outliers
