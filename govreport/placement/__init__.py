"""Decide which column each printed value of a table belongs to.

A printed row lists value cells; the template says how many columns the row
has. Usually the reading is plain — the cells line up with the columns, perhaps
after layout padding. When they do not, every reading the damage could have
produced is a *candidate*:

* **positional**: the printed cells are the columns, but leading empty cells
  may be layout structure (a spanned label column) rather than blanks, and
  trailing empty cells may be padding;
* **dropped blanks**: the extraction dropped the row's blank cells and packed
  its values to the left (seed 003: ``| 1 | 1 | |||||||``), so the values keep
  their order but may sit in any columns. Rows whose values are fewer than the
  columns, contiguous and first get these candidates when the row prints fewer
  cells than columns, or when the layout is registered ``may_drop_blanks``. If
  a row of the document prints a blank between two values on one line, the
  extraction may keep its blanks, so a row printing all its cells may also be
  exactly what it prints: when the relations keep any reading of that row, the
  printed one stays with them even if it breaks them (``Candidate.stays``);
* **digit runs** (run-together layout): the run cut into at most as many numbers
  as there are columns, none with a leading zero, placed in order (a flattened
  table prints nothing for a blank, so blanks may fall anywhere; with
  ``fewest_blanks``, cells the relations leave open are inferred from the readings
  with the fewest blanks, finding R6).

The table's relations (:mod:`govreport.spec.relations`, blank counted as 0) then
select the candidates that can be part of a consistent table: first each row's
own relations (S3, S4), then all of them jointly, as linear equations over one
Boolean per candidate: searched reading by reading when the rows have few readings
between them (:mod:`._search`), else solved with Z3. A cell whose value is the same in every
surviving candidate is resolved (and marked ``inferred`` unless it is the plain
reading); otherwise it is ``ambiguous`` with its possible values listed (unless
``fewest_blanks`` pins it, marked ``inferred``). If no combination satisfies the
relations, the source itself breaks them: every reading its rows allow, the printed
one included, stays open.

Cost is bounded, and past a bound the cells are left unresolved, never slow: a
digit run is cut at most ``MAX_RUN_SPLITS`` ways; a row keeps at most
``MAX_ROW_CANDIDATES`` readings and a table ``MAX_TABLE_CANDIDATES``; all
placement work of one parse shares ``PARSE_BUDGET_S`` seconds (finding R3 when
a bound is hit).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache, lru_cache
from itertools import combinations
from math import comb

from attrs import evolve, frozen

from govreport.grammars import placeholder_words, vocabulary
from govreport.model import Cell, CellState, Finding, Row, Severity, Table
from govreport.placement import _aligned, _search
from govreport.placement.values import cell as make_cell
from govreport.placement.values import value as number_of
from govreport.spec import paths
from govreport.spec.dictionary import Column, TableDef
from govreport.spec.relations import Relation
from govreport.tables import Printed, PrintedRow, PrintedTable

MAX_ROW_CANDIDATES = 2000
MAX_TABLE_CANDIDATES = 5000
MAX_RUN_SPLITS = 50_000
#: Seconds of placement work per parse, shared by every table (run splitting,
#: the joint solve, the pass with stated figures).
PARSE_BUDGET_S = 3.0

_UNKNOWN = object()  # a placeholder: the relation cannot be evaluated
_NEVER = -(10**12)  # stands for a placeholder in a stated figure: never matches


@frozen
class Candidate:
    cells: tuple[Printed | None, ...]  #: one per column; None: nothing printed there
    plain: bool = False
    #: kept whatever the relations say: the printed reading of a row that may
    #: have lost blanks, in a document that shows it keeps them
    stays: bool = False
    #: the reading the values' printed positions give (an aligned layout's short row)
    aligned: bool = False


class TooMany(Exception):
    """More readings than the bounds allow: the row stays unresolved."""


class Budget:
    """A deadline shared by all placement work of one parse."""

    def __init__(self, seconds: float = PARSE_BUDGET_S) -> None:
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def check(self) -> None:
        if self.left() <= 0:
            raise TooMany


def candidates(
    row: PrintedRow,
    width: int,
    accept: Callable[[list], bool] | None = None,
    budget: Budget | None = None,
    may_drop_blanks: bool = True,
    keeps_blanks: bool = False,
) -> tuple[list[Candidate], list[Candidate] | None]:
    """Every reading of ``row`` as ``width`` columns (see the module docstring).

    Returns the readings ``accept`` (the row's own relations, on the row's
    numbers with blank as 0) lets through — all of them for rows that are not
    digit runs, which ``place`` filters itself — and every reading, or None when
    there were too many to keep. Raises :class:`TooMany` past the bounds.
    """
    cells = row.cells
    filled = [i for i, c in enumerate(cells) if not c.empty]
    runs = [c for c in cells if c.kind == "RUN"]
    if runs:
        if len(runs) == 1 and len(filled) == 1:
            return _run_candidates(runs[0], width, accept, budget or Budget())
        return [], []  # a run beside other values: not read (R4), not guessed
    found = _cell_candidates(row, width, may_drop_blanks, keeps_blanks)
    return found, found


def _cell_candidates(
    row: PrintedRow, width: int, may_drop_blanks: bool, keeps_blanks: bool
) -> list[Candidate]:
    cells = row.cells
    filled = [i for i, c in enumerate(cells) if not c.empty]
    # Keyed by what a candidate reads, so that windows reading alike count once.
    out: dict[tuple, Candidate] = {}
    windows = [
        s
        for s in range(0, row.lead + 1)
        if s + width >= (filled[-1] + 1 if filled else 0) and s + width <= len(cells)
    ]
    for s in windows:
        window = tuple(cells[s : s + width])
        out.setdefault(_reading(window), Candidate(window))
    dropped = may_drop_blanks or len(cells) < width  # too few cells: some were dropped
    shifted = (
        dropped and _packed_left(filled, width) and comb(width, len(filled)) <= MAX_ROW_CANDIDATES
    )
    if len(out) == 1:
        only = next(iter(out))
        stays = shifted and keeps_blanks and len(cells) >= width
        out[only] = Candidate(out[only].cells, plain=True, stays=stays)
    if shifted:
        values = [cells[i] for i in filled]
        for columns in combinations(range(width), len(values)):
            placed: list[Printed | None] = [None] * width
            for col, printed in zip(columns, values, strict=True):
                placed[col] = printed
            out.setdefault(_reading(placed), Candidate(tuple(placed)))
    if not out and not filled:
        # only a label was printed: every cell is blank, as printed
        out[()] = Candidate((None,) * width, plain=True)
    return list(out.values())


_RUN = re.compile(r"(?P<digits>[\d ]*\d)(?P<tail>(\.\d+)? *(万元|元)?)")


def _run_candidates(
    run: Printed, width: int, accept: Callable[[list], bool] | None, budget: Budget
) -> tuple[list[Candidate], list[Candidate] | None]:
    """The ways to read a digit run as a row of ``width`` cells.

    A run holds the row's values with nothing between them, and a flattened
    table prints nothing for a blank cell: so it is cut into ``k <= width``
    numbers, none with a leading zero, placed in order in ``k`` of the columns
    (the others blank). A space in the run separates two numbers (a number holds
    no space; a crawler puts one between some cells and none between others), so
    every reading cuts there; a decimal part or unit stays with the last number.
    Past ``MAX_RUN_SPLITS`` readings (section 四's fifteen cells glued), only the
    readings the row's own relations allow are searched for.
    """
    m = _RUN.fullmatch(run.text.strip())
    if m is None:
        raise TooMany
    relations = getattr(accept, "relations", None) if accept is not None else None
    key = (m["digits"], m["tail"], width, accept is None, tuple(relations or ()))
    found = _SPLITS.get(key)
    if found is None:
        found = _split_run(m["digits"], m["tail"], width, accept, budget)
        size = len(found.chosen) + (found.count if found.every is not None else 0)
        if size <= _SPLIT_KEPT:
            if len(_SPLITS) >= _SPLITS_KEPT or _SPLITS_SIZE[0] + size > _SPLITS_READINGS:
                clear_caches()
            _SPLITS[key] = found
            _SPLITS_SIZE[0] += size
    every = found.every
    made: dict[str, Printed] = {}  # one cell per distinct part (they are frozen)

    def build(parts: list[str], columns: tuple[int, ...]) -> Candidate:
        placed: list[Printed | None] = [None] * width
        for col, p in zip(columns, parts, strict=True):
            cell = made.get(p)
            if cell is None:
                cell = made[p] = Printed(p, _kind(p), run.line, run.column, run.source, run.moved)
            placed[col] = cell
        return Candidate(tuple(placed), plain=found.plain)

    every_built = (
        None if every is None else _Readings(lambda: [build(p, c) for p, c in every()], found.count)
    )
    if found.all_chosen and every_built is not None:
        return list(every_built), every_built
    return [build(parts, columns) for parts, columns in found.chosen], every_built


_Split = tuple[list[str], tuple[int, ...]]  #: a run's reading: its parts and their columns


@frozen
class _RunReadings:
    """A digit run's readings: those its row's own relations allow (``chosen``; every one
    when none does), and every one, listed when first asked for (``every``: None past
    ``MAX_ROW_CANDIDATES``)."""

    chosen: list[_Split]
    every: Callable[[], list[_Split]] | None
    count: int  #: how many readings there are
    all_chosen: bool = False  #: ``chosen`` is every reading
    plain: bool = False  #: a one-column run read as printed


#: A digit run's readings by (digits, tail, width, the row's own relations): the same run
#: under the same relations reads alike in every row and report (``0000000`` in most).
_SPLITS: dict[tuple, _RunReadings] = {}
_SPLITS_KEPT = 256
#: Readings of one run at most that are kept (those it keeps, and every one if listed),
#: and of all runs kept: the cache's memory is bounded (a reading is a few hundred bytes).
#: One run's most, a row's most: the pinned second placement of a report (see
#: ``pipeline._place``) reads section 四's glued row again as it was read first.
_SPLIT_KEPT = MAX_ROW_CANDIDATES * 2
_SPLITS_READINGS = 16_000
_SPLITS_SIZE = [0]  #: readings kept now
#: Runs with at most this many readings have each checked against the row's relations;
#: past it, the readings the relations allow are searched for (cheaper when many).
_CHECKED_RUN = 256


def _split_run(
    spaced: str, tail_text: str, width: int, accept: Callable[..., bool] | None, budget: Budget
) -> _RunReadings:
    """A run's readings (its digits, spaces kept, and what follows them). Where the row
    has relations of its own, only the readings they allow are searched for; every
    reading is listed only when asked for. Raises :class:`TooMany` past the bounds."""
    groups = spaced.split()
    digits, tail = "".join(groups), tail_text.replace(" ", "")
    forced: set[int] = set()  # cut positions a space shows
    for group in groups[:-1]:
        forced.add((max(forced) if forced else 0) + len(group))
    count = _readings_of_run(digits, forced, width)
    every = (
        None
        if count > MAX_ROW_CANDIDATES
        else cache(lambda: _list_run(digits, tail, forced, width))
    )
    if accept is not None and count > MAX_RUN_SPLITS:
        # too many to list: search the readings the row's own relations allow, checking
        # each relation as soon as its columns are placed
        return _RunReadings(_search_run(digits, tail, forced, width, accept, budget), None, count)
    if accept is None or not getattr(accept, "spans", None):
        if every is None:
            raise TooMany
        listed = every()
        return _RunReadings(listed, every, count, all_chosen=True, plain=width == 1 and count == 1)
    # the readings the relations allow, in the order every reading is listed in: each
    # reading checked when they are few (a run of zeros: one), else searched for
    kept: list[_Split] = []
    if count <= _CHECKED_RUN:
        place = _placements([rel for rel, _, _ in accept.relations], width)  # type: ignore[attr-defined]
        for parts in _cuts(digits, tail, forced, width):
            kept.extend(
                (parts, columns) for columns in place([Decimal(p.rstrip("万元")) for p in parts])
            )
    else:
        kept = sorted(_search_run(digits, tail, forced, width, accept, budget), key=_listed_order)
    if kept:
        return _RunReadings(kept, every, count)
    if every is None:
        raise TooMany
    return _RunReadings(every(), every, count, all_chosen=True)


def _placements(
    relations: Sequence[_InRow], width: int
) -> Callable[[list[Decimal]], list[tuple[int, ...]]]:
    """For a cut's numbers, the columns (in order, the rest blank) under which every
    relation holds, in the order :func:`itertools.combinations` lists them. Columns are
    tried left to right, and a branch is left when the numbers still to place cannot
    balance a relation, whichever columns they take."""
    weights = [
        [left.count(j) - right.count(j) for j in range(width)] for left, right, _, _ in relations
    ]
    targets = [constant for _, _, constant, _ in relations]
    # the least and greatest weight of a relation over the columns from c on
    low = [[min(w[c:]) for c in range(width)] + [0] for w in weights]
    high = [[max(w[c:]) for c in range(width)] + [0] for w in weights]
    indexes = range(len(relations))

    def place(numbers: list[Decimal]) -> list[tuple[int, ...]]:
        out: list[tuple[int, ...]] = []
        count = len(numbers)
        left_over = [sum(numbers[i:]) for i in range(count)] + [0]
        columns: list[int] = []
        sums = [0] * len(relations)

        def visit(i: int, start: int) -> None:
            if i == count:
                if all(sums[r] == targets[r] for r in indexes):
                    out.append(tuple(columns))
                return
            rest = left_over[i]
            for r in indexes:  # the numbers from i on add between rest·low and rest·high
                gap = targets[r] - sums[r]
                if not rest * low[r][start] <= gap <= rest * high[r][start]:
                    return
            for c in range(start, width - (count - i) + 1):
                for r in indexes:
                    sums[r] += weights[r][c] * numbers[i]
                columns.append(c)
                visit(i + 1, c + 1)
                columns.pop()
                for r in indexes:
                    sums[r] -= weights[r][c] * numbers[i]

        visit(0, 0)
        return out

    return place


def _listed_order(reading: _Split) -> tuple:
    """Where :func:`_list_run` lists a reading: more numbers first, then by the numbers'
    lengths (shorter first, from the left), then by their columns."""
    parts, columns = reading
    return -len(parts), tuple(len(p) for p in parts), columns


def _cuts(digits: str, tail: str, forced: set[int], width: int) -> list[list[str]]:
    """The ways to cut a run into at most ``width`` numbers (none with a leading zero, none
    across a space; the tail on the last), most numbers first."""
    out: list[list[str]] = []

    def cut(start: int, parts: list[str], count: int) -> None:
        left = count - len(parts)
        if left == 1:
            last = digits[start:]
            if (len(last) == 1 or last[0] != "0") and not any(start < f for f in forced):
                out.append([*parts, last + tail])
            return
        for end in range(start + 1, len(digits) - left + 2):
            part = digits[start:end]
            if len(part) > 1 and part[0] == "0":
                break
            cut(end, [*parts, part], count)
            if end in forced:
                break  # a part never runs over a space

    for count in range(min(width, len(digits)), 0, -1):
        cut(0, [], count)
    return out


def _list_run(digits: str, tail: str, forced: set[int], width: int) -> list[_Split]:
    """Every reading of a run: cut into numbers (none with a leading zero, none across a
    space), placed in order in as many of the columns."""
    return [
        (parts, columns)
        for parts in _cuts(digits, tail, forced, width)
        for columns in combinations(range(width), len(parts))
    ]


class _Readings(Sequence[Candidate]):
    """A row's readings, built when first looked at (most rows never need them all)."""

    def __init__(self, make: Callable[[], list[Candidate]], count: int) -> None:
        self._make, self._count = make, count
        self._built: list[Candidate] | None = None

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):  # type: ignore[override]
        if self._built is None:
            self._built = self._make()
        return self._built[index]


