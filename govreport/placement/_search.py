"""The joint choice of readings searched exhaustively, for problems small enough.

Placement's joint problem is a set of linear equations over one reading per uncertain
row. When the rows have few readings between them, trying the readings row by row —
as each row is chosen, every equation it is in checked against what the rows still to
choose can add — settles it faster than building it for Z3 and asking Z3 once per
reading. Past a bound of search steps it
gives up, and Z3 is asked instead; the answer is the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

#: An equation: its constant, and a coefficient per (row, reading) — the row's first
#: reading's own coefficient is 0 — so that it holds when the coefficients of the
#: chosen readings sum to the constant.
Equation = tuple[int, dict[tuple[int, int], int]]

#: Search steps (rows tried with one reading) after which the search gives up.
MAX_STEPS = 2_000


class GaveUp(Exception):
    """The search took more steps than :data:`MAX_STEPS`."""


def supported(
    sizes: dict[int, int],
    equations: Sequence[Equation],
    tick: Callable[[], None] = lambda: None,
    max_steps: int | None = None,
) -> dict[int, set[int]] | None:
    """For each row (``sizes``: its number of readings), the readings some choice of one
    reading per row satisfying every equation takes; None when no choice does.

    Raises :class:`GaveUp` past ``max_steps`` (:data:`MAX_STEPS` by default); ``tick``
    is called every 256 steps (it may raise to stop the search)."""
    if any(not coefficients and goal != 0 for goal, coefficients in equations):
        return None
    limit = MAX_STEPS if max_steps is None else max_steps
    order = _order(sizes, equations)
    depth_of = {i: d for d, i in enumerate(order)}
    goals: list[int] = []
    # at each depth, the equations its row is in: (equation, the row's coefficient per
    # reading, the least and the most the equation's rows after it can add)
    at: list[list[tuple[int, list[int], int, int]]] = [[] for _ in order]
    for goal, coefficients in equations:
        if not coefficients:
            continue
        by_row: dict[int, list[int]] = {}
        for (i, k), c in coefficients.items():
            by_row.setdefault(i, [0] * sizes[i])[k] += c
        rows = sorted(by_row, key=depth_of.__getitem__)
        e = len(goals)
        goals.append(goal)
        for n, i in enumerate(rows):
            rest = [by_row[r] for r in rows[n + 1 :]]
            at[depth_of[i]].append(
                (e, by_row[i], sum(min(c) for c in rest), sum(max(c) for c in rest))
            )
    partial = [0] * len(goals)  # each equation's sum over the rows chosen so far
    found: dict[int, set[int]] = {i: set() for i in order}
    dead: set[tuple[int, int]] = set()  # readings no choice satisfying them takes
    reading = dict.fromkeys(order, 0)
    domain: list[list[int]] = []  # the readings tried at each depth, in order
    steps = 0

    def witness(depth: int) -> bool:
        """Is there a choice below ``depth`` (its readings then in ``reading``)?"""
        nonlocal steps
        if depth == len(order):
            return True
        row, checks = order[depth], at[depth]
        for k in domain[depth]:
            steps += 1
            if steps > limit:
                raise GaveUp
            if steps % 256 == 0:
                tick()
            # the equations can still hold, whatever the rows after this one read
            if all(lo <= goals[e] - partial[e] - c[k] <= hi for e, c, lo, hi in checks):
                for e, c, _, _ in checks:
                    partial[e] += c[k]
                reading[row] = k
                fits = witness(depth + 1)
                for e, c, _, _ in checks:
                    partial[e] -= c[k]
                if fits:
                    return True
        return False

    def untried(i: int) -> list[int]:
        return [k for k in range(sizes[i]) if k not in found[i] and (i, k) not in dead]

    # Find a choice taking one untried reading (each row's untried readings tried first,
    # so that one choice shows many); a reading no choice takes is dead.
    target: tuple[int, int] | None = None
    while True:
        domain = [
            [target[1]]
            if target and i == target[0]
            else [*untried(i), *(k for k in range(sizes[i]) if k in found[i])]
            for i in order
        ]
        if witness(0):
            for i in order:
                found[i].add(reading[i])
        elif target is None:
            return None
        else:
            dead.add(target)
        target = next(((i, k) for i in order for k in untried(i)[:1]), None)
        if target is None:
            return found


def _order(sizes: dict[int, int], equations: Sequence[Equation]) -> list[int]:
    """The rows in the order to try them: next, the row that completes the most
    equations with the rows before it (then the one with fewer readings), so that
    wrong choices are found early."""
    rows_of = [{i for i, _ in coefficients} for _, coefficients in equations if coefficients]
    order: list[int] = []
    placed: set[int] = set()
    left = set(sizes)
    while left:
        best = min(
            left,
            key=lambda i: (
                -sum(1 for rows in rows_of if i in rows and rows - placed <= {i}),
                sizes[i],
                i,
            ),
        )
        order.append(best)
        placed.add(best)
        left.remove(best)
    return order
