"""Disclosure control: nothing shown lets a reader work out a suppressed count.

The reader's attack is modelled independently of app.dashboards.disclosure: every shown figure is
read as the range it stands for, every sum the reader knows is written down, and a search over
whole integer tables asks, for each suppressed cell, whether more than one value fits everything.
"""
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from app.dashboards.disclosure import ROUNDING_BASE, SMALL_CELL, SUPPRESSED_LABEL, WITHHELD_LABEL, published_dashboard
from app.dashboards.statistics import appeal_row, cell, ranked_rows

REASONS = {"CO-97": "bundling", "CO-50": "medical_necessity", "CO-16": "documentation", "OA-18": "duplicate",
           "CO-4": None}
PAYERS = ("medicare", "commercial", "medicaid")
MONTHS = ("2026-06", "2026-07", "2026-08")
STRATEGIES = (None, "corrected_claim", "peer_to_peer")
OUTCOMES = ("won", "partially_won", "lost", "pending")


def stored_dashboard(reports: list[tuple], payer_type: str | None = None, threshold: int = 5) -> dict:
    """The aggregate in the stored format, built with the aggregation's own cell rules."""
    if payer_type:
        reports = [r for r in reports if r[1] == payer_type]
    total = len(reports)
    contributors = len({r[5] for r in reports})
    board = {"code": "20553", "live": total >= threshold and contributors >= 3, "report_count": total,
             "contributor_count": contributors, "threshold": threshold, "min_contributors": 3,
             "reports_needed": max(0, threshold - total), "contributors_needed": max(0, 3 - contributors),
             "slice": {"payer_type": payer_type, "state": None}}
    if not board["live"]:
        return board
    reasons = Counter(r[0] for r in reports)
    categories = Counter(REASONS[r[0]] for r in reports if REASONS[r[0]])
    board["denial_reasons"] = ranked_rows([{"key": k, "category": REASONS[k], "count": n, "rarcs": []}
                                           for k, n in reasons.items()], total)
    board["denial_categories"] = ranked_rows([{"key": k, "label": k, "count": n} for k, n in categories.items()], total)
    board["payer_types"] = ranked_rows([{"key": k, "label": k, "count": n}
                                        for k, n in Counter(r[1] for r in reports).items()], total)
    board["modifiers"] = []
    board["reports_per_month"] = [{"month": m} | ranked_rows([{"count": n}], n)[0]
                                  for m, n in sorted(Counter(r[2] for r in reports).items())]
    strategies = {}
    for r in reports:
        if r[3]:
            strategies.setdefault(r[3], Counter())[r[4] or "pending"] += 1
    board["appeal_strategies"] = [appeal_row(s, sum(c.values()), *(c[o] for o in OUTCOMES)) | {"label": s}
                                  for s, c in sorted(strategies.items())]
    return board


