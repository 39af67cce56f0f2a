"""Disclosure control: what of a code's aggregate may be shown, so that no small group can be worked out.

The rule (README, "Disclosure control"), applied to every dashboard right before it is shown, whether
as the code page, the JSON API or the toolkit PDF:

1. A breakdown row with fewer than SMALL_CELL reports reads SUPPRESSED_LABEL; inside an appeal row a
   zero reads the same, so "lost 0" cannot reveal that every attempt won.
2. Every other count, totals included, is rounded to the nearest multiple of ROUNDING_BASE, as
   statistical offices publish small-area tables: a shown 5 means 3 to 7, so subtracting shown figures
   leaves a range, not a number.
3. Shares and success rates are computed from the shown figures only, so they add nothing to them.
4. An audit then asks, per table, what a reader could deduce from every shown figure together,
   assuming the worst: that the exact report count is known (the receipt tells its submitter). A
   table in which a suppressed cell would be pinned to one value is withheld (an appeal row loses
   its outcomes only), and the audit runs again until nothing is pinned.

Pure functions over the stored aggregate's JSON; no Flask, no database.
"""
import copy
import math
from dataclasses import dataclass, field

SMALL_CELL = 3
ROUNDING_BASE = 5
SUPPRESSED_LABEL = f"fewer than {SMALL_CELL}"
WITHHELD_LABEL = "withheld"
Z_95 = 1.959963984540054
EQUAL_TABLES = ("payer_types", "reports_per_month")
OUTCOMES = ("won", "partially_won", "lost", "pending")
TABLES = ("denial_reasons", "denial_categories", "payer_types", "modifiers", "appeal_strategies",
          "median_days_to_resolution", "reports_per_month", "quotes")


