"""Recognise a table's rows in a cell stream with the template's table grammar.

The cell stream (see :mod:`govreport.readers.layouts`) is written out one cell per
``\\x1f``-separated field and parsed by ``grammars/tables/<table>_<template>.lark``.
Each grammar rule named after a row key yields a :class:`PrintedRow`: its label
and its value cells *as printed* — which column each belongs to is decided
later, by :mod:`govreport.placement`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache, lru_cache

from attrs import evolve, field, frozen
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from govreport.document import Source
from govreport.errors import TableError
from govreport.grammars import TOKEN_TYPES, parse_text, parser, placeholder_words
from govreport.readers.chars import display_width, join_pieces
from govreport.readers.layouts import NUMBERED, Item
from govreport.spec.dictionary import TableDef, row_key, rule_name

SEP = "\x1f"
EMPTY = "\ue000"
BREAK = "\ue001"
RUN = "\ue002"
VALUE_TYPES = frozenset({"COUNT", "DECIMAL", "MONEY", "SIGNED", "PLACEHOLDER", "RUN"})
CELL_TYPES = VALUE_TYPES | {"EMPTY"}

#: Printed rows that fill several dictionary rows, in order (FORMAT.md §4).
SPANNING_ROWS = {
    "review_litigation": ("review", "litigation_direct", "litigation_after_review"),
}


@frozen
class Printed:
    """One value cell as printed: ``kind`` is the token type (``EMPTY`` if blank)."""

    text: str
    kind: str
    line: int
    column: int
    source: Source | None = None
    #: its row was deduced (printed before its label): read as inferred
    moved: bool = False
    #: where it starts in display columns (aligned layouts: ``Item.display``)
    display: tuple[int, int] | None = None
    #: nothing was printed in it (``kind`` is ``EMPTY``); a field, as it is read often
    empty: bool = field(init=False, eq=False, repr=False)

    @empty.default
    def _is_empty(self) -> bool:
        return self.kind == "EMPTY"


@frozen
class PrintedRow:
    keys: tuple[str, ...]  #: the dictionary rows it fills, left to right
    label: str
    line: int
    cells: tuple[Printed, ...]  #: up to the row's first break
    lead: int  #: leading empty cells that may be layout structure, not blanks
    #: how many of ``cells`` come before the row's first break (the rest went on
    #: past it: a wrapped row, or a stray row of values); None: all of them
    unbroken: int | None = None


@frozen
class PrintedTable:
    key: str
    rows: tuple[PrintedRow, ...]
    lines: tuple[int, ...]
    headers: tuple[str, ...]
    #: May the extraction have dropped blank cells from rows that print all their
    #: cells? (The layout's registration says; rows printing too few cells always may.)
    may_drop_blanks: bool = True
    #: Did a row of the document print a blank between two values? Then the
    #: extraction may keep blanks, and a row that prints all its cells may be just
    #: what it prints even where the arithmetic says otherwise.
    keeps_blanks: bool = False
    #: Were the cells read from a grid whose every cell the source delimits? Then
    #: each row is exactly what it prints (no blanks can have been dropped).
    exact: bool = False
    #: Does each line print its cells at their columns' positions (the layout's
    #: registration says)? Then ``Printed.column`` places a value under its column.
    aligned: bool = False

    @property
    def prints_blanks(self) -> bool:
        """Does a row print an empty cell between two values on one line?"""
        for row in self.rows:
            filled = [i for i, c in enumerate(row.cells[: row.unbroken]) if not c.empty]
            if filled and filled[-1] - filled[0] + 1 != len(filled):
                return True
        return False


def grammar_name(table: TableDef, template: str) -> str:
    if table.key in SPANNING_ROWS:
        return f"tables/{table.key}"
    return f"tables/{table.key}_{template}"


def read(table: TableDef, template: str, items: Sequence[Item]) -> PrintedTable:
    """Find ``table``'s rows in ``items``; raise :class:`TableError` if they do not fit."""
    lark = parser(grammar_name(table, template))
    items = [evolve(i, text=_close_gaps(i.text)) if " " in i.text else i for i in items]
    items = _without_glued_counts(items, lark, table)
    items = _without_quotes_on_values(items, lark, table)
    items = _join_split_labels(items, lark, table)
    items = _join_continued_rows(items, lark, table)
    items = _without_stray_groups(items, lark, table)
    items = _repair_wrapped_labels(items, lark, table)
    text = SEP.join(_serialised(i) for i in items)
    starts = _starts(items)
    try:
        tree = parse_text(grammar_name(table, template), text, on_error=_AbsentRows(lark, table))
    except UnexpectedInput as exc:
        raise _table_error(exc, table, lark, items, starts) from None

    row_rules = {rule_name(r.key): (r.key,) for r in (*table.rows, *table.variants)}
    row_rules.update({k: v for k, v in SPANNING_ROWS.items() if k == table.key})
    rows: list[PrintedRow] = []
    headers: list[str] = []
    pending_empty: list[Printed] = []  # empties since the last break, before a row
    for rule, tokens in _walk(tree, row_rules):
        if rule is None:
            for token in tokens:
                kind = _type(token)
                if kind == "BR":
                    pending_empty = []
                elif kind == "EMPTY":
                    pending_empty.append(_printed(token, items, starts))
                else:
                    headers.append(str(token))
                    pending_empty = []
            continue
        label = [t for t in tokens if _type(t) not in CELL_TYPES | {"BR"}]
        if label and str(label[0]) == ABSENT:
            continue  # a row the table leaves out (see _AbsentRows)
        cells: list[Printed] = [] if label else list(pending_empty)
        after = tokens[len(label) :]
        cut = next((k for k, t in enumerate(after) if _type(t) == "BR"), len(after))
        unbroken = None
        if any(_type(t) in VALUE_TYPES for t in after[cut:]):
            # values go on past a row break (a wrapped row, or a stray row of values):
            # keep them all, so that placement sees them rather than losing them
            unbroken = len(cells) + cut
            cut = len(after)
        cells.extend(_printed(t, items, starts) for t in after[:cut] if _type(t) != "BR")
        first = label[0] if label else tokens[0]
        label_text = " ".join(str(t) for t in label)
        if label:
            # placeholders glued after the label (a crawler's 行政许可/): cells, not label
            label_text, glued = _placeholders_after(
                label_text, table, row_rules[rule], all(c.empty for c in cells)
            )
            item = items[_index(first, starts)]
            cells = [
                *(Printed(w, "PLACEHOLDER", item.line, item.column, item.source, item.moved)
                  for w in glued),
                *cells,
            ]  # fmt: skip
            if unbroken is not None:
                unbroken += len(glued)
        lead = 0
        while lead < len(cells) and cells[lead].empty:
            lead += 1
        rows.append(
            PrintedRow(
                keys=row_rules[rule],
                label=label_text,
                line=items[_index(first, starts)].line,
                cells=tuple(cells),
                lead=lead,
                unbroken=unbroken,
            )
        )
        pending_empty = [_printed(t, items, starts) for t in _after_last_break(tokens)]
    lines = tuple(sorted({i.line for i in items}))
    return PrintedTable(table.key, tuple(rows), lines, tuple(headers))