def _readings_of_run(digits: str, forced: set[int], width: int) -> int:
    """How many readings ``_run_candidates`` would list: the ways to cut ``digits``
    into ``k`` numbers (no leading zero, no number across a space), times the ways
    to place them in ``k`` of ``width`` columns."""

    @cache
    def cuts(start: int, left: int) -> int:
        if left == 1:
            last = digits[start:]
            ok = (len(last) == 1 or last[0] != "0") and not any(start < f for f in forced)
            return int(ok)
        total = 0
        for end in range(start + 1, len(digits) - left + 2):
            if end - start > 1 and digits[start] == "0":
                break
            total += cuts(end, left - 1)
            if end in forced:
                break
        return total

    return sum(
        cuts(0, count) * comb(width, count) for count in range(min(width, len(digits)), 0, -1)
    )


class _Steps:
    """Work done on one run, bounded: ``MAX_RUN_SPLITS`` steps, and the parse's budget."""

    def __init__(self, budget: Budget) -> None:
        self.count, self.budget = 0, budget

    def step(self) -> None:
        self.count += 1
        if self.count > MAX_RUN_SPLITS:
            raise TooMany
        if self.count % 1024 == 0:
            self.budget.check()


def _search_run(
    digits: str,
    tail: str,
    forced: set[int],
    width: int,
    accept: Callable[..., bool],
    budget: Budget,
) -> list[tuple[list[str], tuple[int, ...]]]:
    """The readings of a digit run that its row's own relations allow.

    The row's columns fall into segments no relation crosses (section 四: 复议,
    直接起诉, 复议后起诉, five columns each); each segment's readings are searched
    depth first from each place in the run, checked by its relations, and memoised,
    so the segments combine without re-searching. Where the row's relations are
    sums (last column = the others) and more (a stated figure on some of its cells),
    the sums' readings are searched for and the others checked on each. Raises
    :class:`TooMany` past ``MAX_ROW_CANDIDATES`` readings or ``MAX_RUN_SPLITS`` steps."""
    relations = getattr(accept, "relations", [])
    sums = [x for x in relations if _is_total_after_parts([x], x[1], x[2] + 1)]
    others = [x for x in relations if x not in sums]
    if sums and others and not tail:
        # a sum's segment is searched fastest alone (_total_after_parts); the readings
        # come in the same order as a search with every relation would give them
        try:
            found = _search_run(digits, tail, forced, width, _accepting(sums), budget)
        except TooMany:
            pass  # too many without the others to prune them: search with them all
        else:
            return [
                (parts, columns)
                for parts, columns in found
                if all(_holds(r, _placed(parts, columns, width)) for r, _, _ in others)
            ]
    spans: list[tuple[int, int]] = getattr(accept, "spans", [])
    bounds = [0]
    for column in range(1, width):
        if not any(lo < column <= hi for lo, hi in spans):
            bounds.append(column)
    bounds.append(width)
    steps = _Steps(budget)
    sum_cuts = _SumCuts(digits, forced, steps)

    def segment(position: int, lo: int, hi: int) -> list[tuple[int, list[str], list[int]]]:
        """Ways to fill columns lo..hi-1 from ``position``: (end, parts, columns)."""
        if not tail and _is_total_after_parts(getattr(accept, "relations", []), lo, hi):
            return _total_after_parts(sum_cuts, position, lo, hi)
        out: list[tuple[int, list[str], list[int]]] = []
        numbers = [0] * width
        parts: list[str] = []
        columns: list[int] = []

        # the columns where a relation of the segment ends: checked once placed
        ends = {end for start, end in spans if lo <= start and end < hi}
        # … and for each, a relation ending there that fixes the column's value
        fixing = {
            end: rel
            for rel, start, end in reversed(getattr(accept, "relations", []))
            if lo <= start and end < hi and (rel[0] + rel[1]).count(end) == 1
        }

        def holds(column: int) -> bool:
            return column not in ends or accept(numbers, since=lo, at=column)

        # relations of the segment, to drop a part too big for what the digits left
        # can balance: a relation's unplaced columns hold numbers below 10**(digits left)
        open_relations = [
            (rel[0], rel[1], rel[2], start, end)  # a column twice counts twice
            for rel, start, end in getattr(accept, "relations", [])
            if lo <= start and end < hi
        ]

        def can_balance(column: int, end: int) -> bool:
            if tail:
                return True  # a decimal or unit at the end: no such bound
            most = 10 ** (len(digits) - end) - 1
            for left, right, constant, start, last in open_relations:
                if not start <= column < last:
                    continue
                total = -constant
                total += sum(numbers[j] for j in left if j <= column)
                total -= sum(numbers[j] for j in right if j <= column)
                more_left = sum(1 for j in left if j > column)
                more_right = sum(1 for j in right if j > column)
                if total + more_left * most < 0 or total - more_right * most > 0:
                    return False
            return True

        def needed(column: int) -> str | None:
            """The one part a relation ending at ``column`` lets it hold (its other
            columns are placed), or None when any part may do."""
            rel = fixing.get(column)
            if rel is None or tail:
                return None
            left, right, constant, _ = rel
            total = sum((numbers[j] for j in left if j != column), start=-constant)
            total -= sum(numbers[j] for j in right if j != column)
            value = -total if column in left else total
            return str(value) if value >= 0 and value == int(value) else ""

        def visit(at: int, column: int) -> None:
            steps.step()
            if column == hi:
                out.append((at, list(parts), list(columns)))
                return
            if holds(column):
                visit(at, column + 1)  # this column blank
            limit = next((f for f in sorted(forced) if f > at), len(digits))
            need = needed(column)
            if need is not None:  # only the part the relation needs can do
                end = at + len(need)
                fits = need and end <= limit and digits.startswith(need, at)
                ends_here = range(end, end + 1) if fits else range(0)
            else:
                ends_here = range(at + 1, limit + 1)
            for end in ends_here:
                part = digits[at:end]
                if len(part) > 1 and part[0] == "0":
                    break
                value = part + tail if end == len(digits) else part
                numbers[column] = Decimal(value.rstrip("万元 "))
                if holds(column) and can_balance(column, end):
                    parts.append(part)
                    columns.append(column)
                    visit(end, column + 1)
                    parts.pop()
                    columns.pop()
            numbers[column] = 0

        visit(position, lo)
        return out

    memo: dict[tuple[int, int], list[tuple[list[str], list[int]]]] = {}
    # the fewest numbers digits[p:] cuts into: a 0 is a number of its own, and a number
    # of other digits may run on to the next space
    fewest = [0] * (len(digits) + 1)
    for p in range(len(digits) - 1, -1, -1):
        end = p + 1 if digits[p] == "0" else min((f for f in forced if f > p), default=len(digits))
        fewest[p] = 1 + fewest[end]

    def rest(position: int, index: int) -> list[tuple[list[str], list[int]]]:
        """Readings of digits[position:] into segments index… (parts, columns)."""
        if index == len(bounds) - 1:
            return [([], [])] if position == len(digits) else []
        if fewest[position] > width - bounds[index]:
            return []  # more numbers left than columns
        key = (position, index)
        if key not in memo:
            found = []
            for end, parts, columns in segment(position, bounds[index], bounds[index + 1]):
                for more_parts, more_columns in rest(end, index + 1):
                    found.append((parts + more_parts, columns + more_columns))
                    if len(found) > MAX_ROW_CANDIDATES:
                        raise TooMany
            memo[key] = found
        return memo[key]

    return [
        ([*parts[:-1], parts[-1] + tail], tuple(columns)) for parts, columns in rest(0, 0) if parts
    ]


