"""What changed between two dashboards of one code, in a biller's words: pure functions.

Only what the dashboard itself shows is compared (the top shown denial reason, the strategy with
the best shown success rate), so a feed entry never reveals a suppressed count.
"""
from dataclasses import dataclass
from enum import StrEnum


class ChangeKind(StrEnum):
    WENT_LIVE = "went_live"
    TOP_REASON = "top_reason"
    BEST_APPEAL = "best_appeal"


@dataclass(frozen=True)
class DashboardChange:
    kind: ChangeKind
    title: str
    summary: str


def reason_name(row: dict) -> str:
    """A denial reason row as its dashboard heading reads: group-CARC and meaning, or the category."""
    if row.get("carc"):
        code = "-".join(part for part in (row.get("group_code"), row["carc"]) if part)
        meaning = (row.get("carc_description") or "").split(" Usage:")[0].strip()
        return f"{code} ({meaning})" if meaning else code
    return row.get("category_label") or "a denial with no reason code"


def top_reason(dashboard: dict) -> dict | None:
    """The most reported reason whose count is shown (suppressed rows never lead a feed entry)."""
    shown = [row for row in dashboard.get("denial_reasons", []) if row.get("count") is not None]
    return shown[0] if shown else None


def best_appeal(dashboard: dict) -> dict | None:
    """The strategy with the highest shown success rate (rates are shown only for enough appeals)."""
    rated = [row for row in dashboard.get("appeal_strategies", []) if row.get("success_rate") is not None]
    return max(rated, key=lambda row: (row["success_rate"], row["strategy"]), default=None)


def appeal_name(row: dict) -> str:
    interval = row.get("interval_95")
    rate = f"{row['success_rate']:.0%} of finished appeals won"
    if interval:
        rate += f", 95% interval {interval[0]:.0%} to {interval[1]:.0%}"
    return f"{row.get('label') or row['strategy']} ({rate})"


def dashboard_changes(code: str, previous: dict | None, current: dict) -> list[DashboardChange]:
    """The feed entries one recompute produces: the code went live, or, while live, its top
    denial reason or its best appeal changed. Nothing for a code that is not live."""
    if not current.get("live"):
        return []
    was_live = bool(previous and previous.get("live"))
    if not was_live:
        summary = f"{code} now has enough reports for a live denial dashboard."
        if reason := top_reason(current):
            summary += f" The most reported denial is {reason_name(reason)}."
        return [DashboardChange(ChangeKind.WENT_LIVE, f"{code} is live", summary)]
    changes = []
    before, after = top_reason(previous), top_reason(current)
    if after and (before is None or before.get("key") != after.get("key")):
        was = f" (was {reason_name(before)})" if before else ""
        changes.append(DashboardChange(ChangeKind.TOP_REASON, f"{code}: new top denial reason",
                                       f"The most reported denial of {code} is now {reason_name(after)}{was}."))
    before, after = best_appeal(previous), best_appeal(current)
    if after and (before is None or before["strategy"] != after["strategy"]):
        was = f" (was {before.get('label') or before['strategy']})" if before else ""
        changes.append(DashboardChange(ChangeKind.BEST_APPEAL, f"{code}: new best appeal",
                                       f"The appeal that wins most often for {code} is now {appeal_name(after)}{was}."))
    return changes