@cache
def _placeholder_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One placeholder of ``vocabulary.lark`` (longest spelling first), and placeholders
    at the end of a text, after something else."""
    words = sorted(placeholder_words(), key=len, reverse=True)
    one = re.compile("|".join(re.escape(w) for w in words))
    return one, re.compile(rf"(?<=\S)(?:\s*(?:{one.pattern}))+\s*$")


def _placeholders_after(
    label: str, table: TableDef, keys: tuple[str, ...], alone: bool
) -> tuple[str, list[str]]:
    """A printed label without the placeholders glued after it, and those placeholders —
    none where the template's own label ends so, nor, when the row prints values too
    (not ``alone``), where a label of the table holds the word (无 of （四）无法提供, a
    piece an extraction may print after a row's label)."""
    one, tail = _placeholder_words()
    found = tail.search(label)
    if found is None:
        return label, []
    printed = "".join(label.split())
    own = [o for key, o in _own_labels(table).items() if key in keys]
    labels = [*_own_labels(table).values(), *_group_texts(table)]
    words = one.findall(label, found.start())
    if any(o.endswith(words[-1]) and printed.endswith(o) for o in own):
        return label, []
    head = label[: found.start()].rstrip()
    if (
        not alone
        and any(w in o for w in words for o in labels)
        and not any("".join(head.split()).endswith(o) for o in own)
    ):
        return label, []  # a piece of another label, not a cell — unless the row's own
        # label comes whole before it (2.重复申请无 …)
    return head, words


@cache
def _labels(lark: Lark) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The grammar's group labels (the priority-2 label terminals: （三）不予公开 …) and
    its other labels (row labels, captions), each as one pattern to fullmatch."""
    groups, others = [], []
    for terminal in lark.terminals:
        name = str(terminal.name).rsplit("__", 1)[-1]
        if name in CELL_TYPES | {"BR", "TEXT"} or name.startswith("_"):
            continue
        (groups if terminal.priority == 2 else others).append(terminal.pattern.to_regexp())
    return (re.compile("|".join(f"(?:{p})" for p in groups) or "(?!)"),
            re.compile("|".join(f"(?:{p})" for p in others) or "(?!)"))  # fmt: skip


def _numbering(text: str) -> str:
    """A label's numbering, compared as printed without spaces (``3.``, ``（三）``)."""
    return "".join(text.split())


@frozen(eq=False)  # hashed by identity: one per table, a cache key of its methods
class _GroupPiecesApart:
    """Pieces of a group label's narrow cell that an extraction printed into a row's
    label (（四 1.本机关不掌 / ）无 握相关政府信 / 法提 息 / 供), set apart again — only
    where that makes the label one the template prints."""

    pieces: tuple[str, ...]
    labels: frozenset[str]  #: the rows' own labels, without spaces

    # (B019: an instance lives as long as the process anyway, one per table)
    @lru_cache(maxsize=4096)  # noqa: B019
    def piece(self, text: str) -> bool:
        """Is ``text`` a group label or a piece of one?"""
        words = "".join(text.split())
        return bool(words) and any(words in g for g in self.pieces)

    @lru_cache(maxsize=4096)  # noqa: B019
    def _fits(self, text: str) -> bool:
        words = "".join(text.split())
        return any(label.startswith(words) for label in self.labels)

    def label(self, text: str) -> str:
        """A numbered label behind a piece of a group label, without the piece."""
        first, _, rest = text.strip().partition(" ")
        if rest and self.piece(first) and NUMBERED.match(rest) and self._fits(rest):
            return rest
        return text

    def continues(self, head: str, text: str) -> bool:
        """Does ``text`` go on with the label ``head`` once a group label's piece at its
        start is set apart (the template prints such a label)?"""
        if not head or not self._fits(head):
            return False
        joined = self.joined(head, [text])
        return joined != join_pieces([head, text]) and len(joined) > len(head)

    def joined(self, head: str, more: Sequence[str]) -> str:
        """``head`` with the words of the next lines, a group label's pieces left out
        where the label then reads as the template prints it."""
        for text in more:
            whole = join_pieces([head, text])
            if self._fits(whole) or not self._fits(head):
                head = whole
                continue
            words = "".join(text.split())
            # a piece before the words, and perhaps another after them ()不 方合法权益 予公)
            cuts = [
                (start, end)
                for start in range(len(words) - 1, 0, -1)
                if self.piece(words[:start])
                for end in range(len(words), start, -1)
                if end == len(words) or self.piece(words[end:])
            ]
            rest = next((words[a:b] for a, b in cuts if self._fits(head + words[a:b])), None)
            if rest is not None:
                head = join_pieces([head, rest])
            elif not self.piece(words):
                head = whole  # a whole piece is left out: the label stays as it was
        return head


@cache
def _group_pieces_apart(table: TableDef) -> _GroupPiecesApart:
    return _GroupPiecesApart(_group_texts(table), frozenset(_own_labels(table).values()))


@cache
def _own_labels(table: TableDef) -> dict[str, str]:
    """Each row's own label as the template prints it, without its group's label and
    without spaces (``results.withheld.state_secret`` → ``1.属于国家秘密``)."""
    from govreport.readers.text import fold_line

    return {
        row.key: "".join(fold_line(row.label).split()[-1].split())
        for row in (*table.rows, *table.variants)
    }


@cache
def _numbering_of_rows(table: TableDef) -> dict[str, str]:
    """Each row's own numbering in the template (``results.not_processed.publications``
    → ``3.``), for rows whose label is numbered."""
    from govreport.readers.text import fold_line

    out = {}
    for row in (*table.rows, *table.variants):
        own = fold_line(row.label).split()[-1]
        found = NUMBERED.match(own)
        if found:
            out[row.key] = _numbering(found.group())
    return out


@frozen(eq=False)  # compared and hashed by identity: one per grammar, a cache key
class _RowLabels:
    """Each row label's pattern with the row it starts."""

    patterns: tuple[tuple[re.Pattern[str], str], ...]


@cache
def _row_keys(lark: Lark) -> _RowLabels:
    starts = _row_of_label(lark)
    return _RowLabels(
        tuple(
            (re.compile(t.pattern.to_regexp()), starts[_type_name(str(t.name))])
            for t in lark.terminals
            if _type_name(str(t.name)) in starts
        )
    )


@lru_cache(maxsize=8192)
def _row_key_of(keys: _RowLabels, text: str) -> str | None:
    """The row whose label ``text`` reads as (spaces aside), or None."""
    text = "".join(text.split())
    return next((key for pattern, key in keys.patterns if pattern.fullmatch(text)), None)


@cache
def _row_labels(lark: Lark) -> re.Pattern[str]:
    """The labels that start a row (not captions, not group labels), as one pattern."""
    starts = _row_of_label(lark)
    found = [t.pattern.to_regexp() for t in lark.terminals if _type_name(str(t.name)) in starts]
    return re.compile("|".join(f"(?:{p})" for p in found) or "(?!)")


@cache
def _placeholder(lark: Lark) -> re.Pattern[str]:
    """The grammar's placeholder cell (``/``, ``—``, ``无`` …), to fullmatch a cell's text."""
    terminal = next(t for t in lark.terminals if _type_name(str(t.name)) == "PLACEHOLDER")
    return re.compile(terminal.pattern.to_regexp())


@lru_cache(maxsize=8192)
def _in_group_label(pieces: tuple[str, ...], text: str) -> bool:
    """Do ``text``'s words (spaces aside) stand in one of the group labels ``pieces``?"""
    words = "".join(text.split())
    return any(words in g for g in pieces)


@cache
def _row_group_characters(table: TableDef) -> dict[str, frozenset[str]]:
    """Each row's group labels' characters, spaces aside (``results.withheld.third_party_rights``
    → those of 三、本年度办理结果 and （三）不予公开: the template prints a group's label
    with the first row of the group, the rows whose keys begin as that row's)."""
    from govreport.readers.text import fold_line

    rows = (*table.rows, *table.variants)
    printed: dict[str, str] = {}  # key prefix → the group labels of its first row
    for row in rows:
        group, _, _ = fold_line(row.label).rpartition(" ")
        parts = row.key.split(".")
        for k in range(1, len(parts)):
            printed.setdefault(".".join(parts[:k]), "".join(group.split()))
    out = {}
    for row in rows:
        parts = row.key.split(".")
        prefixes = (".".join(parts[:k]) for k in range(1, len(parts)))
        out[row.key] = frozenset("".join(printed[p] for p in prefixes))
    return out


@cache
def _first_rows_of_groups(table: TableDef) -> frozenset[str]:
    """The rows that are the first of a group (``results.withheld.state_secret`` …)."""
    from govreport.readers.text import fold_line

    firsts: dict[str, str] = {}
    for row in (*table.rows, *table.variants):
        group, _, _ = fold_line(row.label).rpartition(" ")
        for k in range(len(group.split())):
            firsts.setdefault(" ".join(group.split()[: k + 1]), row.key)
    return frozenset(firsts.values())


@cache
def _group_texts(table: TableDef) -> tuple[str, ...]:
    """The printed group labels of ``table`` (三、本年度办理结果 …), without spaces."""
    from govreport.readers.text import fold_line

    out = []
    for row in (*table.rows, *table.variants):
        group, _, _ = fold_line(row.label).rpartition(" ")
        if group:
            out.append("".join(group.split()))
    return tuple(dict.fromkeys(out))


#: The most texts each of a grammar's cached text tests keeps (the labels and the
#: common values recur in every report; the rest come and go).
TEXT_TESTS_KEPT = 2048


@cache
def _stray_group_tests(
    lark: Lark, table: TableDef
) -> tuple[Callable[[str], bool], Callable[[str], bool], Callable[[str], bool]]:
    """:func:`_without_stray_groups`'s tests of a cell's text: does it read as a row's
    label, as a group label (or a piece of one) only, as a value or no label at all?"""
    groups, others = _labels(lark)
    pieces = _group_texts(table)
    placeholder = _placeholder(lark)

    @lru_cache(maxsize=TEXT_TESTS_KEPT)
    def is_label(text: str) -> bool:
        return others.fullmatch("".join(text.split())) is not None

    @lru_cache(maxsize=TEXT_TESTS_KEPT)
    def is_group(text: str) -> bool:
        text = "".join(text.split())
        if not text or _DIGIT.search(text) or placeholder.fullmatch(text):
            return False  # a value, or a placeholder (无 is no piece of （四）无法提供)
        # a group label, or a piece of one its narrow merged cell wrapped (三、本年 / 度办理结 / 果)
        found = groups.fullmatch(text) is not None or any(text in g for g in pieces)
        return found and not is_label(text)

    @lru_cache(maxsize=TEXT_TESTS_KEPT)
    def is_value(text: str) -> bool:  # a value, placeholder or empty cell: no label at all
        return not text or bool(_DIGIT.search(text)) or placeholder.fullmatch(text) is not None

    return is_label, is_group, is_value


def _without_stray_groups(items: Sequence[Item], lark: Lark, table: TableDef) -> list[Item]:
    """``items`` without group labels that stand apart from their rows.

    A group label carries no values and the grammars take it where it precedes
    its group's first row; a PDF extraction centres it among its rows (a line
    of its own, its characters perhaps spread over several cells: 三 、本 年 度办
    理 结果), and a merged cell split at a page break prints it twice. A row of
    text cells only that reads as a group label and as no other label is dropped,
    and so is a group label cell printed again.
    """
    groups = _labels(lark)[0]
    pieces = _group_texts(table)
    is_label, is_group, is_value = _stray_group_tests(lark, table)
    keys = _row_keys(lark)
    own_labels = _own_labels(table)
    value_cell = _value_cell(lark)

    def regrouped(row: list[Item]) -> list[Item]:
        """A group label's piece with the end of the row's label wrapped onto it, apart
        again (（三密 | 1.属于国家秘 → （三 | 1.属于国家秘密), when that gives the row's
        label as the template prints it."""
        texts = [k for k, c in enumerate(row) if c.text and not value_cell.fullmatch(c.text)]
        if len(texts) < 2 or is_label(row[texts[0]].text) or is_group(row[texts[0]].text):
            return row
        head, label = row[texts[0]], row[texts[1]]
        words = "".join(head.text.split())
        for cut in range(len(words) - 1, 0, -1):
            if not any(words[:cut] in g for g in pieces):
                continue
            joined = "".join(label.text.split()) + words[cut:]
            key = _row_key_of(keys, joined)
            if key is not None and own_labels.get(key, "").startswith(joined):
                fixed = list(row)
                fixed[texts[0]] = evolve(head, text=words[:cut])
                fixed[texts[1]] = evolve(label, text=joined)
                return fixed
        return row

    apart = _group_pieces_apart(table)
    firsts = _first_rows_of_groups(table)
    out: list[Item] = []
    row: list[Item] = []
    seen: set[str] = set()
    piece = ""  # the last piece of a wrapped group label set apart
    waiting = False  # was the row before a label whose values are still to come?
    head = ""  # the last words of a label kept
    for item in [*items, None]:
        if item is not None and not item.is_break:
            row.append(item)
            continue
        row = regrouped(row)
        was_waiting = waiting
        last_head = head
        head = next(
            (i.text for i in reversed(row) if i.text and not value_cell.fullmatch(i.text)), head
        )
        texts = [i for i in row if i.text]
        waiting = bool(texts) and all(is_label(i.text) for i in texts)
        if all(is_value(i.text) or is_label(i.text) for i in row):
            out.extend(row)  # values and labels only: no group label to drop or remember
            if item is not None:
                out.append(item)
            row = []
            continue
        texts = [i for i in row if i.text]
        joined = "".join(i.text for i in texts)
        if (
            texts
            and len(texts) == len(row)  # a row with empty cells prints values (blanks)
            and not _DIGIT.search(joined)
            and (is_group(joined) or all(is_group(i.text) for i in texts))
            # not the label above going on past a group label's piece (其他处 理由逾期不补)
            and not apart.continues(apart.label(last_head), joined)
        ):
            seen.add("".join(joined.split()))
        else:
            labelled = any(is_label(i.text) for i in texts)
            row_key = next((_row_key_of(keys, i.text) for i in texts if is_label(i.text)), None)
            before_label = True
            for cell in row:
                if is_value(cell.text):
                    out.append(cell)
                    continue
                key = "".join(cell.text.split())
                if before_label and cell.text and is_label(cell.text):
                    before_label = False
                if key in seen and is_group(key) and cell is row[0]:
                    continue  # printed again (a merged cell split at a page break)
                if (
                    cell is row[0]
                    and _in_group_label(pieces, key)
                    and any(is_label(c.text) for c in texts[1:])
                ):
                    # a group label's words before another row's label: a row has one
                    # label ()其他处理 beside 2.申请人逾期…, the group's narrow cell)
                    continue
                if (
                    was_waiting
                    and not labelled
                    and cell is row[0]
                    and not _DIGIT.search(key)
                    and is_group(key)
                    and _row_key_of(keys, key) is None
                    and any(c.text and value_cell.fullmatch(c.text) for c in row[1:])
                ):
                    # a group label's narrow cell, or a piece of it, on the line of the
                    # values of the row label above ((三)不予公 beside 4.保护第三方合法权益's
                    # values); a group label that is a row's too ((六)其他处理) is a label
                    continue
                if (
                    labelled
                    and before_label
                    and key
                    and not _DIGIT.search(key)
                    and is_group(key)
                    # (its rest, which may read as the whole label: （三 | 1.属于… / ）不予公开
                    # | 2.其他…, the group's merged cell split between its first two rows)
                    and (groups.fullmatch(key) is None or (piece and piece + key in pieces))
                ):
                    piece = key
                    continue  # a piece of a wrapped group label before the row's label
                if (
                    labelled
                    and before_label
                    and groups.fullmatch(key) is not None
                    and _row_key_of(keys, key) is None
                    and row_key not in firsts
                ):
                    # a whole group label beside a later row of its group, before that
                    # row's label (本年 | （三）不予公开 | 4.保护第三方合法权益 …: its merged
                    # cell printed mid-group): the grammars take it before the first only
                    continue
                if (
                    labelled
                    and before_label
                    and key
                    and row_key is not None
                    and not _DIGIT.search(key)
                    and groups.fullmatch(key) is None
                    and not is_label(key)
                    and set(key) <= _row_group_characters(table).get(row_key, frozenset())
                ):
                    # characters of the row's group labels in an order of no label (（五）理
                    # | 3.要求提供公开出版物: a merged cell's lines taken apart and mixed)
                    continue
                if cell.text and is_group(cell.text):
                    seen.add(key)
                out.append(cell)
        if item is not None:
            out.append(item)
        row = []
    return out


def _close_gaps(text: str) -> str:
    """``text`` without the spaces an extraction put between Chinese characters; a
    placeholder after the words keeps its space (``行政许可 无`` is a label and a value)."""
    head, _, last = text.rpartition(" ")
    if head and last in placeholder_words():
        return f"{_CJK_GAP.sub('', head)} {last}"
    return _CJK_GAP.sub("", text)


_DIGIT = re.compile(r"\d")
#: A space between two Chinese characters inside one cell is an extraction's artifact
#: (a PDF prints 总 计, 本 年度办 理结果), not part of the text.
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) +(?=[\u3400-\u9fff])")