def _placed(parts: list[str], columns: Sequence[int], width: int) -> list:
    """A reading's numbers by column, blank as 0."""
    values: list = [0] * width
    for part, column in zip(parts, columns, strict=True):
        values[column] = Decimal(part)
    return values


def _is_total_after_parts(relations: Sequence, lo: int, hi: int) -> bool:
    """Is the one relation within columns lo..hi-1 their last column = the sum of the
    others (S3, S4)?"""
    inside = [rel for rel, start, end in relations if lo <= start and end < hi]
    if len(inside) != 1:
        return False
    left, right, constant, _ = inside[0]
    return tuple(left) == (hi - 1,) and sorted(right) == list(range(lo, hi - 1)) and constant == 0


class _SumCuts:
    """The cuts of one digit run's stretches into numbers summing to a total, found once
    for every segment and place of one search (:func:`_total_after_parts`)."""

    def __init__(self, digits: str, forced: set[int], steps: _Steps) -> None:
        self.digits, self.steps = digits, steps
        #: where a number starting at each place must end at the latest (a space)
        self.latest = [
            min((f for f in forced if f > start), default=len(digits))
            for start in range(len(digits))
        ]
        self.digit_sums = [0]
        for d in digits:
            self.digit_sums.append(self.digit_sums[-1] + int(d))
        self.known: dict[tuple[int, int, int, int], list[list[str]]] = {}
        #: each segment's readings by (place in the digits, width), columns from 0
        self.segments: dict[tuple[int, int], list[tuple[int, list[str], list[int]]]] = {}

    def fits(self, start: int, end: int) -> bool:
        """Can digits[start:end] be one number (no leading zero, no space inside)?"""
        return (end - start == 1 or self.digits[start] != "0") and end <= self.latest[start]

    def cuts(self, start: int, stop: int, target: int, most: int) -> list[list[str]]:
        """Cuts of digits[start:stop] into at most ``most`` numbers summing to target."""
        key = (start, stop, target, most)
        found = self.known.get(key)
        if found is not None:
            return found
        self.steps.step()
        digits, digit_sums = self.digits, self.digit_sums
        out: list[list[str]] = []
        if start == stop:
            out = [[]] if target == 0 else []
        elif digit_sums[stop] - digit_sums[start] > target or target >= 10 ** (stop - start):
            pass  # a number is no less than its digits' sum, and has fewer digits than that
        elif most == 1:  # the stretch is the number, or no cut sums to the target
            if self.fits(start, stop) and int(digits[start:stop]) == target:
                out = [[digits[start:stop]]]
        elif most:
            last = min(stop, self.latest[start], start + 1 if digits[start] == "0" else stop)
            for end in range(start + 1, last + 1):
                value = int(digits[start:end])
                if value > target:
                    break
                out.extend(
                    [digits[start:end], *more]
                    for more in self.cuts(end, stop, target - value, most - 1)
                )
        self.known[key] = out
        return out