def rounded(count: int) -> int:
    """The nearest multiple of ROUNDING_BASE (3 and 4 read 5: a shown count is never below SMALL_CELL)."""
    return max(ROUNDING_BASE, (count + ROUNDING_BASE // 2) // ROUNDING_BASE * ROUNDING_BASE)


def shown_count(count: int | None) -> int | None:
    """A count as any page may print it: rounded from SMALL_CELL up, None below (suppressed)."""
    return rounded(count) if count is not None and count >= SMALL_CELL else None


@dataclass
class Span:
    """What a reader can tell about one true count from what is shown: lo <= count <= hi."""
    lo: float
    hi: float
    suppressed: bool = False

    def narrow(self, lo: float, hi: float) -> bool:
        lo, hi = max(self.lo, lo), min(self.hi, hi)
        changed = (lo, hi) != (self.lo, self.hi)
        self.lo, self.hi = lo, hi
        return changed


def span_of(shown: int | None, can_be_zero: bool = False) -> Span:
    if shown is None:
        return Span(0 if can_be_zero else 1, SMALL_CELL - 1, suppressed=True)
    half = ROUNDING_BASE // 2
    return Span(max(SMALL_CELL, shown - half), shown + half)


@dataclass
class Sum:
    """total == sum(parts) (exact) or total >= sum(parts); `table` names what is withheld if it leaks."""
    total: Span
    parts: list[Span]
    table: str
    exact: bool = True


def inconsistent(relation: Sum) -> bool:
    return any(span.lo > span.hi for span in [relation.total, *relation.parts])


def propagate(sums: list[Sum]) -> None:
    """Narrow every span to what the sums allow, until nothing changes (exact on this app's tree of sums).

    Counts are whole numbers, so each pass that changes anything moves a bound by at least one and the
    loop ends, unless the figures contradict the sums (a span empties): then bounds would chase each
    other for ever, so it stops there and pinned_tables withholds the contradicting tables."""
    changed = True
    while changed and not any(inconsistent(relation) for relation in sums):
        changed = False
        for relation in sums:
            low = sum(p.lo for p in relation.parts)
            high = sum(p.hi for p in relation.parts)
            changed |= relation.total.narrow(low, relation.total.hi if not relation.exact else high)
            for part in relation.parts:
                others_lo, others_hi = low - part.lo, high - part.hi
                floor = relation.total.lo - others_hi if relation.exact else part.lo
                changed |= part.narrow(floor, relation.total.hi - others_lo)


def pinned_tables(sums: list[Sum]) -> list[str]:
    """Tables in which some suppressed count can be narrowed to a single value."""
    propagate(sums)
    return list(dict.fromkeys(
        relation.table for relation in sums for part in [relation.total, *relation.parts]
        if (part.suppressed and part.lo >= part.hi) or inconsistent(relation)
    ))


@dataclass
class Published:
    """The dashboard being prepared, and what a reader knows of its report count."""
    board: dict
    total_lo: float
    total_hi: float
    rows_can_be_empty: bool = False
    withheld: list[str] = field(default_factory=list)


def cell(count: int | None, zero_suppressed: bool = False) -> dict:
    if count == 0 and not zero_suppressed:
        return {"count": 0, "display": "0"}
    shown = shown_count(count)
    return {"count": shown, "display": SUPPRESSED_LABEL if shown is None else str(shown)}


def share(shown: int | None, total: int | None) -> float | None:
    return round(shown / total, 2) if shown is not None and total else None


def wilson_interval(successes: float, trials: float, z: float = Z_95) -> tuple[float, float] | None:
    """95% Wilson score interval for a proportion; None without trials."""
    if trials <= 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half_width = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return round(max(0.0, centre - half_width), 4), round(min(1.0, centre + half_width), 4)


def success_rate(row: dict) -> None:
    """From the shown figures only: a suppressed outcome counts as 1, the middle of 0 to 2."""
    def estimate(name: str) -> int:
        return row[name]["count"] if row[name]["count"] is not None else 1
    won = estimate("won") + estimate("partially_won")
    resolved = won + estimate("lost")
    enough = row["won"]["display"] != WITHHELD_LABEL and resolved >= ROUNDING_BASE
    row["success_rate"] = round(won / resolved, 2) if enough else None
    row["interval_95"] = [round(bound, 2) for bound in wilson_interval(won, resolved)] if enough else None


def count_of(stored: dict) -> int | None:
    return stored.get("count")


def breakdown(rows: list[dict], total: int | None, zero_suppressed: bool = False) -> list[dict]:
    """Rows ordered by what is shown, then by key: the stored order follows exact counts."""
    shown = []
    for row in rows:
        published = row | cell(count_of(row), zero_suppressed)
        published["share"] = share(published["count"], total)
        if "rarcs" in row:
            published["rarcs"] = [r | {"count": shown_count(r["count"])} for r in row["rarcs"] if shown_count(r["count"])]
        shown.append(published)
    return sorted(shown, key=lambda r: (-(r["count"] or 0), str(r.get("key", ""))))


def appeal_row(row: dict, zero_suppressed: bool = False) -> dict:
    published = row | {"attempts": cell(count_of(row["attempts"]), zero_suppressed)}
    for name in OUTCOMES:
        published[name] = cell(count_of(row[name]), zero_suppressed=True)
    return published


def withhold_outcomes(row: dict) -> None:
    for name in OUTCOMES:
        row[name] = {"count": None, "display": WITHHELD_LABEL}
    row["success_rate"] = row["interval_95"] = None


def relations(published: Published) -> list[Sum]:
    """Every sum a reader knows holds between the shown figures, as spans."""
    board, total = published.board, Span(published.total_lo, published.total_hi)

    def span_of_row(shown: int | None) -> Span:
        return span_of(shown, can_be_zero=published.rows_can_be_empty)

    sums = [Sum(total, [span_of_row(r["count"]) for r in board[name]], name) for name in EQUAL_TABLES if board.get(name)]
    categories = {row["key"]: span_of_row(row["count"]) for row in board.get("denial_categories", [])}
    if "denial_categories" in board:
        sums.append(Sum(total, list(categories.values()), "denial_categories", exact=False))
    if board.get("denial_reasons"):
        by_category: dict[str | None, list[Span]] = {}
        for row in board["denial_reasons"]:
            key = row.get("category") if row.get("category") in categories else None
            by_category.setdefault(key, []).append(span_of_row(row["count"]))
        uncategorised = by_category.pop(None, [])
        sums.append(Sum(total, [*(categories[key] for key in by_category), *uncategorised], "denial_reasons",
                        exact=not categories.keys() - by_category.keys()))
        sums += [Sum(categories[key], spans, "denial_reasons") for key, spans in by_category.items()]
    if "appeal_strategies" in board:
        attempts = []
        for index, row in enumerate(board["appeal_strategies"]):
            attempts.append(span_of_row(row["attempts"]["count"]))
            if row["won"]["display"] != WITHHELD_LABEL:
                outcomes = [span_of(row[name]["count"], can_be_zero=True) for name in OUTCOMES]
                sums.append(Sum(attempts[-1], outcomes, f"appeal_strategies:{index}"))
        sums.append(Sum(total, attempts, "appeal_strategies", exact=False))
    return sums


def audit(published: Published) -> None:
    """Withhold tables (or appeal rows) until no suppressed count can be pinned."""
    while pinned := pinned_tables(relations(published)):
        withheld_before = (list(published.withheld), [row.get("won") for row in published.board.get("appeal_strategies", [])])
        for table in pinned:
            name, _, index = table.partition(":")
            if index:
                withhold_outcomes(published.board[name][int(index)])
            elif name in published.board and published.board[name]:
                published.board[name] = []
                published.withheld.append(name)
        if withheld_before == (published.withheld, [row.get("won") for row in published.board.get("appeal_strategies", [])]):
            # Nothing left that withholding one table would fix: show no breakdown at all.
            for name in TABLES:
                if published.board.get(name):
                    published.board[name] = []
                    published.withheld.append(name)
            return


ROW_KEYS = {"denial_reasons": "key", "denial_categories": "key", "payer_types": "key", "modifiers": "key",
            "reports_per_month": "month"}


def empty_row(row: dict, key: str) -> dict:
    return {name: row[name] for name in (key, "label", "group_code", "carc", "carc_description", "category",
                                         "category_label") if name in row} | {"count": 0, "rarcs": []}


def same_rows_as_the_whole(board: dict, whole: dict) -> None:
    """A slice lists every row its code lists, a missing one as zero: so "fewer than 3" in a slice
    includes none, and two slices' "fewer than 3" cannot add up to a whole's."""
    for name, key in ROW_KEYS.items():
        if name in board and not (name == "payer_types" and board["slice"].get("payer_type")):  # the slice's own
            present = {row[key] for row in board[name]}
            board[name] = board[name] + [empty_row(row, key) for row in whole.get(name, []) if row[key] not in present]
    if "appeal_strategies" in board:
        present = {row["strategy"] for row in board["appeal_strategies"]}
        zero = {"count": 0, "display": "0"}
        board["appeal_strategies"] += [
            {"strategy": row["strategy"], "label": row.get("label"), "attempts": zero} | {name: zero for name in OUTCOMES}
            for row in whole.get("appeal_strategies", []) if row["strategy"] not in present]
    board.get("reports_per_month", []).sort(key=lambda row: row["month"])


def published_dashboard(stored: dict, whole: dict | None = None) -> dict:
    """The aggregate as it may be shown; `whole` is the code's stored aggregate when `stored` is a slice.
    A slice of a code that is not live shows no count at all: the code's exact count is shown while
    it gathers reports, and slices would split it."""
    board = copy.deepcopy(stored)
    count = board["report_count"]
    is_slice = any((board.get("slice") or {}).values())
    whole_live = bool(whole and whole.get("live"))
    if is_slice and board["live"] and shown_count(count) - ROUNDING_BASE // 2 < board["threshold"]:
        # A slice is live only when every count its shown figure stands for reaches the threshold:
        # otherwise "live" would tell a 5 shown for 5 to 7 from a 5 shown for 3 or 4.
        board = {name: value for name, value in board.items() if name not in TABLES} | {"live": False}
    if is_slice and board["live"] and whole_live:
        same_rows_as_the_whole(board, whole)
    board["disclosure"] = {"suppressed_below": SMALL_CELL, "rounded_to": ROUNDING_BASE, "withheld": []}
    if not board["live"] and not is_slice:
        return board  # progress only: exact counts, no breakdown
    if is_slice and not whole_live:
        shown, contributors = None, None
    else:
        # A slice's billers are few enough to matter; the whole code's count of billers is no cell of any table.
        shown = shown_count(count)
        contributors = shown_count(board["contributor_count"]) if is_slice else board["contributor_count"]
    board["report_count"], board["contributor_count"] = shown, contributors
    if not board["live"]:
        board["reports_needed"] = max(0, board["threshold"] - shown) if shown is not None else None
        board["contributors_needed"] = (max(0, board["min_contributors"] - contributors)
                                        if contributors is not None else None)
        return board
    for name in ("denial_reasons", "denial_categories", "payer_types", "modifiers", "reports_per_month"):
        if name in board:
            board[name] = breakdown(board[name], shown, is_slice) if name != "reports_per_month" else [
                row | cell(count_of(row), is_slice) | {"share": share(shown_count(count_of(row)), shown)}
                for row in board[name]]
    if "appeal_strategies" in board:
        board["appeal_strategies"] = [appeal_row(row, is_slice) for row in board["appeal_strategies"]]
    # The whole code's exact count can be learnt (a receipt tells it); a slice's only as shown.
    total = span_of(shown) if is_slice else Span(count, count)
    published = Published(board, max(total.lo, board["threshold"]), total.hi, rows_can_be_empty=is_slice)
    audit(published)
    for row in board.get("appeal_strategies", []):
        success_rate(row)
    board.get("appeal_strategies", []).sort(
        key=lambda r: (r["success_rate"] is None, -(r["success_rate"] or 0), r["strategy"]))
    board["disclosure"]["withheld"] = published.withheld
    return board