#: What a label's words end with where a count is glued to them.
_WORD_END = "[\u3400-\u9fff”’）)]"
#: A label cell with a count glued to its end: its words, the count, and the words of
#: its wrapped line joined on after a space (… 出具0 已获取信息).
_GLUED_COUNT = re.compile(
    rf"(?P<words>.*{_WORD_END})(?P<count>0|[1-9][0-9]*)"
    r"(?: (?P<more>[\u3400-\u9fff“”‘’（）()「」『』].*))?"
)
#: A digit glued to a word: what a table needs for ``_without_glued_counts`` to look.
_GLUED_DIGIT = re.compile(f"{_WORD_END}[0-9]")


def _first_value(
    row: Sequence[Item], value_cell: re.Pattern[str], also: re.Pattern[str] | None = None
) -> int:
    """The index of the row's first value cell (a digit run, or a cell ``also`` matches),
    or 0 where there is none or the row starts with it."""
    return next(
        (k for k, i in enumerate(row)
         if i.is_run or value_cell.fullmatch(i.text) or (also and also.fullmatch(i.text))),
        0,
    )  # fmt: skip


def _replaced(items: Sequence[Item], by: dict[int, tuple[Item, ...]]) -> list[Item]:
    """``items`` with each item whose ``id`` is in ``by`` replaced by those items."""
    return [part for item in items for part in by.get(id(item), (item,))]