def _total_after_parts(
    sums: _SumCuts, position: int, lo: int, hi: int
) -> list[tuple[int, list[str], list[int]]]:
    """The ways to fill columns lo..hi-1 from ``position`` when the last column is the
    sum of the others (each blank or a number): for each place and length of the total,
    the cuts of the digits before it that sum to it; for a blank total, cuts into zeros.
    As ``_search_run``'s depth-first search lists them: column by column, blank first,
    then shorter numbers first. (end, parts, columns)."""
    key = (position, hi - lo)
    found = sums.segments.get(key)
    if found is None:  # segments of one width read alike, but for their first column
        found = sums.segments[key] = _sum_segment(sums, position, hi - lo)
    return [(end, parts, [lo + c for c in columns]) for end, parts, columns in found]


def _sum_segment(
    sums: _SumCuts, position: int, width: int
) -> list[tuple[int, list[str], list[int]]]:
    """:func:`_total_after_parts` for the columns 0..width-1."""
    digits, cuts = sums.digits, sums.cuts
    parts_width = width - 1
    found: list[tuple[tuple, int, list[str], list[int]]] = []

    def add(parts: list[str], total: str | None, end: int) -> None:
        for columns in combinations(range(parts_width), len(parts)):
            placed = dict(zip(columns, parts, strict=True))
            if total is not None:
                placed[parts_width] = total
            key = tuple((1, len(placed[c])) if c in placed else (0,) for c in range(width))
            found.append((key, end, [placed[c] for c in sorted(placed)], sorted(placed)))

    # a blank total: the parts are all 0
    end = position
    while True:
        for zeros in cuts(position, end, 0, parts_width):
            add(zeros, None, end)
        if end == len(digits) or digits[end] != "0" or end - position >= parts_width:
            break
        end += 1
    # a total from each place on, after the parts before it
    for start in range(position, len(digits)):
        sums.steps.budget.check()
        # numbers cut from a run of digits sum to no more than the run read as one number
        most = int(digits[position:start] or 0)
        for stop in range(start + 1, len(digits) + 1):
            if not sums.fits(start, stop):
                break
            total = digits[start:stop]
            if int(total) > most:
                break  # and a longer total is larger still
            for parts in cuts(position, start, int(total), parts_width):
                add(parts, total, stop)
    found.sort(key=lambda f: f[0])
    return [(end, parts, columns) for _, end, parts, columns in found]


def _broken_in_every_reading(
    table: TableDef,
    row: PrintedRow,
    relations: Sequence[Relation],
    where: dict[str, tuple[int, int]],
    readings: list[list],
) -> list[Finding]:
    out = []
    for rel in relations:
        if rel.code not in SOURCE_CHECKED:
            continue
        in_row = _in_row(rel, where)
        if not any(_holds(in_row, numbers) for numbers in readings):
            out.append(
                Finding(
                    rel.code,
                    Severity.ERROR,
                    f"{rel.code} broken — {rel.description}: no reading of {table.key} row "
                    f"{row.label!r} (line {row.line}) satisfies it, so the source breaks it "
                    "whichever cells its values belong to",
                    paths=rel.paths,
                    lines=(row.line,),
                )
            )
    return out


#: Relations whose breaking is the source's error (not a statement in the prose).
SOURCE_CHECKED = frozenset({"S3", "S4"})


def _kind(text: str) -> str:
    return "MONEY" if "元" in text else "DECIMAL" if "." in text else "COUNT"


def _reading(cells: Sequence[Printed | None]) -> tuple:
    return tuple(None if c is None or c.empty else (c.kind, c.text) for c in cells)


def _packed_left(filled: list[int], width: int) -> bool:
    return 0 < len(filled) < width and filled == list(range(len(filled)))


@frozen
class _Rows:
    """What placement knows of a printed table before any reading is chosen."""

    table: TableDef
    rows: tuple[PrintedRow, ...]
    columns: Sequence[Sequence[tuple[str, Column]]]  #: each row's (row key, column), in order
    where: dict[str, tuple[int, int]]  #: cell path → (row, column) index
    relations: list[Relation]  #: the relations of this table
    own: list[list[Relation]]  #: each row's own relations (all their cells in that row)

    @classmethod
    def of(cls, printed: PrintedTable, table: TableDef, rels: Sequence[Relation]) -> _Rows:
        rows = printed.rows
        columns, where = _grid(table, tuple(row.keys for row in rows))
        mine = [r for r in rels if r.table == table.key]
        own: list[list[Relation]] = [[] for _ in rows]
        for rel in mine:
            touched = {where[p][0] if p in where else None for p in rel.paths}
            if len(touched) == 1 and None not in touched:
                own[touched.pop()].append(rel)
        return cls(table, rows, columns, where, mine, own)

    def rows_of(self, rel: Relation) -> set[int]:
        return {self.where[p][0] for p in rel.paths if p in self.where}

    def relations_apart_from(self, broken: set[int]) -> list[Relation]:
        """The relations that touch none of the ``broken`` rows (a row the source broke
        decides nothing about the others)."""
        return [r for r in self.relations if not self.rows_of(r) & broken]


@frozen
class _RowReadings:
    """A row's readings: those its own relations let through (``kept``) and every one
    (``every``, when they were few enough to list: ``listed``)."""

    kept: list[Candidate]
    every: Sequence[Candidate] = ()
    listed: bool = True
    #: past the bounds while reading the row: it stays unresolved
    past_bounds: bool = False


@frozen
class _Consistent:
    """Readings of the uncertain rows that belong to some consistent table."""

    supported: dict[int, set[int]]


@frozen
class _Inconsistent:
    """No choice of readings makes the table consistent (the source breaks it)."""


@frozen
class _PastBounds:
    """Too many readings, or out of time: every uncertain cell stays open."""


_Decision = _Consistent | _Inconsistent | _PastBounds


