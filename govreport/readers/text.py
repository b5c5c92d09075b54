"""Decode and normalise report text before parsing.

Normalisation never adds or removes lines, so line *n* of the normalised text is
line *n* of the original. Debris lines are blanked and reported; inline
removals (pinyin annotations, DOCX bookmarks) keep a column map back to the
original line.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from attrs import evolve, frozen

from govreport.document import Block, Document, Dropped, Grid, Source, TextLine
from govreport.errors import DecodeError
from govreport.model import SourceLine
from govreport.readers.chars import FOLD_TABLE

#: Whole lines that are web-page or document-viewer debris, not report text.
DEBRIS_LINES = (
    re.compile(r"^\s*扫一扫在手机(上)?打开(当前)?页面\s*$"),
    re.compile(
        r"^\s*[【\[]?\s*(打印本页|关闭窗口|打印|关闭)\s*[】\]]?(\s*[【\[]?\s*(打印本页|关闭窗口|打印|关闭)\s*[】\]]?)*\s*$"
    ),
    re.compile(r"^\s*分享到[:：]?\s*$"),
    re.compile(r"^\s*字号[:：]?\s*[大中小\s]+$"),
)

#: Whole lines that are page numbers of a paginated document (pdftotext prints the
#: footer "- 4 -" between the pages' lines, also inside a table broken across pages).
PAGE_NUMBER_LINES = (
    re.compile(r"^\s*[-—–－]\s*\d{1,4}\s*[-—–－]\s*$"),
    re.compile(r"^\s*第\s*\d{1,4}\s*页(\s*[,/]?\s*共\s*\d{1,4}\s*页)?\s*$"),
)

#: Inline artifacts removed wherever they occur.
INLINE_ARTIFACTS = re.compile(
    r"\[bookmark:[^\]]*\]"  # DOCX dumps: [bookmark: _GoBack]
    r"|[\u200b\u200c\u200d\u2060\ufeff]"  # zero-width characters
    r"|[\ue000-\uf8ff]"  # private-use characters (our own cell markers must not occur)
    r"|(?m:^)[ \t]{0,3}#{1,6}[ \t]+(?=\S)"  # markdown's heading marks: ## 二、主动公开…
    # a page's footer number with the next page's first line after it, where the pages'
    # texts were joined with nothing between (PyMuPDF's sorted text ends in no newline):
    # ``- 3 -`` then a wide gap and text, so that a row of cells (``-\t0\t—\t\t0``,
    # ``-  0  -  2``) never reads as one
    r"|(?m:^)[ \t]*(?P<footer_dash>[-—–－]) ?\d{1,4} ?(?P=footer_dash)"
    r"(?=[ \t]{2,}(?:\d{1,2}[.．、])?[^\x00-\x7f\s—－])"
    # markdown's backslash escapes of ASCII punctuation (mammoth, pandoc: 3\.其他, \*);
    # not of a bar, which would split a markdown table's cell in two
    r"|\\(?=[!-/:-@\[-`{}~])"
    # inline HTML a markdown converter kept for the text's style: <u>第二十条第（一）项</u>
    r"|</?(?:u|b|i|em|strong|sup|sub|span|font|ins|del|mark)(?:\s[^<>]*)?>"
)

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SINGLE_ARTIFACTS = re.compile("[\u200b\u200c\u200d\u2060\ufeff\ue000-\uf8ff]")
#: How many times bookmarks and pinyin are removed again after a removal.
_NESTING = 4
#: Markdown's bold marks around text on one line (## **一、总体情况**, a converter's
#: emphasis of a heading or caption): the marks go, the text stays. Not marks that
#: mask names (王**、李**等: the text after them starts with punctuation), nor marks
#: between a digit and the bold text, which would join two numbers (**1**2).
MARKDOWN_BOLD = re.compile(
    r"(?<![\d*])(\*\*)(?=[^*\s、，。；：,.;:）)])[^*\n]*?[^*\s](\*\*)(?![\d*])"
)

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
#: Pinyin a site converter put after a character: 統(tǒng)一.
PINYIN = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（](?=[a-z{_TONED}ü]*[aeiouüv{_TONED}])[a-z{_TONED}ü]{{1,7}}[)）]"
)
_PINYIN_TONED = re.compile(rf"(?<=[\u3400-\u9fff])[(（][a-zü]*[{_TONED}][a-zü]*[)）]")

#: Form feeds (pdftotext starts each page with one) and vertical tabs count as spaces.
_SPACE_CHARS = "\f\v\u00a0\u3000\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
_SPACES = dict.fromkeys(map(ord, _SPACE_CHARS), " ")
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if c != 0xFF0C}
#: ，folds to , except between digits: "1，234" is two cells run together, not 1234.
_COMMA = re.compile(r"，(?![0-9０-９])|(?<![0-9０-９])，")
_FOLD = {**FOLD_TABLE, **_SPACES, **_WIDTH}  # radicals, odd spaces, full width: one pass


def _runs_of(keys: Iterable[int]) -> re.Pattern[str]:
    """A pattern matching runs of the characters ``keys``, as ranges."""
    ranges: list[list[int]] = []
    for k in sorted(keys):
        if ranges and ranges[-1][1] == k - 1:
            ranges[-1][1] = k
        else:
            ranges.append([k, k])
    spans = (re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)
    return re.compile(f"[{''.join(spans)}]+")


_FOLDABLE = _runs_of(_FOLD)


def _folded(text: str) -> str:
    """``text`` with ``_FOLD`` applied (str.translate on the runs that need it only: a
    report is mostly characters it leaves alone, and translating them one by one costs
    several times the search)."""
    return _FOLDABLE.sub(lambda m: m.group().translate(_FOLD), text)


_CJK = re.compile(r"[\u3400-\u9fff]")


@frozen
class Normalised:
    """Normalised text, line for line, with what was removed on the way."""

    lines: tuple[str, ...]
    original: str
    script: str
    dropped: tuple[SourceLine, ...]
    #: For lines whose columns moved: normalised column (0-based) → original column.
    column_maps: dict[int, tuple[int, ...]]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def original_column(self, line: int, column: int) -> int:
        """The 1-based original column of a 1-based normalised ``(line, column)``."""
        cmap = self.column_maps.get(line)
        if not cmap:
            return column
        index = min(max(column - 1, 0), len(cmap) - 1)
        return cmap[index] + 1


#: A prefix holding this many multi-byte UTF-8 characters before the first byte that
#: is not UTF-8 shows the file was meant as UTF-8 (GB18030 bytes rarely form even one).
UTF8_EVIDENCE = 8


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one
    when the bytes say so), else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8) :], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16")
    if b"\x00" in data[:4096]:
        return _decode_wide(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8")
        if sum(1 for c in prefix if ord(c) > 0x7F) >= UTF8_EVIDENCE:
            raise _not_utf8(data, exc) from None
    return _decode(data, "gb18030")


def _decode_wide(data: bytes) -> str:
    """Text whose bytes hold NULs: UTF-16 or UTF-32 without a byte-order mark (the
    bytes' pattern says which), or binary data."""
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding.startswith(("utf_16", "utf_32")):
        return _decode(data, best.encoding)
    raise DecodeError(
        "this is binary data, not a text report",
        line=1,
        column=data.index(b"\x00") + 1,
        expected="UTF-8, UTF-16 or GB18030 text",
        hint="extract the report's text first (e.g. from PDF or DOCX)",
    )


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> DecodeError:
    if exc.end >= len(data) and "end of data" in exc.reason:
        return _bytes_error(
            data,
            exc,
            "the UTF-8 text is cut short: it ends in the middle of a character",
            expected="a whole file",
            hint="the file was truncated (an interrupted download or copy): fetch it again",
        )
    return _bytes_error(
        data,
        exc,
        f"the text is UTF-8 up to here, but byte {data[exc.start]:#04x} is not valid UTF-8",
        expected="UTF-8 text throughout",
        hint="the file is damaged here, or two encodings were joined: re-save it as UTF-8",
    )


def _bytes_error(
    data: bytes, exc: UnicodeDecodeError, message: str, *, expected: str, hint: str
) -> DecodeError:
    """A decode error at the byte ``exc`` names, with the bytes around it."""
    line, column = byte_position(data, exc.start)
    return DecodeError(
        message,
        line=line,
        column=column,
        expected=expected,
        snippet=data[max(0, exc.start - 8) : exc.end + 8].hex(" "),
        hint=hint,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: str) -> str:
    """``text`` itself, if it is valid Unicode (a ``str`` may hold lone surrogates,
    e.g. from ``surrogateescape`` decoding; they are not characters)."""
    found = _SURROGATE.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise DecodeError(
            f"the text holds a lone surrogate {found.group()!r}, which is not a character",
            line=line,
            column=column,
            expected="valid Unicode text",
            snippet=text[max(0, found.start() - 8) : found.start()] or None,
            hint="pass the file's bytes instead of text decoded with errors='surrogateescape'",
        )
    return text


def byte_position(data: bytes, index: int) -> tuple[int, int]:
    """The 1-based line and column of byte ``index`` of ``data``."""
    return data.count(b"\n", 0, index) + 1, index - (data.rfind(b"\n", 0, index) + 1) + 1


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _bytes_error(
            data,
            exc,
            f"the bytes are neither UTF-8 nor {encoding.upper()} text",
            expected="UTF-8, UTF-16 or GB18030 text",
            hint="convert the file to UTF-8",
        ) from None


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


_NOT_CJK = re.compile(r"[^\u3400-\u9fff]+")


def is_traditional(text: str) -> bool:
    """True when the text is written in Traditional characters."""
    sample = _NOT_CJK.sub("", text)[:4000]
    if not sample:
        return False
    converted = _t2s().convert(sample)
    if converted == sample:
        return False
    changed = sum(a != b for a, b in zip(sample, converted, strict=False))
    return changed >= max(3, len(sample) // 50)


def normalise(text: str) -> Normalised:
    """Normalise decoded text for parsing; see the module docstring."""
    original = text[1:] if text.startswith("\ufeff") else text
    whole = original.replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = whole.split("\n")
    strip_pinyin = len(_PINYIN_TONED.findall(_ZERO_WIDTH.sub("", original))) >= 2
    traditional = is_traditional(original)

    # Whole-text passes where they change nothing but characters in place (no pass
    # maps a character to or from a line break); only lines with inline artifacts
    # are cleaned one by one, for their column maps.
    column_maps: dict[int, tuple[int, ...]] = {}
    cleaned = raw_lines
    if (
        INLINE_ARTIFACTS.search(whole)
        or MARKDOWN_BOLD.search(whole)
        or (strip_pinyin and PINYIN.search(whole))
    ):
        cleaned = []
        for number, raw in enumerate(raw_lines, start=1):
            line, cmap = _remove_inline(raw, strip_pinyin)
            if cmap is not None:
                column_maps[number] = cmap
            cleaned.append(line)
    folded = _COMMA.sub(",", _folded("\n".join(cleaned)))
    lines = folded.split("\n")
    if traditional:
        converted = _t2s().convert(folded).split("\n")
        if len(converted) != len(lines):  # pragma: no cover - a conversion never adds lines
            converted = [_t2s().convert(line) for line in lines]
        for number, (before, after) in enumerate(zip(lines, converted, strict=True), start=1):
            if len(before) != len(after):
                column_maps.pop(number, None)  # phrase conversion: columns approximate
        lines = converted

    dropped: list[SourceLine] = []
    for index, line in enumerate(lines):
        reason = debris(line) if line else None
        if reason:
            dropped.append(SourceLine(index + 1, raw_lines[index].strip(), reason))
            lines[index] = ""
    return Normalised(
        lines=tuple(lines),
        original=original,
        script="traditional" if traditional else "simplified",
        dropped=tuple(dropped),
        column_maps=column_maps,
    )


_DEBRIS = re.compile("|".join(f"(?:{p.pattern})" for p in DEBRIS_LINES))
_PAGE_NUMBER = re.compile("|".join(f"(?:{p.pattern})" for p in PAGE_NUMBER_LINES))


def debris(line: str) -> str | None:
    """Why a whole normalised line is no report text (web-page debris, a page
    number), or None."""
    if _DEBRIS.match(line):
        return "web-page debris"
    if _PAGE_NUMBER.match(line):
        return "page number"
    return None


def _fold_line(raw: str, strip_pinyin: bool, converter) -> tuple[str, tuple[int, ...] | None]:
    """One line normalised, and its column map when columns moved (None: they did not,
    or only approximately)."""
    line, cmap = _remove_inline(raw, strip_pinyin)
    line = _COMMA.sub(",", _folded(line))
    if converter is not None and _CJK.search(line):
        converted = converter.convert(line)
        if len(converted) != len(line):
            cmap = None  # phrase conversion changed the length: columns approximate
        line = converted
    return line, cmap


def normalise_document(document: Document) -> Document:
    """A document from a reader that sees cells (PDF, HTML, DOCX) normalised as
    text is: inline artifacts removed, widths and spaces folded, radicals mapped,
    Traditional converted to Simplified; debris lines dropped and reported."""
    texts = [b.text for b in document.blocks if isinstance(b, TextLine)]
    texts += [c.text for b in document.blocks if isinstance(b, Grid) for r in b.rows for c in r]
    whole = "\n".join(texts)
    strip_pinyin = len(_PINYIN_TONED.findall(_ZERO_WIDTH.sub("", whole))) >= 2
    traditional = is_traditional(whole)
    converter = _t2s() if traditional else None

    def norm(text: str) -> str:
        return _fold_line(text, strip_pinyin, converter)[0]

    blocks: list[Block] = []
    dropped = list(document.dropped)
    for block in document.blocks:
        if isinstance(block, TextLine):
            line = norm(block.text)
            reason = debris(line)
            if reason:
                dropped.append(Dropped(block.text.strip(), block.source, reason))
                continue
            blocks.append(evolve(block, text=line))
        else:
            rows = tuple(tuple(evolve(c, text=norm(c.text)) for c in row) for row in block.rows)
            blocks.append(evolve(block, rows=rows))
    return evolve(
        document,
        blocks=tuple(blocks),
        script="traditional" if traditional else "simplified",
        dropped=tuple(dropped),
    )


def _remove_inline(line: str, strip_pinyin: bool) -> tuple[str, tuple[int, ...] | None]:
    """``line`` without inline artifacts, and where each kept character was in ``line``.

    Single characters (zero-width, private use) go first, so that one inside a bookmark
    or before pinyin cannot hide it; then bookmarks and pinyin, again while a removal
    uncovers another, at most :data:`_NESTING` times (real text never nests them).
    """
    cmap: tuple[int, ...] | None = None
    for pattern in (_SINGLE_ARTIFACTS, *[None] * _NESTING):
        cleaner, step = _remove_inline_once(line, strip_pinyin, pattern)
        if step is None:
            if pattern is None:
                break
            continue
        cmap = step if cmap is None else tuple(cmap[i] for i in step)
        line = cleaner
    return line, cmap


def _remove_inline_once(
    line: str, strip_pinyin: bool, only: re.Pattern[str] | None = None
) -> tuple[str, tuple[int, ...] | None]:
    spans = [m.span() for m in (only or INLINE_ARTIFACTS).finditer(line)]
    if only is None:
        spans += [m.span(k) for m in MARKDOWN_BOLD.finditer(line) for k in (1, 2)]
    if strip_pinyin and only is None:
        spans += [m.span() for m in PINYIN.finditer(line)]
    if not spans:
        return line, None
    spans.sort()
    kept: list[str] = []
    cmap: list[int] = []
    pos = 0
    for start, end in spans:
        if start < pos:
            continue
        kept.append(line[pos:start])
        cmap.extend(range(pos, start))
        pos = end
    kept.append(line[pos:])
    cmap.extend(range(pos, len(line)))
    return "".join(kept), tuple(cmap)


#: A crawler's separator between its metadata header and the page text.
CRAWLER_BODY = re.compile(r"^\s*[=＝]{3,}\s*正文\s*[=＝]{3,}\s*$")
#: How far down the separator may come.
CRAWLER_HEADER_LINES = 40
_HEADER_FIELD = re.compile(r"^\s*(?P<key>[^\s:：]{1,12})\s*[:：]\s*(?P<value>.*?)\s*$")
#: Header keys → metadata keys (other keys are kept as printed).
CRAWLER_FIELDS = {
    "标题": "title",
    "发布时间": "published",
    "发布日期": "published",
    "文号": "document_number",
    "发布机构": "publisher",
    "栏目": "column",
    "原文链接": "url",
    "链接": "url",
    "本地目录": "local_path",
    "来源": "source",
    "索引号": "index_number",
}


def crawler_header(lines: Sequence[str]) -> tuple[dict[str, str], int]:
    """A crawler's metadata header (``标题: …`` … ``==== 正文 ====``): its fields, and
    how many lines it takes (0 when the text has none)."""
    end = next(
        (i for i, line in enumerate(lines[:CRAWLER_HEADER_LINES]) if CRAWLER_BODY.match(line)),
        None,
    )
    if end is None:
        return {}, 0
    fields: dict[str, str] = {}
    notes = []
    for line in lines[:end]:
        found = _HEADER_FIELD.match(line)
        if found:
            if found["value"]:
                fields.setdefault(CRAWLER_FIELDS.get(found["key"], found["key"]), found["value"])
        elif line.strip():
            notes.append(line.strip())
    if notes:
        fields["notes"] = " / ".join(notes)
    return fields, end + 1


def _grids(norm: Normalised, skip: int) -> dict[int, tuple[int, Grid]]:
    """The grid tables drawn in the text (:mod:`govreport.readers.gridtext`), by their
    first line: (their last line, the grid). The borders are matched on the lines as
    published — folding full-width characters would move the columns — and the
    cells' text is then normalised as the lines are."""
    from govreport.readers import gridtext

    if not gridtext.may_draw(norm.original):
        return {}
    raw = gridtext.ascii_borders(norm.original).replace("\r\n", "\n").replace("\r", "\n")
    raw = raw.split("\n")
    converter = _t2s() if norm.script == "traditional" else None
    found: dict[int, tuple[int, Grid]] = {}
    for first, last in gridtext.spans(raw):
        if first < skip:
            continue
        table = gridtext.grid(raw[first : last + 1], first + 1, len(found))
        if table is None:
            continue
        rows = tuple(
            tuple(evolve(c, text=_fold_line(c.text, False, converter)[0]) for c in row)
            for row in table.rows
        )
        found[first + 1] = (last + 1, evolve(table, rows=rows))
    return found


def fold_line(text: str) -> str:
    """``text`` normalised as a line of report text is (no script conversion)."""
    return _fold_line(text, False, None)[0]


def read(text: str) -> Document:
    """Decoded report text as an intermediate document: one text line per line; a
    crawler's header becomes metadata and a flattened body is re-flowed
    (:mod:`govreport.readers.reflow`)."""
    from govreport.readers import reflow

    norm = normalise(check_text(text))
    metadata, skip = crawler_header(norm.lines)
    grids = _grids(norm, skip)
    blocks: list[Block] = []
    flowed = False
    within = 0  # the last line of the grid read last
    for n, line in enumerate(norm.lines, 1):
        if n <= within:
            continue
        if n in grids:
            within, found = grids[n]
            blocks.append(found)
            # a line for each of the grid's other lines, so that the lines after it
            # keep their numbers (the grid is one line a row)
            rest = range(n + len(found.rows), within + 1)
            blocks.extend(TextLine("", Source(line=m)) for m in rest)
        elif n <= skip:
            blocks.append(TextLine("", Source(line=n)))  # held in the metadata
        elif reflow.is_flattened(line):
            flowed = True
            blocks.extend(TextLine(t, Source(line=n, column=c + 1)) for c, t in reflow.reflow(line))
        elif (cut := reflow.heading_at_end(line)) is not None:
            flowed = True  # a section heading after the prose of its line: a line of its own
            blocks.append(TextLine(line[:cut].rstrip(), Source(line=n)))
            blocks.append(TextLine(line[cut:].strip(), Source(line=n, column=cut + 1)))
        else:
            blocks.append(TextLine(line, Source(line=n)))
    return Document(
        blocks=tuple(blocks),
        reader="text",
        metadata=metadata,
        metadata_lines=tuple(range(1, skip + 1)),
        # a re-flowed text's lines are the document's, not the file's; so are those
        # of a text with grids (a line a row; the lines after a grid keep their numbers)
        original="" if flowed or grids else norm.original,
        script=norm.script,
        dropped=tuple(Dropped(d.text, Source(line=d.line), d.reason) for d in norm.dropped),
    )