def _without_glued_counts(items: Sequence[Item], lark: Lark, table: TableDef) -> list[Item]:
    """``items`` with a row's first value cut off the label cell it is glued to (a PDF
    tool printed the label's column up to the values: 5.要求行政机关确认或重新出具0  0  0 …) —
    where the words read as a row of the table whose label in the template ends in no
    digit, only values follow on the line, and with the count the row prints exactly as
    many values as it has columns; the row's cells are inferred (a footnote's digit, on a
    row printing a blank as nothing, fits so too). Otherwise the digits stay in the label
    (finding R4)."""
    if not any(_GLUED_DIGIT.search(i.text) for i in items):
        return list(items)  # no digit glued to a word: nothing to cut
    keys = _row_keys(lark)
    value_cell = _value_cell(lark)
    own_labels = _own_labels(table)
    cut: dict[int, tuple[Item, ...]] = {}
    above: list[Item] = []
    for row in _rows_of(items):
        before, above = above, row
        # the label cell: the one before the row's first value (pieces of a group label
        # may come before it)
        k = _first_value(row, value_cell)
        head = row[k - 1] if k else None
        found = _GLUED_COUNT.fullmatch(head.text) if head and len(head.lines) < 2 else None
        if head is None or found is None:
            continue
        label = join_pieces([found["words"], found["more"] or ""])
        # the words alone, or after the label's other pieces on the line (3. | 危及 | …0),
        # or after its first line printed above (1.申请人无正当理由逾期不 / 补正、…其0  0 …)
        key = _row_key_of(keys, label) or _row_key_of(
            keys, join_pieces([*(i.text for i in row[: k - 1]), label])
        )
        if key is None and before and not any(value_cell.fullmatch(i.text) for i in before):
            key = _row_key_of(keys, join_pieces([before[-1].text, label]))
        if key is None or key not in own_labels or _DIGIT.search(own_labels[key][-1:]):
            continue  # no row, or one whose label ends in a digit: the digits may be its
        rest = row[k:]
        if not all(value_cell.fullmatch(i.text) for i in rest):
            continue
        if len(rest) + 1 != len(table.row(key).columns):
            continue
        words = found["words"]
        display = head.display
        # the row's cells inferred: a footnote's digit after a label, on a row printing
        # one blank as nothing, would read so too (and put the row's values one column off)
        value = Item(
            found["count"], head.line, head.column + len(words), source=head.source,
            moved=True,
            display=(display[0] + display_width(words, 1), display[1] + display_width(words, 2))
            if display else None,
        )  # fmt: skip
        cut[id(head)] = (evolve(head, text=label), value)
        cut.update((id(i), (evolve(i, moved=True),)) for i in rest)
    return _replaced(items, cut)


#: A closing quote printed on a row's first values, glued to them (pypdf's layout text
#: places the quote glyph that ends 3.危及“三安全一稳定” at the values: ”0000000).
_QUOTED_VALUES = re.compile(r"(?P<quote>[”’」』]+)(?P<digits>[0-9]+)")


def _without_quotes_on_values(items: Sequence[Item], lark: Lark, table: TableDef) -> list[Item]:
    """``items`` with a closing quote glued to the values after a row's label given back
    to the label, where the label reads as a row of the table and only values follow:
    the digits are then the row's zeros, one cell each (a run of zeros reads no other
    way), or, where they are the row's only values, a digit run for placement to split."""
    if not any(_QUOTED_VALUES.match(i.text) for i in items):
        return list(items)
    keys = _row_keys(lark)
    value_cell = _value_cell(lark)
    cut: dict[int, tuple[Item, ...]] = {}
    for row in _rows_of(items):
        # the row's first cell that is no text: the quote glued to the values?
        k = _first_value(row, value_cell, also=_QUOTED_VALUES)
        found = _QUOTED_VALUES.fullmatch(row[k].text) if k else None
        rest = row[k + 1 :]
        if found is None or not all(value_cell.fullmatch(i.text) for i in rest):
            continue
        key = _row_key_of(keys, "".join(i.text for i in row[:k]))
        if key is None:
            continue
        glued, digits = row[k], found["digits"]
        at = glued.column + len(found["quote"])
        if set(digits) == {"0"} and len(digits) + len(rest) <= len(table.row(key).columns):
            values = tuple(Item("0", glued.line, at + n, source=glued.source)
                           for n in range(len(digits)))  # fmt: skip
        elif not rest:
            values = (Item(digits, glued.line, at, is_run=True, source=glued.source),)
        else:
            continue  # other values beside a run: not read (R4)
        cut[id(row[k - 1])] = (evolve(row[k - 1], text=row[k - 1].text + found["quote"]),)
        cut[id(glued)] = values
    return _replaced(items, cut)


@cache
def _any_label_test(lark: Lark, spaced: bool = False) -> Callable[[str], bool]:
    """Does a cell's text read as a row's label or a group label (spaces aside, or as
    it is where ``spaced``)?"""
    groups, others = _labels(lark)

    @lru_cache(maxsize=TEXT_TESTS_KEPT)
    def is_label(text: str) -> bool:
        if not spaced:
            text = "".join(text.split())
        return others.fullmatch(text) is not None or groups.fullmatch(text) is not None

    return is_label