def place(
    printed: PrintedTable,
    table: TableDef,
    rels: Sequence[Relation],
    budget: Budget | None = None,
    fewest_blanks: bool = False,
) -> tuple[Table, list[Finding]]:
    """Build the model table from its printed rows; findings say what was inferred.

    With ``fewest_blanks``, cells the arithmetic leaves open may still be inferred by
    reading each digit run with as few blank cells as its digits allow (finding R6).
    """
    budget = budget or Budget()
    rows = _Rows.of(printed, table, rels)
    findings: list[Finding] = []
    readings = [_read_row(rows, i, printed, budget, findings) for i in range(len(rows.rows))]
    cands = [r.kept for r in readings]
    numbers: list[list[list]] = [[] for _ in cands]
    if any(len(cs) > 1 for cs in cands):  # else there is nothing to choose
        seen: dict = {}  # numbers read, by cell (every candidate is alive meanwhile)
        numbers = [
            [_numbers(c, cols, seen) for c in cs]
            for cs, cols in zip(cands, rows.columns, strict=True)
        ]
        del seen
    broken = _prune_by_own_relations(rows, cands, numbers, findings)
    if printed.aligned:
        _narrow_by_position(rows, cands, numbers, broken, budget)
    supported, past_bounds = _choose(rows, readings, cands, numbers, broken, budget, findings)
    fewest = (
        _fewest_blanks(rows, cands, numbers, supported, broken, past_bounds, budget)
        if fewest_blanks
        else {}
    )
    out_rows: dict[str, Row] = {}
    for i, row in enumerate(rows.rows):
        chosen = [cands[i][k] for k in sorted(supported.get(i, ()))] if cands[i] else []
        built, finding = _build_row(table, row, rows.columns[i], chosen)
        if i in fewest:
            narrowed = [cands[i][k] for k in sorted(fewest[i])]
            built, finding, inferred = _with_fewest_blanks(
                table, row, rows.columns[i], chosen, built, finding, narrowed
            )
            if inferred is not None:
                findings.append(inferred)
        out_rows.update(built)
        if finding and i not in past_bounds:
            findings.append(finding)
    return Table(table.key, out_rows, printed.lines), findings


def clear_caches() -> None:
    """Forget the digit-run readings kept from earlier tables (benchmarks call it too)."""
    _SPLITS.clear()
    _SPLITS_SIZE[0] = 0


def has_runs(printed: PrintedTable) -> bool:
    """Does a row of the table print its values as one digit run (``fewest_blanks`` may
    then change the placement)?"""
    return any(c.kind == "RUN" for row in printed.rows for c in row.cells)


def _blanks(cand: Candidate) -> int:
    return sum(c is None or c.empty for c in cand.cells)


def _run_shape(row: PrintedRow) -> tuple[int, int] | None:
    """How many digits the row's digit run holds before any decimal part, and in how many
    space-separated groups (None: no run)."""
    runs = [c for c in row.cells if c.kind == "RUN"]
    if len(runs) != 1:
        return None
    m = _RUN.fullmatch(runs[0].text.strip())
    return (len(m["digits"].replace(" ", "")), len(m["digits"].split())) if m else None


def _fewest_blanks(
    rows: _Rows,
    cands: list[list[Candidate]],
    numbers: list[list[list]],
    supported: dict[int, set[int]],
    broken: set[int],
    past_bounds: set[int],
    budget: Budget,
) -> dict[int, set[int]]:
    """The readings each row keeps when every digit run is read with as few blank cells
    as its digits allow, if the table stays consistent so: by row, the narrowed readings
    (only rows that lost some).

    A flattened table prints nothing for a blank cell, so a run such as ``700`` under three
    columns reads 7, 0, 0 or 70, 0 and a blank, or 700 and two blanks. Reading no more
    blanks than needed is an assumption, so its cells are inferred; it is not made in a
    table that shows it has blank cells: a row printing fewer numbers than its cells, or
    none; a run with fewer digits, or fewer space-separated numbers, than its cells; a run
    whose every reading the relations allow holds more blanks than its digits need. A row
    the source broke is open to the relations, not to this reading.
    """
    shapes = [_run_shape(row) for row in rows.rows]
    for i, row in enumerate(rows.rows):
        width, shape = len(rows.columns[i]), shapes[i]
        if shape is None and sum(not c.empty for c in row.cells) < width:
            return {}
        if shape is not None and (shape[0] < width or 1 < shape[1] < width):
            return {}
    options: list[list[int]] = []
    narrowed: set[int] = set()
    for i, cs in enumerate(cands):
        ks = sorted(supported.get(i, ()))
        if len(ks) > 1 and i not in past_bounds and shapes[i] is not None:
            least = min(_blanks(cs[k]) for k in ks)
            if least > 0:
                return {}  # the relations show a blank where the digits need none
            fewer = [k for k in ks if _blanks(cs[k]) == least]
            if len(fewer) < len(ks):
                ks = fewer
                narrowed.add(i)
        options.append(ks)
    if not narrowed:
        return {}
    sub_cands = [[cs[k] for k in ks] for cs, ks in zip(cands, options, strict=True)]
    sub_numbers = [
        [_numbers(c, cols) for c in cs] for cs, cols in zip(sub_cands, rows.columns, strict=True)
    ]
    rels = rows.relations_apart_from(broken)
    # a narrowed row is checked even when one reading is left: it must fit the others
    uncertain = [
        i for i, ks in enumerate(options) if (len(ks) > 1 or i in narrowed) and i not in broken
    ]
    decision = (
        _decide(rows, uncertain, sub_cands, sub_numbers, rels, budget)
        if uncertain
        else _Consistent({})
    )
    if not isinstance(decision, _Consistent):
        return {}
    out: dict[int, set[int]] = {}
    for i, ks in enumerate(options):
        if i in broken or i not in decision.supported:
            keep = set(ks)
        else:
            keep = {ks[k] for k in decision.supported[i]}
            keep |= {k for k in ks if cands[i][k].stays}
        if keep != supported.get(i, set()) and keep:
            out[i] = keep
    return out


def _with_fewest_blanks(
    table: TableDef,
    row: PrintedRow,
    columns: Sequence[tuple[str, Column]],
    chosen: list[Candidate],
    built: dict[str, Row],
    finding: Finding | None,
    narrowed: list[Candidate],
) -> tuple[dict[str, Row], Finding | None, Finding | None]:
    """Row ``built`` (with its ``finding``) from all its ``chosen`` readings, with the
    cells its ``narrowed`` readings agree on inferred; its finding then, and the R6
    finding for those cells."""
    fewer, _ = _build_row(table, row, columns, narrowed)
    pinned: list[str] = []
    kept: list[str] = []  # still ambiguous
    merged: dict[str, Row] = {}
    for key, whole in built.items():
        cells = dict(whole.cells)
        for col, cell in whole.cells.items():
            if cell.state is not CellState.AMBIGUOUS:
                continue
            path = paths.join(table.key, key, col)
            one = fewer[key].cells[col]
            if one.state is CellState.AMBIGUOUS:
                kept.append(path)
            else:
                cells[col] = evolve(one, inferred=True)
                pinned.append(path)
        merged[key] = evolve(whole, cells=cells)
    if not pinned:
        return built, finding, None
    inferred = [
        paths.join(table.key, key, col)
        for key, r in merged.items()
        for col, cell in r.cells.items()
        if cell.inferred
    ]
    others = [p for p in inferred if p not in pinned]
    # what the relations alone inferred stays theirs (R1); what is still open, R2
    finding = _row_finding(table, row, columns, chosen, others, kept)
    readings = _readings_text(narrowed)
    printed = _printed_row(row)
    how = (
        "it was read with as few blank cells as its digits allow"
        if _run_shape(row) is not None
        else "it was read so that the table's digit runs hold as few blank cells as "
        "their digits allow"
    )
    fewest = Finding(
        "R6",
        Severity.WARNING,
        f"{table.key} row {row.label or row.keys[0]!r} prints [{printed}]; {how} (a "
        f"flattened table prints nothing for a blank cell, so readings with blanks fit "
        f"too): {len(pinned)} cell(s) inferred so",
        paths=tuple(pinned),
        lines=(row.line,),
        candidates=readings,
    )
    return merged, finding, fewest


def _accepting(relations: list[tuple[_InRow, int, int]]) -> Callable[..., bool]:
    """A row's relations (each with its first and last column) as a check of its numbers;
    its ``spans`` and ``relations`` say what it checks, for the searches that place each
    relation's columns in turn."""

    def accept(
        values: list, upto: int | None = None, since: int = 0, at: int | None = None
    ) -> bool:
        """Do the row's relations hold (those within columns ``since``..``upto``,
        or only those ending at column ``at``)?"""
        return all(
            _holds(r, values)
            for r, lo, hi in relations
            if (upto is None or hi <= upto) and lo >= since and (at is None or hi == at)
        )

    accept.spans = [(lo, hi) for _, lo, hi in relations]  # type: ignore[attr-defined]
    accept.relations = relations  # type: ignore[attr-defined]
    return accept