class Reader:
    """What a reader knows: a range per true count and sums between them; `feasible` searches tables."""

    def __init__(self):
        self.ranges: list[tuple[int, int]] = []
        self.sums: list[tuple[int, list[int], bool]] = []  # (total, parts, exact)
        self.suppressed: list[int] = []

    def count(self, shown: dict | int | None, can_be_zero=False, upper=60) -> int:
        if isinstance(shown, int):
            lo = hi = shown
        elif shown["display"] == WITHHELD_LABEL:
            lo, hi = 0, upper
        elif shown["display"] == SUPPRESSED_LABEL:
            lo, hi = (0 if can_be_zero else 1), SMALL_CELL - 1
            self.suppressed.append(len(self.ranges))
        else:
            assert shown["count"] % ROUNDING_BASE == 0 and shown["display"] == str(shown["count"])
            lo, hi = max(SMALL_CELL, shown["count"] - ROUNDING_BASE // 2), shown["count"] + ROUNDING_BASE // 2
        self.ranges.append((lo, hi))
        return len(self.ranges) - 1

    def board(self, board: dict, total: int) -> dict[str, dict]:
        """Read one published dashboard whose report count is the variable `total`; its cells by table and key.
        A slice lists its code's rows, so there "fewer than 3" may be none."""
        cells = {}
        empty = bool(board["slice"]["payer_type"])
        for name, key in (("denial_reasons", "key"), ("denial_categories", "key"), ("payer_types", "key"),
                          ("reports_per_month", "month")):
            cells[name] = {row[key]: self.count(row, can_be_zero=empty) for row in board.get(name, [])}
        categories = cells["denial_categories"]
        for name in ("denial_reasons", "payer_types", "reports_per_month"):
            if board.get(name):
                self.sums.append((total, list(cells[name].values()), True))
        if categories:
            self.sums.append((total, list(categories.values()), False))
            for category, index in categories.items():
                parts = [cells["denial_reasons"][k] for k, c in REASONS.items() if c == category
                         and k in cells["denial_reasons"]]
                if board.get("denial_reasons"):
                    self.sums.append((index, parts, True))
        attempts = []
        for row in board.get("appeal_strategies", []):
            attempts.append(self.count(row["attempts"], can_be_zero=empty))
            outcomes = [self.count(row[o], can_be_zero=True) for o in OUTCOMES]
            self.sums.append((attempts[-1], outcomes, True))
        if attempts:
            self.sums.append((total, attempts, False))
        cells["appeal_strategies"] = attempts
        return cells

    def narrowed(self, ranges: list[list[int]]) -> bool:
        """Cut each range to what the sums allow; False when some range empties (no table fits)."""
        changed = True
        while changed:
            changed = False
            for total, parts, exact in self.sums:
                lo, hi = sum(ranges[p][0] for p in parts), sum(ranges[p][1] for p in parts)
                bounds = [(total, lo, hi if exact else ranges[total][1])]
                bounds += [(p, (ranges[total][0] - hi + ranges[p][1]) if exact else 0, ranges[total][1] - lo + ranges[p][0])
                           for p in parts]
                for variable, low, high in bounds:
                    new = [max(ranges[variable][0], low), min(ranges[variable][1], high)]
                    if new[0] > new[1]:
                        return False
                    if new != ranges[variable]:
                        ranges[variable], changed = new, True
        return True

    def feasible(self, fixed: int, value: int) -> bool:
        """Is there a whole integer table that fits every range and sum, with cell `fixed` at `value`?"""
        def search(ranges: list[list[int]]) -> bool:
            if not self.narrowed(ranges):
                return False
            open_cells = [i for i, (lo, hi) in enumerate(ranges) if lo < hi]
            if not open_cells:
                return True
            variable = min(open_cells, key=lambda i: ranges[i][1] - ranges[i][0])
            for candidate in range(ranges[variable][0], ranges[variable][1] + 1):
                trial = [list(r) for r in ranges]
                trial[variable] = [candidate, candidate]
                if search(trial):
                    return True
            return False

        ranges = [list(r) for r in self.ranges]
        ranges[fixed] = [value, value]
        return search(ranges)

    def derivable(self) -> list[int]:
        """Suppressed cells that only one value fits."""
        return [i for i in self.suppressed
                if sum(self.feasible(i, v) for v in range(self.ranges[i][0], self.ranges[i][1] + 1)) < 2]


def read_whole(reports, threshold=5) -> tuple[Reader, dict]:
    reader = Reader()
    board = published_dashboard(stored_dashboard(reports, threshold=threshold))
    reader.board(board, reader.count(len(reports)))  # the worst case: the exact count is known
    return reader, board


report = st.tuples(st.sampled_from(sorted(REASONS)), st.sampled_from(PAYERS), st.sampled_from(MONTHS),
                   st.sampled_from(STRATEGIES), st.sampled_from((None, *OUTCOMES)), st.integers(0, 3))


@settings(max_examples=80, deadline=None)
@given(st.lists(report, min_size=5, max_size=14))
def test_no_suppressed_count_can_be_derived_from_a_dashboard(reports):
    reader, board = read_whole(reports)
    assert reader.derivable() == [], board


@settings(max_examples=30, deadline=None)
@given(st.lists(report, min_size=5, max_size=11), st.sampled_from(PAYERS), st.sampled_from(PAYERS))
def test_slices_and_the_whole_together_reveal_no_suppressed_count(reports, first, second):
    """The whole and one or two payer-type slices, read together: each slice's cells sum into the whole's."""
    reader = Reader()
    whole = published_dashboard(stored_dashboard(reports))
    whole_cells = reader.board(whole, reader.count(len(reports)))
    payers = sorted({first, second})
    slices = []
    for payer in payers:
        board = published_dashboard(stored_dashboard(reports, payer_type=payer), whole=stored_dashboard(reports))
        if board["report_count"] is None:
            assert not whole["live"] or payer not in whole_cells["payer_types"] or SUPPRESSED_LABEL in str(whole)
            continue
        total = reader.count({"count": board["report_count"], "display": str(board["report_count"])})
        if board["live"]:
            reader.ranges[total] = (max(reader.ranges[total][0], board["threshold"]), reader.ranges[total][1])
        if payer in whole_cells["payer_types"]:  # the same count, shown the same way in both
            assert board["report_count"] == next(r["count"] for r in whole["payer_types"] if r["key"] == payer)
            reader.sums.append((whole_cells["payer_types"][payer], [total], True))
        if board["live"]:
            slices.append(reader.board(board, total) | {"withheld": board["disclosure"]["withheld"]})
    # Where the slices read are every payer type with reports, the whole's cells are exactly their sums.
    listed = set(whole_cells["payer_types"])
    complete = bool(listed) and len(slices) == len(listed) and set(payers) >= listed
    for name in ("denial_reasons", "payer_types", "reports_per_month", "denial_categories"):
        for key, index in whole_cells[name].items():
            shown_in_all = complete and not any(name in cells["withheld"] for cells in slices)
            reader.sums.append((index, [cells[name][key] for cells in slices if key in cells[name]], shown_in_all))
    assert reader.derivable() == []


def test_months_three_three_and_one_of_seven():
    reports = [("CO-97", "medicare", month, None, None, i % 3) for month, n in zip(MONTHS, (3, 3, 1)) for i in range(n)]
    reader, board = read_whole(reports)
    assert reader.derivable() == []
    assert board["report_count"] == 5 and board["reports_per_month"] == []
    assert "reports_per_month" in board["disclosure"]["withheld"]


def test_tried_five_won_four_lost_fewer_than_three():
    reports = [("CO-97", "medicare", "2026-08", "corrected_claim", "won", i % 3) for i in range(4)]
    reports += [("CO-97", "medicare", "2026-08", "corrected_claim", "lost", 0), ("CO-97", "medicare", "2026-08",
                                                                                  None, None, 1)]
    reader, board = read_whole(reports)
    assert reader.derivable() == []
    row = board["appeal_strategies"][0]
    assert (row["attempts"]["display"], row["won"]["display"], row["lost"]["display"]) == ("5", "5", SUPPRESSED_LABEL)
    assert row["pending"]["display"] == row["partially_won"]["display"] == SUPPRESSED_LABEL


def test_tried_fewer_than_three_all_won_shows_no_zero():
    reports = [("CO-97", "medicare", "2026-08", None, None, i % 3) for i in range(5)]
    reports += [("CO-97", "medicare", "2026-08", "peer_to_peer", "won", 0)] * 2
    reader, board = read_whole(reports)
    assert reader.derivable() == []
    row = board["appeal_strategies"][0]
    assert {row[o]["display"] for o in ("attempts", *OUTCOMES)} == {SUPPRESSED_LABEL}
    assert row["success_rate"] is None


def test_a_pinned_table_is_withheld_and_the_rest_stays():
    # Exactly known 7 = 3 + 3 + (1 or 2) forces the last month to be 1: the months table cannot be shown.
    reports = [("CO-97", "medicare", month, None, None, i % 3) for month, n in zip(MONTHS, (3, 3, 1)) for i in range(n)]
    board = published_dashboard(stored_dashboard(reports))
    assert board["reports_per_month"] == [] and "reports_per_month" in board["disclosure"]["withheld"]
    assert board["denial_reasons"][0]["display"] == "5"


def test_rows_are_ordered_by_what_is_shown_not_by_exact_count():
    reports = [("CO-97", "medicare", "2026-08", None, None, i % 3) for i in range(8)]
    reports += [("OA-18", "medicare", "2026-08", None, None, 0)] * 2 + [("CO-16", "medicare", "2026-08", None, None, 1)]
    board = published_dashboard(stored_dashboard(reports))
    assert [r["key"] for r in board["denial_reasons"]][1:] == ["CO-16", "OA-18"]  # by key, not 1 < 2


def test_cells_round_to_the_base_and_small_ones_read_fewer_than_three():
    assert [cell(n)["count"] for n in (3, 7)] == [3, 7]  # stored exact; shown rounded:
    board = published_dashboard(stored_dashboard([("CO-97", "medicare", "2026-08", None, None, i % 3)
                                                  for i in range(8)]))
    assert board["report_count"] == 10 and board["denial_reasons"][0]["count"] == 10
    assert board["denial_reasons"][0]["share"] == 1.0


def test_figures_that_contradict_the_sums_end_with_the_tables_withheld():
    # Reason rows that name a category the categories table does not count (data written around the
    # API's category rule): the audit must stop, and show no table it cannot reason about.
    reports = [("CO-97", "medicare", "2026-08", None, None, i % 3) for i in range(10)]
    stored = stored_dashboard(reports)
    stored["denial_categories"] = ranked_rows([{"key": "bundling", "label": "bundling", "count": 3}], 10)
    board = published_dashboard(stored)
    assert board["denial_reasons"] == [] and "denial_reasons" in board["disclosure"]["withheld"]
    assert board["report_count"] == 10