@cache
def _value_test(lark: Lark) -> Callable[[str], bool]:
    """Does a cell's text (spaces around it aside) read as a value cell?"""
    values = _value_cell(lark)

    @lru_cache(maxsize=TEXT_TESTS_KEPT)
    def is_value(text: str) -> bool:
        return values.fullmatch(text.strip()) is not None

    return is_value


def _join_split_labels(items: Sequence[Item], lark: Lark, table: TableDef) -> list[Item]:
    """``items`` with a label printed in two cells side by side joined into one cell
    (a PDF-to-markdown converter cut its merged cell at a column's edge: 第二十条第（一）
    | 项, 一 | 、本年新收…; cells of several lines line by line: （二）部<br>一 |
    分公开（区分处理的，只计这<br>情形，不计其他情形）) — where neither piece reads as a
    label and the two together do, or the first piece reads as none and the two
    begin the template's own label of the row they read as."""
    value_cell = _value_cell(lark)
    keys = _row_keys(lark)
    own_labels = _own_labels(table)
    is_label = _any_label_test(lark, spaced=True)

    def is_text(item: Item) -> bool:
        return (
            bool(item.text)
            and not item.is_break
            and not item.is_run
            and not value_cell.fullmatch(item.text)
        )

    def joined(head: Item, tail: Item) -> str | None:
        one, two = "".join(head.text.split()), "".join(tail.text.split())
        if is_label(one):
            return None
        candidates = [one + two]
        if len(head.lines) > 1 and len(head.lines) == len(tail.lines):
            lines = zip(head.lines, tail.lines, strict=True)
            candidates.insert(0, "".join("".join(a + b for a, b in lines).split()))
        for text in candidates:
            if not is_label(text):
                continue
            if not is_label(two):
                return text
            key = _row_key_of(keys, text)
            if key is not None and own_labels.get(key, "").startswith(text):
                return text
            numbering = NUMBERED.fullmatch(one)
            if (
                key is not None
                and numbering
                and _numbering_of_rows(table).get(key) == _numbering(numbering.group())
            ):
                # the row's numbering, then words reading as that row, whatever the
                # words' order (pypdf: 3. | “危及”定 | 三安全一稳 for 3.危及“三安全一稳定”)
                return text
        return None

    def merged(out: list[Item], item: Item) -> bool:
        """Join ``item`` onto the piece before it, or the two before (第二 | 十条第 |
        （五）项); False where it joins none."""
        for back in (1, 2):
            heads = out[-back:] if len(out) >= back else []
            if not heads or not all(is_text(h) for h in heads):
                return False
            head = heads[0]
            if back > 1:
                head = evolve(head, text="".join(h.text for h in heads), lines=())
            text = joined(head, item)
            if text is not None:
                out[-back:] = [evolve(heads[0], text=text, lines=())]
                return True
        return False

    out: list[Item] = []
    for item in items:
        if not (is_text(item) and merged(out, item)):
            out.append(item)
    return out


def _rows_of(items: Sequence[Item]) -> list[list[Item]]:
    """``items`` cut at their row breaks (each row without its break)."""
    rows: list[list[Item]] = [[]]
    for item in items:
        if item.is_break:
            rows.append([])
        else:
            rows[-1].append(item)
    return [row for row in rows if row]


def _repair_wrapped_labels(items: Sequence[Item], lark: Lark, table: TableDef) -> list[Item]:
    """A digit-run table whose labels wrap around their values, re-paired.

    pdfplumber's text prints a wrapped label's lines around its row's values: the
    values on a line of their own between the label's lines, or even above its
    first line (一、本年新收政府信息公开申请数 / 8 0 0 0 0 0 8 / 量); pypdf's after the
    label's last words, on its last line (…只计这一情 形，不 / 计其他情形） 4 0 0 0 0 0 4).
    Here a row starts at a line that reads as a row label; lines of text that read as no label go on
    the label of the row before; a line of values goes to the latest row without
    values, or when it has them already, to the next row — then its cells are
    marked ``moved`` (placed by this reading, so inferred). Tables whose rows each
    hold their label and values are returned as they are.
    """
    if not any(i.is_run for i in items):
        return list(items)
    is_label = _any_label_test(lark)  # a group label with values is a row (（六）其他处理)

    rows = _rows_of(items)
    keys = _row_keys(lark)
    numbering = _numbering_of_rows(table)
    apart = _group_pieces_apart(table)
    kinds = []
    current: str | None = None  # the row key of the label read last
    current_number = ""  # … and that label's numbering (3. of 3.要求提供公)
    current_open = False  # has that row printed no values yet?
    head = ""  # the label read last, as far as it goes
    for row in rows:
        texts = [i for i in row if i.text and not i.is_run]
        runs = [i for i in row if i.is_run]
        # a row starts at a label, or at a numbered line whose label's words wrapped;
        # the second line of the label read last (合法权益 under 4.保护第三方) is no new row
        labelled = bool(texts) and (is_label(texts[0].text) or bool(NUMBERED.match(texts[0].text)))
        if labelled and runs and not is_label(texts[0].text) and apart.piece(texts[0].text):
            labelled = False  # a group label's numbering on a line of values: （五） 0 0 …
        if (
            labelled
            and (not NUMBERED.match(texts[0].text) or apart.piece(texts[0].text.split()[0]))
            and apart.continues(head, texts[0].text)
        ):
            # 其他处 理由逾期不补 under （六） 1.申请人无正当, （四） 息 under 1.本机关不掌握相关
            # 政府信: a group label's piece, then more of the label read last
            labelled = False
        if labelled:
            key = _row_key_of(keys, texts[0].text)
            if not NUMBERED.match(texts[0].text) and (
                (current_open and (current is None or key == current))
                # no two rows share a key: the row read last, again, is more of its
                # label, even below its values (合法权益 under 4.保护第三方 / its values)
                or (key is not None and key == current)
                # a numbered label not known yet, and words of the row that number
                # begins in the template (开出版物 after 3.要求提供公 / its values)
                or (
                    current is None
                    and key is not None
                    and bool(current_number)
                    and numbering.get(key) == current_number
                )
            ):
                labelled = False  # 开出版物 under 3.要求提供公: more of that label
                if current is None:
                    current = key
            else:
                current = key
                found = NUMBERED.match(texts[0].text)
                current_number = _numbering(found.group()) if found else ""
        if labelled:
            current_open = not runs
            head = apart.label(texts[0].text)
        elif runs:
            current_open = False
        if not labelled and texts:
            head = apart.joined(head, [t.text for t in texts])
        kinds.append(("label" if labelled else "text" if texts else "values", texts, runs))
    if not any(kind == "values" or (kind == "text" and runs) for kind, _, runs in kinds):
        # no line of values stands apart from a label, nor goes on a label's words
        # (计其他情形） 4 0 0 0 0 0 4 under （二）部分公开（区分处理的，只计这一情 形，不)
        return list(items)
    built: list[tuple[list[Item], list[Item]]] = []  # (label cells, value cells)
    pending: list[Item] = []
    for kind, texts, runs in kinds:
        if kind == "label":
            values = list(runs)
            if pending and not values:
                values = [evolve(i, moved=True) for i in pending]
                pending = []
            texts = [evolve(texts[0], text=apart.label(texts[0].text)), *texts[1:]]
            built.append((texts, values))
            continue
        if texts:
            if built:
                # more of the label above: one cell, as its words were (5.属于三类内 + 部事务信息)
                head = built[-1][0][-1]
                built[-1][0][-1] = evolve(
                    head, text=apart.joined(head.text, [t.text for t in texts])
                )
            else:
                built.append((list(texts), []))  # header text before the first row
        if runs:
            if (
                built
                and not built[-1][1]
                and (is_label(built[-1][0][0].text) or NUMBERED.match(built[-1][0][0].text))
            ):
                built[-1] = (built[-1][0], list(runs))
            else:
                pending.extend(runs)
    if pending:
        built.append(([], pending))  # values after the last row: left where they are
    row_label = _row_labels(lark)
    first = next((k for k, (_, values) in enumerate(built) if values), len(built))
    unpaired = [
        labels[0]
        for labels, values in built[first:]  # before the first values: the header
        if labels
        and not values
        and (row_label.fullmatch("".join(labels[0].text.split())) or NUMBERED.match(labels[0].text))
    ]
    if unpaired:
        # a row with no values beside value lines that went elsewhere: which values are
        # whose cannot be told, so the table is not read rather than read wrong
        raise TableError(
            "the table's rows and its lines of values cannot be paired: a row prints no "
            "values while lines of values stand apart from their labels",
            line=unpaired[0].line,
            column=unpaired[0].column,
            expected="each row's values on its label's line, or between its label's lines",
            snippet=unpaired[0].text[:40],
            hint="extract the table with its cells (pdfplumber tables, pdftotext -layout) "
            "or give govreport the PDF itself",
        )
    out: list[Item] = []
    for labels, values in built:
        cells = [*labels, *values]
        out.extend(cells)
        out.append(Item("", cells[-1].line, cells[-1].column + 1, is_break=True))
    return out