def _read_row(
    rows: _Rows, i: int, printed: PrintedTable, budget: Budget, findings: list[Finding]
) -> _RowReadings:
    """Row ``i``'s readings (a digit run's pruned by the row's own relations as it is cut)."""
    row, where = rows.rows[i], rows.where
    accept = _accepting([(_in_row(r, where), *_span(r, where)) for r in rows.own[i]])
    if _values_in_label(row):
        return _RowReadings([])
    try:
        kept, every = candidates(
            row, len(rows.columns[i]), accept, budget, printed.may_drop_blanks,
            printed.keeps_blanks,
        )  # fmt: skip
    except TooMany:
        findings.append(_too_many(rows.table, [row]))
        return _RowReadings([], listed=False, past_bounds=True)
    return _RowReadings(kept, every if every is not None else (), listed=every is not None)


def _prune_by_own_relations(
    rows: _Rows, cands: list[list[Candidate]], numbers: list[list[list]], findings: list[Finding]
) -> set[int]:
    """A row's own relations (S3, S4) prune its readings first (a digit run's readings
    were pruned while they were cut); if none passes, all stay — and a relation no
    reading satisfies is broken whatever the reading: the source's own error, reported
    although the cells stay open. Returns those rows (``cands`` and ``numbers`` pruned
    in place)."""
    broken: set[int] = set()  # rows no reading of which satisfies their own relations
    for i, cs in enumerate(cands):
        own = rows.own[i]
        if len(cs) > 1:
            found = _broken_in_every_reading(rows.table, rows.rows[i], own, rows.where, numbers[i])
            findings.extend(found)
            if found:
                broken.add(i)
        if len(cs) > 1 and own:
            in_row = [_in_row(r, rows.where) for r in own]
            keep = [k for k in range(len(cs)) if all(_holds(r, numbers[i][k]) for r in in_row)]
            if keep:
                keep = sorted({*keep, *(k for k, c in enumerate(cs) if c.stays)})
                cands[i] = [cs[k] for k in keep]
                numbers[i] = [numbers[i][k] for k in keep]
    return broken


def _narrow_by_position(
    rows: _Rows,
    cands: list[list[Candidate]],
    numbers: list[list[list]],
    broken: set[int],
    budget: Budget,
) -> None:
    """Rows that print fewer values than their columns keep only the reading their
    values' positions give, where they give one that the row's own relations let through
    and that a consistent table takes (``cands`` and ``numbers`` narrowed in place). If
    the table's arithmetic takes none of them so, none is narrowed: the arithmetic
    decides, or the cells stay ambiguous."""
    widths = [len(c) for c in rows.columns]
    narrowed: dict[int, int] = {}  # row → the reading its positions give
    for i, cs in enumerate(cands):
        if len(cs) < 2 or i in broken:
            continue
        columns = _aligned.columns_of(rows.rows, widths, i)
        if columns is None:
            continue
        row = rows.rows[i]
        placed: list[Printed | None] = [None] * widths[i]
        values = [c for c in row.cells[: row.unbroken] if not c.empty]
        for column, value in zip(columns, values, strict=True):
            placed[column] = value
        want = _reading(placed)
        match = [k for k, c in enumerate(cs) if _reading(c.cells) == want]
        if len(match) == 1:
            narrowed[i] = match[0]
    if not narrowed:
        return
    trial = [[cs[narrowed[i]]] if i in narrowed else cs for i, cs in enumerate(cands)]
    trial_numbers = [[ns[narrowed[i]]] if i in narrowed else ns for i, ns in enumerate(numbers)]
    uncertain = [
        i for i, cs in enumerate(trial) if (len(cs) > 1 or i in narrowed) and i not in broken
    ]
    rels = rows.relations_apart_from(broken)
    decision = _decide(rows, uncertain, trial, trial_numbers, rels, budget)
    if not isinstance(decision, _Consistent) or not all(
        decision.supported.get(i) for i in narrowed
    ):
        return
    for i, k in narrowed.items():
        cands[i] = [evolve(cands[i][k], aligned=True)]
        numbers[i] = [numbers[i][k]]


def _choose(
    rows: _Rows,
    readings: list[_RowReadings],
    cands: list[list[Candidate]],
    numbers: list[list[list]],
    broken: set[int],
    budget: Budget,
    findings: list[Finding],
) -> tuple[dict[int, set[int]], set[int]]:
    """Which readings of each row stay (by index into ``cands``, which it may widen), and
    the rows past the bounds."""
    past_bounds = {i for i, r in enumerate(readings) if r.past_bounds}
    # A row the source broke stays open, and the relations it is in decide nothing
    # about the other rows (they would make every reading of the table fail).
    rels = rows.relations_apart_from(broken)
    uncertain = [i for i, cs in enumerate(cands) if len(cs) > 1 and i not in broken]
    supported: dict[int, set[int]] = {i: {0} for i in range(len(cands)) if len(cands[i]) == 1}
    for i in broken:  # every reading it allows stays open, the printed one too
        if readings[i].every:
            cands[i] = list(readings[i].every)
        supported[i] = set(range(len(cands[i])))
    if not uncertain:
        return supported, past_bounds
    decision = _decide(rows, uncertain, cands, numbers, rels, budget)
    if isinstance(decision, _PastBounds):
        findings.append(_too_many(rows.table, [rows.rows[i] for i in uncertain]))
        decision = _Consistent({i: set(range(len(cands[i]))) for i in uncertain})
    if isinstance(decision, _Inconsistent):
        # No placement makes the table consistent: the source breaks its own
        # arithmetic, so no relation may choose between readings. Every row
        # that had a choice gets all its readings back, the printed one too.
        for i, r in enumerate(readings):
            if not r.listed:
                cands[i] = []
                past_bounds.add(i)
                findings.append(_too_many(rows.table, [rows.rows[i]]))
            elif len(r.every) > 1:
                cands[i] = list(r.every)
            supported[i] = set(range(len(cands[i])))
        return supported, past_bounds
    supported.update(decision.supported)
    for i in uncertain:
        supported[i] |= {k for k, c in enumerate(cands[i]) if c.stays}
    return supported, past_bounds


def _decide(
    rows: _Rows,
    uncertain: list[int],
    cands: list[list[Candidate]],
    numbers: list[list[list]],
    rels: list[Relation],
    budget: Budget,
) -> _Decision:
    """The readings of the uncertain rows that some consistent table takes. A row that
    shares no relation with another uncertain row is decided on its own, each reading
    checked against the printed rows; only rows linked to one another need the joint
    search."""
    where = rows.where
    touching = [rows.rows_of(r) & set(uncertain) for r in rels if all(p in where for p in r.paths)]
    linked = sorted({i for t in touching if len(t) > 1 for i in t})
    found: dict[int, set[int]] = {}
    odd: dict[tuple[int, int], bool] = {}
    try:
        for i in uncertain:
            if i in linked:
                continue
            keep = _alone(i, numbers, rels, where, odd)
            if not keep:
                return _Inconsistent()
            found[i] = keep
        if linked:
            if sum(len(cands[i]) for i in linked) > MAX_TABLE_CANDIDATES:
                return _PastBounds()
            joint = _solve(linked, cands, numbers, rels, where, budget)
            if joint is None:
                return _Inconsistent()
            found.update(joint)
    except TooMany:
        return _PastBounds()
    return _Consistent(found)


