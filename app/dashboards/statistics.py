"""Small-cell suppression and interval statistics for dashboards: pure functions, no database."""
from app.dashboards.disclosure import SMALL_CELL, SUPPRESSED_LABEL, wilson_interval

__all__ = ["appeal_row", "cell", "ranked_rows", "share", "wilson_interval"]


def cell(count: int) -> dict:
    """A count as shown to readers: exact from SMALL_CELL up, zero as zero, else SUPPRESSED_LABEL."""
    if 0 < count < SMALL_CELL:
        return {"count": None, "display": SUPPRESSED_LABEL}
    return {"count": count, "display": str(count)}


def share(count: int, total: int) -> float | None:
    if count < SMALL_CELL or total == 0:
        return None
    return round(count / total, 4)


def ranked_rows(rows: list[dict], total: int) -> list[dict]:
    """Breakdown rows with suppressed counts and shares, largest first; suppressed rows last."""
    shown = []
    for row in sorted(rows, key=lambda r: (-r["count"], str(r.get("key", "")))):
        count = row.pop("count")
        shown.append(row | cell(count) | {"share": share(count, total)})
    return shown


def appeal_row(strategy: str, attempts: int, won: int, partially_won: int, lost: int, pending: int) -> dict:
    """An appeal strategy's results. Success is won or partially won, over appeals that ended."""
    resolved = won + partially_won + lost
    row = {
        "strategy": strategy,
        "attempts": cell(attempts),
        "won": cell(won),
        "partially_won": cell(partially_won),
        "lost": cell(lost),
        "pending": cell(pending),
        "success_rate": None,
        "interval_95": None,
    }
    if attempts >= SMALL_CELL and resolved >= SMALL_CELL:
        row["success_rate"] = round((won + partially_won) / resolved, 4)
        row["interval_95"] = wilson_interval(won + partially_won, resolved)
    return row