#: The text of a label token put in for a row the table leaves out.
ABSENT = "\ue003"
#: At most this many rows of a table may be missing before it is unreadable.
MAX_ABSENT_ROWS = 8


class _AbsentRows:
    """Error recovery for a table that leaves rows out: when the parser meets the label
    of a later row where a row's label must come, it is given the missing rows' labels
    (text :data:`ABSENT`, dropped from the rows read) until the label fits."""

    def __init__(self, lark: Lark, table: TableDef) -> None:
        self.lark, self.table = lark, table
        self.inserted = 0

    @property
    def rank(self) -> dict[str, int]:
        return _label_ranks(self.lark, self.table)

    @property
    def labels(self) -> frozenset[str]:
        """Every label terminal: row labels, captions, group labels (（三）不予公开 …)."""
        return _label_terminals(self.lark)

    def __call__(self, exc: UnexpectedInput) -> bool:
        if not isinstance(exc, UnexpectedToken):
            return False
        end = exc.token.type == "$END"  # the table's last rows are left out
        if not end and _type(exc.token) not in self.labels:
            return False
        got = len(self.rank) if end else self.rank.get(_type(exc.token), len(self.rank))
        interactive = exc.interactive_parser
        for _ in range(MAX_ABSENT_ROWS):
            if self.inserted >= MAX_ABSENT_ROWS:
                return False
            accepts = {_type_name(a): a for a in interactive.accepts()}
            if end and "$END" in accepts:
                return True  # the parser goes on to the end it met
            if not end and _type(exc.token) in accepts:
                interactive.feed_token(exc.token)
                return True
            earlier = [(self.rank[n], a) for n, a in accepts.items() if self.rank.get(n, got) < got]
            if not earlier:
                return False
            interactive.feed_token(Token(max(earlier)[1], ABSENT))
            self.inserted += 1
        return False


#: The most characters a piece of a wrapped label printed on a line of its own holds
#: (a label column is a few characters wide; a longer line is no such piece).
MAX_LABEL_PIECE = 12


def _join_continued_rows(items: Sequence[Item], lark: Lark, table: TableDef) -> list[Item]:
    """A row split by a page break, its label's last words on a row of their own
    (`` |  | 内容仍不明确 |  |  |``: one text cell, the other cells empty, reading as no
    other row's label), joined back: the words go on the label of the row above."""
    groups, others = _labels(lark)
    keys = _row_keys(lark)
    pieces = _group_texts(table)
    _is_value = _value_test(lark)

    rows = _rows_of(items)
    if len(rows) < 2:
        return list(items)
    out: list[list[Item]] = []
    for row in rows:
        texts = [i for i in row if i.text]
        # past the pieces of a group label's narrow cell printed first ((三)不予公开's
        # ）不 / 予公 / 开 before 密, the end of 1.属于国家秘密)
        lead = next((k for k, i in enumerate(texts) if not _in_group_label(pieces, i.text)), 0)
        rest = texts[lead + 1 :]
        at = (
            _own_label_ended(out[-1], texts[lead], table)
            if out
            and rest
            # the next row's label follows, or nothing but pieces of a group label: no
            # values that the words and the label above could share
            and (
                any(_starts_row(i, others, pieces) for i in rest)
                or not any(_is_value(i.text) or i.is_run for i in rest)
            )
            else None
        )
        endings = [texts[lead]] if at is not None else []
        if out and at is None and rest:
            # … or its last lines, one cell each (PyMuPDF: …不再处 / values / 理其政府信息公开申
            # / 请 / 3.其他): the text cells before the next row's label, together
            more = []
            for i in rest:
                if _is_value(i.text) or i.is_run or _starts_row(i, others, pieces):
                    break
                more.append(i)
            if more and len(more) < len(rest) and _starts_row(rest[len(more)], others, pieces):
                whole = evolve(texts[lead], text="".join(i.text for i in [texts[lead], *more]))
                at = _own_label_ended(out[-1], whole, table)
                endings = [texts[lead], *more] if at is not None else []
        if at is not None:
            # the last words of the label above, printed past its values where a page
            # break cut the row (3.补正后申请 / its values / - 3 - / 内容仍不明确), or where
            # the extraction prints a cell's last line after the next cells; the next
            # rows follow on the same row of the stream
            head = out[-1][at]
            out[-1][at] = evolve(head, text=join_pieces([head.text, *(i.text for i in endings)]))
            gone = {id(i) for i in endings}
            row = [i for i in row if id(i) not in gone]
            texts = [i for i in texts if id(i) not in gone]
        joined = (
            _label_onto_values(out[-1], row, others, groups, keys, _is_value, pieces, table)
            if out
            else None
        )
        if joined:
            out[-1] = joined
            continue
        # a row's words past pieces of a group label's narrow cell printed beside them
        # (法提供 beside 息, the end of 1.本机关不掌握相关政府信息)
        own = [i for i in texts if not _in_group_label(pieces, i.text)]
        if len(own) == 1 and len(texts) > 1 and not any(_is_value(i.text) for i in texts):
            texts = own
        words = "".join(texts[0].text.split()) if len(texts) == 1 else ""
        # a row of one text cell among empty ones, or a short piece of a label alone on
        # its line (作 under 2.没有现成信息需要另行制 and its values), or a longer one that
        # is exactly the end of a label above (past a page break, or under its values)
        alone = (
            len(row) > 1
            or len(words) <= MAX_LABEL_PIECE
            or (bool(words) and _ends_own_label(out[-2:], words, table))
        )
        if (
            out
            and len(texts) == 1
            and not _is_value(texts[0].text)
            and not texts[0].is_run
            and not _DIGIT.search(words)  # words, not values run together
            and not NUMBERED.match(texts[0].text)
            and not groups.fullmatch(words)
            and (joined_label := _label_goes_on(out[-1], texts[0], others, keys, _is_value, table))
        ):
            # a row label's words wrapped onto the next line, its values still to come
            # (（二）部分公开 / （区分处理的，只 / 0 0 … under a narrow label column)
            out[-1] = joined_label
            continue
        if (
            out
            and len(texts) == 1
            and alone
            and not _is_value(texts[0].text)
            and not NUMBERED.match(texts[0].text)  # a numbered label starts a row
        ):
            above = out[-1]
            # values on a line of their own under their label: the words go on that label
            values_alone = (
                len(out) > 1
                and any(i.text for i in above)
                and all(_is_value(i.text) for i in above if i.text)
            )
            after = above if values_alone else []
            if values_alone:
                above = out[-2]
            # the row's own label: the last text that reads as a row, or else is
            # numbered as one (a piece of a group label printed beside it comes first:
            # （三 | 1.属于国家秘), else the first text
            texts_above = [k for k, i in enumerate(above) if i.text and not _is_value(i.text)]
            label = next(
                (k for k in reversed(texts_above) if _row_key_of(keys, above[k].text)),
                next(
                    (k for k in reversed(texts_above) if NUMBERED.match(above[k].text)),
                    texts_above[0] if texts_above else None,
                ),
            )
            if (
                label is not None
                and not values_alone
                and len(out) > 1
                and groups.fullmatch("".join(above[label].text.split()))
                and (earlier := _label_ends(out[-2], texts[0], keys, _is_value, table))
            ):
                # the row above is a group label printed on the values' line, between a
                # label and its last words (3.要求提供公开出 / （五）不予处理 0 0 … / 版物):
                # the words go on the label still waiting for them
                out[-2] = earlier
                continue
            if (
                label is not None
                and any(_is_value(i.text) for i in [*above[label + 1 :], *after])
                and not groups.fullmatch(words)
                and (
                    not others.fullmatch(words)  # no label: more words of the one above
                    or _row_key_of(keys, words) == _row_key_of(keys, above[label].text)
                    or _numbered_as(
                        above[label].text, _row_key_of(keys, words), keys, table, texts[0].text
                    )
                )
            ):
                head = above[label]
                above[label] = evolve(head, text=join_pieces([head.text, texts[0].text]))
                continue
        out.append(list(row))
    result: list[Item] = []
    for row in out:
        result.extend(row)
        result.append(Item("", row[-1].line, row[-1].column + 1, is_break=True))
    return result


