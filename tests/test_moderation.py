"""Moderators: accounts, login, the queue, actions with their audit trail, readers' flags."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.moderation.accounts import authenticate, create_moderator
from app.moderation.models import ModerationAction, Moderator, ReportFlag
from app.moderation.queue import moderate, moderation_queue
from app.reports.aggregates import refresh_aggregate
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
    assert waiting in queue.awaiting_approval and outlier in queue.outliers and waiting not in queue.outliers
    page = logged_in.get("/moderation").get_data(as_text=True)
    assert "Payer said the injection is bundled." in page and f"Report {outlier.id}" in page


def test_actions_are_audited_and_recompute(app, moderator):
    reports = make_reports(5, contributors=3, narrative="<script>alert(1)</script> bundled")
    refresh_aggregate("20553")
    moderate(moderator, reports[0].id, "approve_narrative", "")
    refresh_aggregate("20553")
    board = app.test_client().get("/api/v1/codes/20553/dashboard").json
    assert board["quotes"] == [{"report_id": reports[0].id, "kind": "narrative", "text": "<script>alert(1)</script> bundled"}]
    page = app.test_client().get("/codes/20553").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    with pytest.raises(Exception, match="Say why"):
        moderate(moderator, reports[1].id, "hide", "")
    moderate(moderator, reports[1].id, "hide", "duplicate of another report")
    refresh_aggregate("20553")
    assert app.test_client().get("/api/v1/codes/20553/dashboard").json["report_count"] == 4
    moderate(moderator, reports[1].id, "restore", "checked with the contributor")
    actions = db.session.scalars(sa.select(ModerationAction).order_by(ModerationAction.id)).all()
    assert [(a.action, a.moderator.username) for a in actions] == [
        ("approve_narrative", "mod"), ("hide", "mod"), ("restore", "mod")]
    assert actions[1].reason == "duplicate of another report" and actions[1].created_at


def test_actions_through_the_page(logged_in):
    report = make_report(narrative="Denied as duplicate of a prior claim.")
    page = logged_in.get("/moderation").get_data(as_text=True)
    assert 'action="/moderation/actions"' in page
    response = logged_in.post("/moderation/actions", data={"report_id": report.id, "action": "hide", "reason": "spam"})
    assert response.status_code == 302
    db.session.refresh(report)
    assert report.status == "hidden"
    assert logged_in.post("/logout").status_code == 302
    assert logged_in.get("/moderation").status_code == 302


def test_readers_flag_quotes(app, client, moderator):
    reports = make_reports(5, contributors=3, narrative="Resubmitted with 59 and won.")
    moderate(moderator, reports[0].id, "approve_narrative", "")
    refresh_aggregate("20553")
    page = client.get("/codes/20553").get_data(as_text=True)
    assert "Resubmitted with 59 and won." in page and f"/reports/{reports[0].id}/flag" in page
    response = client.post(f"/reports/{reports[0].id}/flag", data={"reason": "patient_information"})
    assert response.status_code == 302
    assert reports[0] in moderation_queue().flagged
    assert client.post(f"/reports/{reports[0].id}/flag", data={"reason": "nonsense"}).status_code == 400
    assert client.post("/reports/999999/flag", data={"reason": "other"}).status_code == 404
    moderate(moderator, reports[0].id, "dismiss_flags", "fine as it is")
    assert reports[0] not in moderation_queue().flagged
