"""Login, the moderation queue and its actions, and readers' flags on dashboard quotes."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.background import aggregate_marked_codes
from app.enums import FlagReason
from app.client_input import MAX_DATABASE_INTEGER, parse_int
from app.extensions import limiter
from app.lookup_errors import LookupFailed
from app.moderation import bp
from app.moderation.accounts import authenticate
from app.moderation.forms import FlagForm, LoginForm, ModerationForm
from app.moderation.queue import Action, flag_report, moderate, moderation_queue
from app.reports.contributors import current_contributor


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, key_func=current_contributor, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        moderator = authenticate(form.username.data, form.password.data)
        if moderator:
            login_user(moderator)
            return redirect(url_for("moderation.queue"))
        form.form_errors.append("Invalid username or password.")
        return render_template("moderation/login.html", form=form), 401
    return render_template("moderation/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("catalog.home"))


@bp.get("/moderation")
@login_required
def queue():
    return render_template("moderation/queue.html", queue=moderation_queue(), form=ModerationForm())


@bp.post("/moderation/actions")
@login_required
def act():
    form = ModerationForm()
    report_id = parse_int(form.report_id.data or "", 1, MAX_DATABASE_INTEGER)
    if report_id is None:
        abort(400)
    if not form.validate_on_submit():
        for messages in form.errors.values():
            flash(f"Report {form.report_id.data}: {' '.join(messages)}", "error")
        return redirect(url_for("moderation.queue"))
    try:
        done = moderate(current_user, report_id, form.actions.data, form.reason.data)
        aggregate_marked_codes()
        flash(f"Report {report_id}: {'; '.join(Action(entry.action).label.lower() for entry in done)}.")
    except LookupFailed as error:
        flash(error.message, "error")
    return redirect(url_for("moderation.queue"))


@bp.post("/reports/<int:report_id>/flag")
@limiter.limit(lambda: current_app.config["FLAG_RATE_LIMIT"], key_func=current_contributor)
def flag(report_id: int):
    form = FlagForm()
    if not form.validate_on_submit():
        abort(400)
    flag = flag_report(report_id, form.reason.data, current_contributor())
    aggregate_marked_codes()  # a patient-information flag takes quotes down: the dashboard is redone
    if flag.reason == FlagReason.PATIENT_INFORMATION:
        flash("Thank you: the text is hidden until a moderator has looked at it.")
    else:
        flash("Thank you: a moderator will look at this report.")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(request.host_url) else url_for("catalog.home"))
