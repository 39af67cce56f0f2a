"""Moderators, reader flags and the audit trail of every moderation action."""
import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin

from app.extensions import db
from app.reference.models import utcnow
from app.reports.models import DenialReport


class Moderator(UserMixin, db.Model):
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(80), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)


class ReportFlag(db.Model):
    """A reader's "flag this report" on a quote shown on a dashboard."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    report_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(DenialReport.id, ondelete="CASCADE"), index=True)
    reason: so.Mapped[str] = so.mapped_column(sa.String(30))
    contributor: so.Mapped[str] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)
    resolved_at: so.Mapped[dt.datetime | None]

    report: so.Mapped[DenialReport] = so.relationship()


class ModerationAction(db.Model):
    """Who did what to which report, when and why. Rows are only ever added."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    moderator_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(Moderator.id))
    report_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(DenialReport.id, ondelete="CASCADE"), index=True)
    action: so.Mapped[str] = so.mapped_column(sa.String(30))
    reason: so.Mapped[str] = so.mapped_column(sa.String(500))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utcnow)

    moderator: so.Mapped[Moderator] = so.relationship()