def _solve(
    uncertain: list[int],
    cands: list[list[Candidate]],
    numbers: list[list[list]],
    rels: list[Relation],
    where: dict[str, tuple[int, int]],
    budget: Budget,
) -> dict[int, set[int]] | None:
    """For each uncertain row, the candidates that belong to some consistent table.

    Each relation is one equation over the candidates (a candidate's coefficient: its
    value less the row's first reading's), exactly one candidate per row: searched
    directly while that takes few steps, else a pseudo-Boolean problem for Z3 (one
    Boolean per candidate). ``None`` when no choice satisfies them; :class:`TooMany`
    past the time budget.
    """
    budget.check()
    equations = _equations(uncertain, numbers, rels, where)
    try:
        return _search.supported(
            {i: len(cands[i]) for i in uncertain}, equations, tick=budget.check
        )
    except _search.GaveUp:
        pass  # too many to try one by one: Z3 finds them

    import z3

    from govreport.placement._pb import fits_pb, pb_eq, weighted_sum

    budget.check()
    ctx = z3.main_ctx()
    solver = z3.SimpleSolver(ctx)  # incremental: every check below adds only assumptions
    solver.set("timeout", max(1, int(budget.left() * 1000)))
    chosen = {i: [z3.Bool(f"r{i}_{k}", ctx) for k in range(len(cands[i]))] for i in uncertain}
    for flags in chosen.values():
        solver.add(pb_eq([(f, 1) for f in flags], 1, ctx))
    for goal, coefficients in equations:
        pairs = [(chosen[i][k], c) for (i, k), c in coefficients.items()]
        if fits_pb(pairs, goal):
            solver.add(pb_eq(pairs, goal, ctx) if pairs else z3.BoolVal(goal == 0, ctx))
        else:  # past the coefficients Z3's pseudo-Boolean constraints take
            solver.add(weighted_sum(pairs, ctx) == goal)

    # Which reading each row took, packed into one integer: one model read per check.
    order = list(chosen)
    base = max(len(flags) for flags in chosen.values()) + 1
    packed = weighted_sum(
        [
            (f, k * base**position)
            for position, i in enumerate(order)
            for k, f in enumerate(chosen[i])
            if k
        ],
        ctx,
    )
    supported: dict[int, set[int]] = {i: set() for i in uncertain}

    def check(*assumptions) -> bool:
        budget.check()
        solver.set("timeout", max(1, int(budget.left() * 1000)))
        result = solver.check(*assumptions)
        if result == z3.unknown:
            raise TooMany
        if result == z3.sat:
            taken = solver.model().eval(packed, model_completion=True).as_long()
            for i in order:
                taken, k = divmod(taken, base)
                supported[i].add(k)
        return result == z3.sat

    if not check():
        return None
    # Try one untried reading of every row at once; when they do not fit together,
    # the unsat core names the readings in conflict: a core of one is a reading no
    # table allows, a larger one drops its first reading from the set tried.
    named = {f.get_id(): (i, k) for i in order for k, f in enumerate(chosen[i])}
    dead: set[tuple[int, int]] = set()
    while True:
        tried: dict[int, int] = {}
        for i in order:
            k = next(
                (k for k in range(len(chosen[i])) if k not in supported[i] and (i, k) not in dead),
                None,
            )
            if k is not None:
                tried[i] = k
        if not tried:
            return supported
        while tried and not check(*(chosen[i][k] for i, k in tried.items())):
            core = [named[f.get_id()] for f in solver.unsat_core()]
            if len(core) == 1 or len(tried) == 1:
                dead.add(core[0] if core else next(iter(tried.items())))
                break
            del tried[core[0][0]]


def _equations(
    uncertain: list[int],
    numbers: list[list[list]],
    rels: list[Relation],
    where: dict[str, tuple[int, int]],
) -> list[_search.Equation]:
    """The relations touching the uncertain rows as equations over their readings: a
    constant and a coefficient per (row, reading) — the value less the row's first
    reading's — none of them 0."""
    chosen = set(uncertain)
    terms: dict[tuple[str, bool], tuple[int, dict] | None] = {}

    def term(path: str, strict: bool) -> tuple[int, dict] | None:
        """The cell at ``path`` under the chosen readings, as a constant plus a
        coefficient per reading (exactly one reading of a row is taken); built once."""
        if (path, strict) not in terms:
            i, j = where[path]
            values = [n[j] for n in numbers[i]]
            unknown = [_is_odd(v) for v in values]
            out = None
            if values and (strict or not any(unknown)):
                # a stated figure: a reading with a placeholder there cannot match it
                values = [_NEVER if u else int(v) for u, v in zip(unknown, values, strict=True)]
                if i not in chosen:
                    out = (values[0], {})
                else:
                    out = (values[0], {(i, k): v - values[0] for k, v in enumerate(values) if k})
            terms[path, strict] = out
        return terms[path, strict]

    out: list[_search.Equation] = []
    for rel in rels:
        if not any(p in where and where[p][0] in chosen for p in rel.paths):
            continue
        if not all(p in where for p in rel.paths):
            continue
        left = [term(p, rel.strict) for p in rel.left]
        right = [term(p, rel.strict) for p in rel.right]
        if any(t is None for t in (*left, *right)):
            continue
        # sum(left) - sum(right) == constant
        goal = rel.constant
        coefficients: dict[tuple[int, int], int] = {}
        for sign, side in ((1, left), (-1, right)):
            for fixed, flags in side:  # type: ignore[misc]
                goal -= sign * fixed
                for flag, c in flags.items():
                    coefficients[flag] = coefficients.get(flag, 0) + sign * c
        out.append((goal, {flag: c for flag, c in coefficients.items() if c}))
    return out


def _build_row(
    table: TableDef, row: PrintedRow, columns: Sequence[tuple[str, Column]], chosen: list[Candidate]
) -> tuple[dict[str, Row], Finding | None]:
    if len(chosen) == 1 and chosen[0].plain:  # as printed: nothing inferred
        printed = chosen[0].cells
        plain_cells = [make_cell(p, col.kind) for p, (_, col) in zip(printed, columns, strict=True)]
        return _rows_of(table, row, plain_cells), None
    if len(chosen) == 1:  # one reading, not as printed: every cell inferred
        cells = [
            make_cell(p, col.kind, inferred=True)
            for p, (_, col) in zip(chosen[0].cells, columns, strict=True)
        ]
        inferred = [paths.join(table.key, key, col.key) for key, col in columns]
        return _rows_of(table, row, cells), _row_finding(table, row, columns, chosen, inferred, [])
    cells: list[Cell] = []
    inferred_paths: list[str] = []
    ambiguous_paths: list[str] = []
    for j, (key, col) in enumerate(columns):
        readings = {}
        # a row's candidates share their printed cells: each read once, in the order seen
        for printed in {id(p): p for p in [cand.cells[j] for cand in chosen]}.values():
            c = make_cell(printed, col.kind, inferred=True)
            readings.setdefault((c.state, c.value), c)
        path = paths.join(table.key, key, col.key)
        if len(readings) == 1:
            inferred_paths.append(path)
            cells.append(next(iter(readings.values())))
        else:
            values = tuple(sorted((v for s, v in readings if s is CellState.NUMBER), key=float))
            values += tuple(
                sorted(
                    {c.raw or "/" for (s, _), c in readings.items() if s is CellState.PLACEHOLDER}
                )
            )
            if any(s is CellState.BLANK for s, _ in readings):
                values += (None,)
            ambiguous_paths.append(path)
            cells.append(Cell(CellState.AMBIGUOUS, candidates=values, line=row.line))
    return _rows_of(table, row, cells), _row_finding(
        table, row, columns, chosen, inferred_paths, ambiguous_paths
    )


def _rows_of(table: TableDef, row: PrintedRow, cells: list[Cell]) -> dict[str, Row]:
    """The model rows a printed row stands for (one, or section 四's three), in order."""
    out: dict[str, Row] = {}
    at = 0
    for key in row.keys:
        columns = table.row(key).columns
        out[key] = Row(
            key,
            {c.key: cell for c, cell in zip(columns, cells[at : at + len(columns)], strict=True)},
            label=row.label,
            line=row.line,
        )
        at += len(columns)
    return out


def _printed_row(row: PrintedRow) -> str:
    """The row's cells as printed, ∅ for an empty one."""
    return " | ".join(c.text or "∅" for c in row.cells)


def _readings_text(readings: Sequence[Candidate]) -> tuple[str, ...]:
    """The first twelve readings, each written as the printed row is: one cell per column,
    ∅ for a blank (``[2 | ∅ | 2]``)."""
    return tuple(
        "[" + " | ".join(c.text if c and not c.empty else "∅" for c in cand.cells) + "]"
        for cand in readings[:12]
    )


