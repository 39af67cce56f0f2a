"""The counts behind each code's dashboard ("tallies"), kept in step with its reports incrementally.

Every accepted report counts one in a few cells of its code: (dimension, key) pairs such as
("reason", "CO|97|") or ("days", "30"). A session listener adds a report's cells when it is
inserted, subtracts them when it is hidden or deleted, and moves them when an appeal outcome or any
counted field changes: in SQL, in the same transaction as the report, so the tallies are exactly
the reports committed. The same listener marks the code dirty (one `AggregationMark` per code) for
the aggregation to pick up. An aggregation then reads a few dozen tally rows instead of every
report, so its cost does not grow with the code. `full_tallies` counts the same cells from the
reports with GROUP BY; the periodic check compares the two and repairs any difference.
"""
import datetime as dt
from collections import Counter, defaultdict

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite

from app.enums import AppealStrategy, ReportStatus
from app.extensions import db
from app.reference.models import utcnow
from app.reports.models import AggregationMark, DenialReport, ReportModifier, ReportRemarkCode, ReportTally

COUNTED_FIELDS = ("status", "code", "contributor", "payer_type", "group_code", "carc", "denial_category",
                  "appeal_strategy", "appeal_outcome", "days_to_resolution", "report_month")
#: A mark older than this has lost its message (broker down, worker killed on the embedded broker).
MARK_GRACE = dt.timedelta(seconds=30)
NEWLY_MARKED = "aggregation_marks"  # session.info key: codes this session marked dirty, to enqueue after commit

Tallies = dict[str, Counter]


def text(value) -> str:
    return "" if value is None else str(getattr(value, "value", value))


def reason_key(group_code, carc, category) -> str:
    """A denial reason is its group and CARC; without a CARC, the biller's category stands for it."""
    if carc:
        return f"{text(group_code)}|{carc}|"
    return f"||{text(category)}"


def appeal_key(strategy, outcome) -> str | None:
    if strategy is None or text(strategy) == AppealStrategy.NOT_APPEALED.value:
        return None
    return f"{text(strategy)}|{text(outcome) or 'pending'}"


def report_cells(values: dict, modifiers: list[str], rarcs: list[str]) -> list[tuple[str, str]]:
    """The (dimension, key) cells one report counts in; none unless it is accepted."""
    # None: a new report, accepted by the column's default.
    if (values["status"] or ReportStatus.ACCEPTED) != ReportStatus.ACCEPTED:
        return []
    reason = reason_key(values["group_code"], values["carc"], values["denial_category"])
    optional = {
        "category": values["denial_category"],
        "appeal": appeal_key(values["appeal_strategy"], values["appeal_outcome"]),
        "days": values["days_to_resolution"],
    }
    return [
        ("reports", ""), ("contributor", values["contributor"]), ("reason", reason),
        ("payer_type", text(values["payer_type"])), ("month", values["report_month"]),
        *((dimension, text(value)) for dimension, value in optional.items() if value is not None),
        *(("modifier", modifier) for modifier in modifiers),
        *(("reason_rarc", f"{reason}|{rarc}") for rarc in rarcs),
    ]


def full_tallies(session: so.Session, conditions: list) -> tuple[Tallies, int]:
    """The tallies of the reports matching ``conditions``, counted from the reports themselves."""
    tallies: Tallies = defaultdict(Counter)
    r = DenialReport
    reason_columns = (r.group_code, r.carc, r.denial_category)
    for group, carc, category, count in session.execute(
            sa.select(*reason_columns, sa.func.count()).where(*conditions).group_by(*reason_columns)):
        tallies["reason"][reason_key(group, carc, category)] += count
    for group, carc, category, rarc, count in session.execute(
            sa.select(*reason_columns, ReportRemarkCode.rarc, sa.func.count())
            .join(ReportRemarkCode, ReportRemarkCode.report_id == r.id)
            .where(*conditions).group_by(*reason_columns, ReportRemarkCode.rarc)):
        tallies["reason_rarc"][f"{reason_key(group, carc, category)}|{rarc}"] += count
    for strategy, outcome, count in session.execute(
            sa.select(r.appeal_strategy, r.appeal_outcome, sa.func.count()).where(*conditions)
            .group_by(r.appeal_strategy, r.appeal_outcome)):
        if (key := appeal_key(strategy, outcome)) is not None:
            tallies["appeal"][key] += count
    simple = {"contributor": r.contributor, "payer_type": r.payer_type, "month": r.report_month,
              "category": r.denial_category, "days": r.days_to_resolution}
    for dimension, column in simple.items():
        for value, count in session.execute(
                sa.select(column, sa.func.count()).where(*conditions, column.is_not(None)).group_by(column)):
            tallies[dimension][text(value)] += count
    for modifier, count in session.execute(
            sa.select(ReportModifier.modifier, sa.func.count()).join(r, r.id == ReportModifier.report_id)
            .where(*conditions).group_by(ReportModifier.modifier)):
        tallies["modifier"][modifier] += count
    total = sum(tallies["contributor"].values())
    if total:
        tallies["reports"][""] = total
    return tallies, len(tallies["contributor"])


