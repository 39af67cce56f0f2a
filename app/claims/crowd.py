"""What the crowd's live dashboard says about a code, for the pre-check and the appeal letter.

Read only through the dashboard's public function, and only what the dashboard itself shows:
display strings and shares, never a raw count (small cells stay SUPPRESSED_LABEL, app.dashboards.disclosure).
"""
import json
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.enums import PayerType
from app.extensions import cache, db
from app.dashboards.reading import dashboard_version, rendered_dashboard
from app.reference.cache import database_key
from app.reports.models import CodeAggregate

TOP_REASONS = 5  # the code page has the rest


@dataclass(frozen=True)
class DenialShare:
    reason: str
    display: str
    share: float | None
    group_code: str | None
    carc: str | None
    category: str | None


@dataclass(frozen=True)
class WinningAppeal:
    strategy: str
    label: str
    success_rate: float
    interval_95: tuple[float, float]
    attempts: str


@dataclass
class CrowdEvidence:
    code: str
    live: bool
    scope: str
    report_count: int | None = None
    reasons: list[DenialShare] = field(default_factory=list)
    best_appeal: WinningAppeal | None = None
    appeals: list[WinningAppeal] = field(default_factory=list)

    @property
    def top_denial(self) -> DenialShare | None:
        return self.reasons[0] if self.reasons else None

    def summary(self) -> str:
        if not self.live:
            return f"Not enough reports yet for {self.code} to show the crowd's denials."
        parts = [f"Crowd reports for {self.code} ({self.scope}, {self.report_count} reports)."]
        if self.top_denial:
            parts.append(f"Most common denial: {self.top_denial.reason} ({percent_or_display(self.top_denial)}).")
        if len(self.reasons) > 1:
            parts.append("Then: " + "; ".join(f"{row.reason} ({percent_or_display(row)})"
                                              for row in self.reasons[1:3]) + ".")
        if self.best_appeal:
            parts.append(f"The appeal that won most: {describe_appeal(self.best_appeal)}.")
        else:
            parts.append("No appeal strategy has enough finished appeals to rate yet.")
        return " ".join(parts)


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def percent_or_display(row: DenialShare) -> str:
    return f"{percent(row.share)} of reports" if row.share is not None else f"{row.display} reports"


def describe_appeal(appeal: WinningAppeal) -> str:
    low, high = appeal.interval_95
    return (f"{appeal.label}, {percent(appeal.success_rate)} success "
            f"(95% interval {percent(low)}-{percent(high)}, {appeal.attempts} tried)")


def reason_label(row: dict) -> str:
    """'CO-97 (Bundling (NCCI / included service))': the remittance code and the category, short."""
    grouped = "-".join(part for part in (row.get("group_code"), row.get("carc")) if part)
    category = row.get("category_label")
    if grouped:
        return f"{grouped} ({category})" if category else grouped
    return category or "Other"


def evidence_from_dashboard(code: str, dashboard: dict, scope: str) -> CrowdEvidence:
    """Pure: the parts of a dashboard the pre-check and the letter quote."""
    if not dashboard.get("live"):
        return CrowdEvidence(code, False, scope)
    reasons = [DenialShare(reason_label(row), row.get("display", ""), row.get("share"), row.get("group_code"),
                           row.get("carc"), row.get("category"))
               for row in dashboard.get("denial_reasons", [])[:TOP_REASONS]]
    appeals = [WinningAppeal(row["strategy"], row.get("label", row["strategy"]), row["success_rate"],
                             tuple(row["interval_95"]), row.get("attempts", {}).get("display", ""))
               for row in dashboard.get("appeal_strategies", [])
               if row.get("success_rate") is not None and row.get("interval_95")]
    appeals.sort(key=lambda a: (-a.success_rate, -a.interval_95[0], a.strategy))
    return CrowdEvidence(code, True, scope, dashboard.get("report_count"), reasons, appeals[0] if appeals else None,
                         appeals)


def live_codes_among(codes: tuple[str, ...]) -> frozenset[str]:
    """The codes whose stored dashboard is live (one query): a slice is held to the whole code's
    threshold, so the dashboard of any other code shows no figures, sliced or not."""
    return frozenset(db.session.scalars(
        sa.select(CodeAggregate.code).where(CodeAggregate.code.in_(codes), CodeAggregate.live.is_(True))))


def dashboard_evidence(code: str, payer_type: str | None, scope: str) -> CrowdEvidence:
    """Cached by the dashboard's version: a 10-line claim would otherwise parse up to 20 dashboards
    of ~40 KB on every pre-check (bench/precheck.py's p95 goal)."""
    version = dashboard_version(code, payer_type)
    key = f"crowd-evidence:{database_key()}:{version}:{scope}"
    if version is not None and (evidence := cache.get(key)) is not None:
        return evidence
    evidence = evidence_from_dashboard(code, json.loads(rendered_dashboard(code, payer_type, None, version=version)),
                                       scope)
    if version is not None:
        cache.set(key, evidence)
    return evidence


def crowd_evidence(code: str, payer_type: str | None = None, live: bool = True) -> CrowdEvidence:
    """The payer type's slice when it is live on its own, else the whole code's dashboard.
    ``live=False`` (from live_codes_among) skips reading a dashboard that can show no figures."""
    whole_scope = "all payer types" + (f"; too few {PayerType(payer_type).label} reports for their own figures"
                                       if payer_type else "")
    if not live:
        return CrowdEvidence(code, False, whole_scope)
    if payer_type:
        sliced = dashboard_evidence(code, payer_type, PayerType(payer_type).label)
        if sliced.live:
            return sliced
    return dashboard_evidence(code, None, whole_scope)