def _row_finding(table, row, columns, chosen, inferred, ambiguous) -> Finding | None:
    if not inferred and not ambiguous:
        return None
    printed = _printed_row(row) or "nothing"
    if _values_in_label(row):
        printed = f"values inside the label {row.label!r}"
    if not chosen:
        return Finding(
            "R4",
            Severity.ERROR,
            f"{table.key} row {row.label or row.keys[0]!r} cannot be read into its "
            f"{len(columns)} columns (printed: {printed}); its cells are unresolved",
            paths=tuple(ambiguous),
            lines=(row.line,),
        )
    # each reading in the style of the printed row: one cell per column, ∅ for blank
    readings = _readings_text(chosen)
    if ambiguous:
        order = ", ".join(col.key for _, col in columns)
        return Finding(
            "R2",
            Severity.WARNING,
            f"{table.key} row {row.label or row.keys[0]!r} prints [{printed}]; the table's "
            f"arithmetic admits {len(chosen)} placements of these values into its columns "
            f"({order}), so {len(ambiguous)} cell(s) stay unresolved",
            paths=tuple(ambiguous + inferred),
            lines=(row.line,),
            candidates=readings,
        )
    if len(chosen) == 1 and chosen[0].aligned:
        return Finding(
            "R7",
            Severity.INFO,
            f"{table.key} row {row.label or row.keys[0]!r} prints [{printed}], fewer values "
            f"than its {len(columns)} columns (this layout prints nothing for a blank cell); "
            "they were placed under the columns they stand at in the table's rows that "
            "print every column, a placement the table's arithmetic allows",
            paths=tuple(inferred),
            lines=(row.line,),
            candidates=readings,
        )
    runs = [c for c in row.cells if c.kind == "RUN"]
    if any(" " in c.text.strip() for c in runs):
        how = (
            "its values were printed in one run of digits and spaces, spaces that this "
            "layout does not take for the columns' edges (a crawler's or converter's "
            "spacing), and were split by the table's arithmetic (no number starts with "
            "0), assuming the source's arithmetic holds"
        )
    elif runs:
        how = (
            "its values were printed run together and were split by the table's "
            "arithmetic (no number starts with 0), assuming the source's arithmetic holds"
        )
    else:
        how = (
            "its columns were not printed where they belong and were placed by the "
            "table's arithmetic, assuming the source's arithmetic holds"
        )
    return Finding(
        "R1",
        Severity.INFO,
        f"{table.key} row {row.label or row.keys[0]!r} prints [{printed}]; {how}",
        paths=tuple(inferred),
        lines=(row.line,),
        candidates=readings,
    )


def _alone(
    i: int,
    numbers: list[list[list]],
    rels: list[Relation],
    where: dict[str, tuple[int, int]],
    odd: dict[tuple[int, int], bool],
) -> set[int]:
    """The readings of row ``i`` under which every relation touching it holds, the
    other rows it touches having one reading each.

    The same rules as the joint search (:func:`_solve`): a relation in which any
    reading puts a placeholder or a fraction is not used, unless it is strict (a
    stated figure), which such a reading then fails. ``odd`` keeps, by (row, column),
    whether some reading puts a placeholder or a fraction there (shared by the calls on
    the same ``numbers``).
    """

    def value(v):
        return _NEVER if _is_odd(v) else v

    def is_odd(row: int, column: int) -> bool:
        found = odd.get((row, column))
        if found is None:
            found = odd[row, column] = any(_is_odd(n[column]) for n in numbers[row])
        return found

    keep = set(range(len(numbers[i])))
    for rel in rels:
        if not all(p in where for p in rel.paths):
            continue  # a cell of it is not printed
        rows = {where[p][0] for p in rel.paths}
        if i not in rows or not all(numbers[r] for r in rows):
            continue  # not this row's, or a row with no reading
        if not rel.strict and any(is_odd(*where[p]) for p in rel.paths):
            continue
        # left - right == constant: the other rows' cells summed once, this row's by reading
        fixed = 0
        mine: list[tuple[int, int]] = []  # (sign, column) of this row's cells
        for sign, side in ((1, rel.left), (-1, rel.right)):
            for p in side:
                row, j = where[p]
                if row == i:
                    mine.append((sign, j))
                else:
                    fixed += sign * value(numbers[row][0][j])
        goal = rel.constant - fixed
        readings = numbers[i]
        keep = {k for k in keep if sum(sign * value(readings[k][j]) for sign, j in mine) == goal}
    return keep


def _is_odd(value) -> bool:
    """Is a reading's number a placeholder or a fraction (which relations cannot use)?"""
    return value is _UNKNOWN or value != int(value)


#: A relation within one row: its left and right columns, constant and strictness.
_InRow = tuple[tuple[int, ...], tuple[int, ...], int, bool]


def _in_row(rel: Relation, where: dict[str, tuple[int, int]]) -> _InRow:
    left = tuple(where[p][1] for p in rel.left)
    return left, tuple(where[p][1] for p in rel.right), rel.constant, rel.strict


def _span(rel: Relation, where: dict[str, tuple[int, int]]) -> tuple[int, int]:
    columns = [where[p][1] for p in rel.paths]
    return min(columns), max(columns)


def _holds(rel: _InRow, values: list) -> bool:
    """Whether a relation within one row holds for ``values`` (the row's numbers,
    blank as 0); a placeholder satisfies only a non-strict one."""
    left, right, constant, strict = rel
    total = -constant
    for j in left:
        v = values[j]
        if v is _UNKNOWN:
            return not strict
        total += v
    for j in right:
        v = values[j]
        if v is _UNKNOWN:
            return not strict
        total -= v
    return total == 0


#: A label's own numbering (1. / (三) / 第二十条第(一)项) may hold digits; other
#: digits in a label mean values were glued to it and cannot be read safely.
_LABEL_NUMBERING = re.compile(
    rf"(?<![\d.])(?:{vocabulary('NUMBERING')})(?=[\s“”‘’\"《]*[\u4e00-\u9fff])"
    rf"|{vocabulary('ARTICLE_ITEM')}"
)


def _values_in_label(row: PrintedRow) -> bool:
    """Did values end up in the row's label (digits glued to it, or a placeholder after
    it, as a flattened table prints ``行政许可 无``)?"""
    return _label_holds_values(row.label)


@lru_cache(maxsize=4096)  # the template's labels, in report after report
def _label_holds_values(label: str) -> bool:
    """:func:`_values_in_label` of a label's text."""
    if re.search(r"\d", _LABEL_NUMBERING.sub("", label)):
        return True
    words = label.split()
    return len(words) > 1 and words[-1] in placeholder_words()


def _too_many(table: TableDef, rows: list[PrintedRow]) -> Finding:
    return Finding(
        "R3",
        Severity.WARNING,
        f"{table.key}: too many possible placements to search ({len(rows)} damaged rows); "
        f"their cells are left unresolved",
        lines=tuple(r.line for r in rows),
    )


@lru_cache(maxsize=256)
def _grid(
    table: TableDef, keys: tuple[tuple[str, ...], ...]
) -> tuple[tuple[tuple[tuple[str, Column], ...], ...], dict[str, tuple[int, int]]]:
    """For printed rows filling the dictionary rows ``keys`` (one tuple per printed row):
    each printed row's (row key, column) pairs, and each cell path's (row, column) index.
    (Kept: most reports print the same rows; the results are not to be changed.)"""
    columns = tuple(
        tuple((key, col) for key in row for col in table.row(key).columns) for row in keys
    )
    where = {
        paths.join(table.key, key, col.key): (i, j)
        for i, row in enumerate(columns)
        for j, (key, col) in enumerate(row)
    }
    return columns, where


def _numbers(
    cand: Candidate, columns: Sequence[tuple[str, Column]], seen: dict | None = None
) -> list:
    """The candidate's numbers, blank as 0 (``seen``: numbers already read, by cell
    and kind — a row's candidates share their cells)."""
    seen = {} if seen is None else seen
    out = []
    append = out.append
    for printed, (_, col) in zip(cand.cells, columns, strict=True):
        if printed is None or printed.empty:
            append(0)
        elif printed.kind == "PLACEHOLDER":
            append(_UNKNOWN)
        else:
            key = (id(printed), id(col))
            number = seen.get(key)
            if number is None:
                number = seen[key] = number_of(printed, col.kind)
            append(number)
    return out