def stored_tallies(session: so.Session, code: str) -> tuple[Tallies, int]:
    """The incremental tallies of a code: every cell but the contributors, and how many contributors."""
    tallies: Tallies = defaultdict(Counter)
    for dimension, key, count in session.execute(
            sa.select(ReportTally.dimension, ReportTally.key, ReportTally.count)
            .where(ReportTally.code == code, ReportTally.dimension != "contributor", ReportTally.count > 0)):
        tallies[dimension][key] = count
    contributors = session.scalar(sa.select(sa.func.count()).where(
        ReportTally.code == code, ReportTally.dimension == "contributor", ReportTally.count > 0))
    return tallies, contributors


def stored_contributor_tallies(session: so.Session, code: str) -> Counter:
    return Counter(dict(session.execute(sa.select(ReportTally.key, ReportTally.count).where(
        ReportTally.code == code, ReportTally.dimension == "contributor", ReportTally.count > 0)).all()))


def replace_tallies(session: so.Session, code: str, tallies: Tallies) -> None:
    """Set the code's tallies to ``tallies`` (the repair after a check found a difference)."""
    session.execute(sa.delete(ReportTally).where(ReportTally.code == code))
    rows = [{"code": code, "dimension": dimension, "key": key, "count": count}
            for dimension, counter in tallies.items() for key, count in counter.items() if count]
    if rows:
        session.execute(sa.insert(ReportTally), rows)
    mark_dirty(session, {code})


def report_values(report: DenialReport, before_change: bool) -> dict:
    state = sa.inspect(report)
    values = {}
    for name in COUNTED_FIELDS:
        values[name] = getattr(report, name)
        deleted = state.attrs[name].history.deleted if before_change else ()
        if deleted:
            values[name] = deleted[0]
    return values


def report_deltas(report: DenialReport, sign: int, before_change: bool = False) -> Counter:
    values = report_values(report, before_change)
    cells = report_cells(values, [m.modifier for m in report.modifiers], [r.rarc for r in report.remark_codes])
    return Counter({(values["code"], dimension, key): sign for dimension, key in cells})


def insert_for(session: so.Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def apply_deltas(session: so.Session, deltas: Counter) -> None:
    rows = [{"code": code, "dimension": dimension, "key": key, "count": count}
            for (code, dimension, key), count in sorted(deltas.items()) if count]  # sorted: no deadlocks
    if not rows:
        return
    statement = insert_for(session)(ReportTally)
    session.connection().execute(statement.on_conflict_do_update(
        index_elements=["code", "dimension", "key"], set_={"count": ReportTally.count + statement.excluded.count}
    ), rows)


def mark_dirty(session: so.Session, codes: set[str]) -> None:
    """Mark codes for aggregation; remember which marks are new, since only those need a message."""
    for code in sorted(codes):
        statement = insert_for(session)(AggregationMark).values(code=code, marked_at=utcnow())
        inserted = session.connection().execute(
            statement.on_conflict_do_nothing(index_elements=["code"]).returning(AggregationMark.code)
        ).first()
        if inserted:
            session.info.setdefault(NEWLY_MARKED, set()).add(code)


@sa.event.listens_for(so.Session, "before_flush")
def count_report_changes(session: so.Session, flush_context, instances) -> None:
    deltas: Counter = Counter()
    codes: set[str] = set()
    with session.no_autoflush:
        for report in session.new:
            if isinstance(report, DenialReport):
                deltas.update(report_deltas(report, +1))
                codes.add(report.code)
        for report in session.dirty:
            if isinstance(report, DenialReport) and session.is_modified(report):
                deltas.update(report_deltas(report, -1, before_change=True))
                deltas.update(report_deltas(report, +1))
                codes.add(report.code)
        for report in session.deleted:
            if isinstance(report, DenialReport):
                deltas.update(report_deltas(report, -1, before_change=True))
                codes.add(report.code)
    if codes:
        apply_deltas(session, deltas)
        mark_dirty(session, codes)


@sa.event.listens_for(so.Session, "after_rollback")
def forget_marks(session: so.Session) -> None:
    session.info.pop(NEWLY_MARKED, None)


def accepted_report_count(code: str) -> int:
    """The code's accepted reports, from its tally (one row, however many reports)."""
    return db.session.scalar(sa.select(ReportTally.count).where(
        ReportTally.code == code, ReportTally.dimension == "reports", ReportTally.key == "")) or 0