def _starts_row(item: Item, others: re.Pattern[str], pieces: tuple[str, ...]) -> bool:
    """Does ``item`` begin a row of its own (a numbered label, or a label), rather than
    go on one or stand in a group label?"""
    if item.is_run or _in_group_label(pieces, item.text):
        return False
    words = "".join(item.text.split())
    return bool(NUMBERED.match(item.text)) or others.fullmatch(words) is not None


def _own_label_ended(above: Sequence[Item], item: Item, table: TableDef) -> int | None:
    """Which cell of ``above`` holds a label that ``item``'s words end exactly as the
    template prints it (none where ``item`` is a value, numbered, or a run)."""
    words = "".join(item.text.split())
    if not words or item.is_run or _DIGIT.search(words) or NUMBERED.match(item.text):
        return None
    return _cell_ended_by(above, words, table)


@cache
def _own_label_texts(table: TableDef) -> frozenset[str]:
    return frozenset(_own_labels(table).values())


def _cell_ended_by(row: Sequence[Item], words: str, table: TableDef) -> int | None:
    """The cell of ``row`` whose text and ``words`` (spaces aside) make the template's
    label of a row exactly, or None."""
    own = _own_label_texts(table)
    return next(
        (k for k, i in enumerate(row) if i.text and "".join(i.text.split()) + words in own),
        None,
    )


def _ends_own_label(rows: Sequence[Sequence[Item]], words: str, table: TableDef) -> bool:
    """Are ``words`` (spaces aside) exactly the missing end of the template's label of a
    row whose label starts in ``rows``? (1.申请人无正当理由逾期不补正、行政机关 + 不再处理其政府
    信息公开申请, the rest printed past a page break; 2.申请人逾 + 期未按收费通知…, the rest
    printed under the values' line)"""
    return any(_cell_ended_by(row, words, table) is not None for row in rows)


def _label_ends(
    above: list[Item],
    piece: Item,
    keys: _RowLabels,
    is_value: Callable[[str], bool],
    table: TableDef,
) -> list[Item] | None:
    """``above`` with ``piece`` joined to its label, when ``above`` is one numbered label
    that prints no values and reads as a row only once joined (3.要求提供公开出 + 版物);
    None otherwise."""
    texts = [k for k, i in enumerate(above) if i.text]
    if len(texts) != 1 or is_value(above[texts[0]].text) or above[texts[0]].is_run:
        return None
    head = above[texts[0]]
    if NUMBERED.match(head.text) is None or _row_key_of(keys, head.text) is not None:
        return None
    merged = evolve(head, text=join_pieces([head.text, piece.text]))
    key = _row_key_of(keys, merged.text)
    if key is None or not _begins_label(merged.text, key, table):
        return None
    return [*above[: texts[0]], merged, *above[texts[0] + 1 :]]


def _label_goes_on(
    above: list[Item],
    piece: Item,
    others: re.Pattern[str],
    keys: _RowLabels,
    is_value: Callable[[str], bool],
    table: TableDef,
) -> list[Item] | None:
    """``above`` with ``piece`` joined to its label, when ``above`` is a row label that
    prints no values yet and the joined words read as the same row (and ``piece`` as no
    other row's label); None otherwise."""
    texts = [k for k, i in enumerate(above) if i.text]
    if not texts or any(is_value(above[k].text) or above[k].is_run for k in texts):
        return None  # the row printed values already
    label = next((k for k in reversed(texts) if _row_key_of(keys, above[k].text)), None)
    if label is None:
        return None
    key = _row_key_of(keys, above[label].text)
    merged = evolve(above[label], text=join_pieces([above[label].text, piece.text]))
    words = "".join(piece.text.split())
    if _row_key_of(keys, merged.text) != key or not _begins_label(merged.text, key, table):
        return None  # not that row's words: perhaps the next row's, misspelt
    if others.fullmatch(words) and _row_key_of(keys, words) != key:
        return None  # the next row's own label
    return [*above[:label], merged, *above[label + 1 :]]


def _begins_label(text: str, key: str | None, table: TableDef) -> bool:
    """Does ``text`` read as the template prints row ``key``'s label, or its start, but
    for characters of a group label an extraction printed among its words (供 in
    息需要另行制供作)? Joins of a label's pieces must: a row's words never become
    another's."""
    words = "".join(text.split())
    label = _own_labels(table).get(key, "") if key is not None else ""
    stray = _group_characters(table)
    at = 0
    for char in words:
        if at < len(label) and char == label[at]:
            at += 1
        elif char not in stray:
            return False
    return at > 0


@cache
def _group_characters(table: TableDef) -> frozenset[str]:
    return frozenset("".join(_group_texts(table)))


def _numbered_as(
    label: str,
    key: str | None,
    keys: _RowLabels,
    table: TableDef,
    words: str = "",
) -> bool:
    """Is ``label`` a numbered label that reads as no row yet, numbered as row ``key``
    is in the template, and with ``words`` the start of that row's label (3.要求提供公,
    whose words 开出版物 went to the next page)?"""
    found = NUMBERED.match(label)
    return (
        key is not None
        and found is not None
        and _row_key_of(keys, label) is None
        and _numbering_of_rows(table).get(key) == _numbering(found.group())
        and _begins_label(join_pieces([label, words]), key, table)
    )


def _label_onto_values(
    above: list[Item],
    row: list[Item],
    others: re.Pattern[str],
    groups: re.Pattern[str],
    keys: _RowLabels,
    is_value: Callable[[str], bool],
    pieces: tuple[str, ...],
    table: TableDef,
) -> list[Item] | None:
    """``above`` and ``row`` as one row when a row label printed alone on its line goes
    on, with the row's values, on the next (（二）部分公开（区分 / 处理的，只计这一情 2 0 …):
    its words read as no other row's label and are not numbered. None otherwise."""
    if any(is_value(i.text) for i in above if i.text):
        return None
    labels = [k for k, i in enumerate(above) if i.text]
    # the first words of the row, past pieces of a group label's narrow cell beside them
    # ()无法提供 before 握相关政府信 under （四 1.本机关不掌)
    texts = [k for k, i in enumerate(row) if i.text and not is_value(i.text)]
    beside = [k for k in texts[:-1] if _in_group_label(pieces, row[k].text)]
    first = next((k for k, i in enumerate(row) if i.text and k not in beside), None)
    if labels and texts and first == texts[-1] and _in_group_label(pieces, row[first].text):
        # nothing but a piece of a group label before the values (无法提 0 0 … under
        # 2.没有现成信息需要, its last words 另行制作 below): the values are the label's
        head = above[labels[-1]]
        if not all(is_value(i.text) for i in row[first + 1 :] if i.text) or not any(
            i.text for i in row[first + 1 :]
        ):
            return None
        # the label must read as a row, or be numbered as one (its end below)
        if groups.fullmatch("".join(head.text.split())) or not (
            _row_key_of(keys, head.text) or NUMBERED.match(head.text)
        ):
            return None
        return [*above[: labels[-1]], *(row[k] for k in texts), *above[labels[-1] :],
                *row[first + 1 :]]  # fmt: skip
    if not labels or first is None or is_value(row[first].text):
        return None
    if not any(is_value(i.text) for i in row[first + 1 :] if i.text):
        return None
    head, words = above[labels[-1]], "".join(row[first].text.split())
    if NUMBERED.match(row[first].text) or groups.fullmatch(words):
        return None
    merged = evolve(head, text=join_pieces([head.text, row[first].text]))
    key = _row_key_of(keys, head.text)
    # the label above reads as a row, or is numbered and reads as one once joined
    # (2.没有现成信 / 息需要另行制 0 0 …: 2.没有现成信息需要另行制)
    if key is None and NUMBERED.match(head.text):
        key = _row_key_of(keys, merged.text)
    if key is None or _row_key_of(keys, merged.text) != key:
        return None
    if not _begins_label(merged.text, key, table):
        return None  # not that row's words: perhaps the next row's, misspelt
    if others.fullmatch(words) and _row_key_of(keys, words) != key:
        return None  # the next row's own label
    # the group's pieces go before the label, where a group label stands
    return [
        *above[: labels[-1]],
        *(row[k] for k in beside),
        merged,
        *above[labels[-1] + 1 :],
        *row[first + 1 :],
    ]


@cache
def _value_cell(lark: Lark) -> re.Pattern[str]:
    """A value cell as the grammar reads one (a count, money, a placeholder …)."""
    found = [
        t.pattern.to_regexp()
        for t in lark.terminals
        if _type_name(str(t.name)) in VALUE_TYPES - {"RUN"}
    ]
    return re.compile("|".join(f"(?:{p})" for p in found))


@cache
def _label_ranks(lark: Lark, table: TableDef) -> dict[str, int]:
    """Each row-label terminal's place in the table's row order."""
    return {
        terminal: index
        for index, row in enumerate((*table.rows, *table.variants))
        for terminal, key in _row_of_label(lark).items()
        if key == row.key
    }


@cache
def _label_terminals(lark: Lark) -> frozenset[str]:
    return frozenset(
        str(t.name).rsplit("__", 1)[-1]
        for t in lark.terminals
        if str(t.name).rsplit("__", 1)[-1] not in CELL_TYPES | {"BR", "TEXT"}
        and not str(t.name).startswith("_")
    )


@cache
def _type_name(terminal: str) -> str:
    """A terminal's name without the grammar it was imported from (``cells__COUNT``)."""
    return terminal.rsplit("__", 1)[-1]


def _serialised(item: Item) -> str:
    if item.is_break:
        return BREAK
    if item.is_run:
        return RUN + item.text
    return item.text or EMPTY


def _walk(tree: Tree, row_rules: dict) -> Iterator[tuple[str | None, list[Token]]]:
    """Yield ``(row rule, its tokens)`` and ``(None, free tokens)`` in source order."""
    free: list[Token] = []
    for child in tree.children:
        if isinstance(child, TOKEN_TYPES):
            free.append(child)
        elif child.data in row_rules:
            if free:
                yield None, free
                free = []
            yield str(child.data), list(child.scan_values(lambda v: isinstance(v, TOKEN_TYPES)))
        else:
            if free:
                yield None, free
                free = []
            yield from _walk(child, row_rules)
    if free:
        yield None, free


def _after_last_break(tokens: list[Token]) -> list[Token]:
    tail: list[Token] = []
    for token in tokens:
        if _type(token) == "BR":
            tail = []
        elif _type(token) == "EMPTY":
            tail.append(token)
        else:
            tail = []
    return tail if any(_type(t) == "BR" for t in tokens) else []


def _type(token: Token) -> str:
    return _type_name(token.type)


def _starts(items: Sequence[Item]) -> list[int]:
    starts, pos = [], 0
    for item in items:
        starts.append(pos)
        pos += len(_serialised(item)) + 1
    return starts


def _index(token: Token, starts: list[int]) -> int:
    return max(0, bisect.bisect_right(starts, token.start_pos or 0) - 1)


def _printed(token: Token, items: Sequence[Item], starts: list[int]) -> Printed:
    item = items[_index(token, starts)]
    kind = _type(token)
    text = "" if kind == "EMPTY" else str(token).lstrip(RUN)
    return Printed(text, kind, item.line, item.column, item.source, item.moved, item.display)


def _table_error(
    exc: UnexpectedInput, table: TableDef, lark: Lark, items: Sequence[Item], starts: list[int]
) -> TableError:
    pos = getattr(exc, "pos_in_stream", None)
    if isinstance(exc, UnexpectedToken):
        pos = exc.token.start_pos
    index = max(0, bisect.bisect_right(starts, pos or 0) - 1) if items else 0
    item = items[index] if items else None
    expected = _describe_expected(exc, lark, table)
    ends = item is None or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END")
    found = (
        "the table ends here"
        if ends
        else "unexpected row break"
        if item.is_break
        else "unexpected empty cell"
        if not item.text
        else f"unexpected {item.text!r}"
    )
    return TableError(
        f"section {table.section} table ({table.key}): {found}",
        line=item.line if item else None,
        column=item.column if item else None,
        expected=expected,
        snippet=item.text[:40] if item and item.text else None,
        hint="a row may be missing, misspelt or out of template order",
    )


def _describe_expected(exc: UnexpectedInput, lark: Lark, table: TableDef) -> str | None:
    names: set[str] = set()
    if isinstance(exc, UnexpectedToken):
        names = set(exc.accepts or exc.expected)
    elif isinstance(exc, UnexpectedCharacters):
        names = set(exc.allowed or ())
    starts_row = _row_of_label(lark)
    keys = sorted({starts_row.get(n.rsplit("__", 1)[-1], "") for n in names} - {""})
    if keys:
        return "the row " + " or ".join(f"{_printed_label(table, k)} ({k})" for k in keys)
    if names & VALUE_TYPES:
        return "a value (a number, a placeholder such as / or 无, or an empty cell)"
    return None


def _printed_label(table: TableDef, key: str) -> str:
    """A row's label as the template prints it, without its group's label."""
    row = next((r for r in (*table.rows, *table.variants) if r.key == key), None)
    return row.label.split()[-1] if row is not None else key


@cache
def _row_of_label(lark: Lark) -> dict[str, str]:
    out = {}
    for rule in lark.rules:
        name = str(rule.origin.name)
        if rule.expansion and not name.startswith("_") and name[0].islower():
            first = rule.expansion[0].name.rsplit("__", 1)[-1]
            if first.isupper() and first not in CELL_TYPES | {"BR", "TEXT"}:
                out.setdefault(first, row_key(name))
    return out
