"""The HTML reader: a report page (a portal's article page, a Word/WPS HTML export)
as a :class:`~govreport.document.Document`.

:func:`read` decodes the bytes (BOM, then the page's declared charset, then UTF-8,
GB18030 and a guess), parses them with lxml's HTML parser (no network, no entity
expansion, a size bound), finds the element that holds the report inside the site's
chrome by the report's section headings and tables, and turns it into blocks in
reading order: a :class:`~govreport.document.TextLine` per line of text outside
tables, a :class:`~govreport.document.Grid` per ``<table>`` with its cells at their
grid positions after ``rowspan``/``colspan``. :func:`looks_like_html` says whether
bytes are HTML by their content.

``python -m govreport.readers.html FILE`` prints what the reader makes of a page.
"""

from __future__ import annotations

import codecs
import itertools
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import charset_normalizer
from lxml import etree

from govreport.document import Document, Grid, GridCell, Source, TextLine
from govreport.errors import DecodeError, ParseError
from govreport.readers.chars import CJK, join_pieces
from govreport.readers.text import byte_position, is_traditional

__all__ = ["MAX_BYTES", "looks_like_html", "read"]

#: The largest page :func:`read` accepts, in bytes.
MAX_BYTES = 50 * 1024 * 1024

#: Largest ``colspan``/``rowspan`` honoured (the HTML standard's limits).
_MAX_COLSPAN = 1000
_MAX_ROWSPAN = 65534
#: Bound on the work of placing a table's spanned cells (hostile tables).
_MAX_SPAN_WORK = 5_000_000

# ---------------------------------------------------------------------------
# Sniffing and decoding
# ---------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Declared charsets read as GB18030 (its supersets and aliases).
_GB_NAMES = frozenset(
    {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "csgb2312", "euc-cn"}
)

_PRELUDE = re.compile(
    r"""(?:\s+|<!--.*?(?:-->|\Z)|<\?.*?(?:\?>|>|\Z)|<!doctype[^>]*>|<!\[CDATA\[.*?\]\]>)""",
    re.IGNORECASE | re.DOTALL,
)

#: Element names whose start tag marks the content as HTML.
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|link|base|script|style|noscript|"
    r"div|p|span|a|table|tbody|thead|tr|td|th|h[1-6]|br|hr|ul|ol|li|dl|dt|dd|section|"
    r"article|header|footer|nav|main|aside|form|center|font|b|i|u|strong|em|img|iframe|"
    r"pre|blockquote|o:p|xml)(?=[\s/>])",
    re.IGNORECASE,
)

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""\A<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")


def looks_like_html(data: bytes) -> bool:
    """Do the bytes hold HTML markup (judged by content, not by a file name)?

    True when, after any BOM, whitespace, comments, XML declaration and doctype, the
    content starts with an HTML tag (``<html>``, ``<meta>``, ``<p>``, ``<table>`` …).
    """
    head = bytes(data[:8192])
    encoding = "utf-8"
    for bom, name in _BOMS:
        if head.startswith(bom):
            head, encoding = head[len(bom) :], name
            break
    text = head.decode(encoding, errors="replace")
    position = 0
    while True:
        found = _PRELUDE.match(text, position)
        if not found or found.end() == position:
            break
        position = found.end()
        if re.match(r"<!doctype\s+html\b", found.group(), re.IGNORECASE):
            return True
    return _HTML_START.match(text, position) is not None


def _declared_charset(data: bytes) -> str | None:
    """The charset the page declares (``<meta charset>``, ``http-equiv``, XML declaration)."""
    head = data[:16384]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not found:
        return None
    name = found.group(1).decode("ascii", errors="replace").strip().lower()
    if name in _GB_NAMES:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(data: bytes) -> str:
    """The page's text: by BOM, declared charset, UTF-8, GB18030, then a guess."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name)
            except UnicodeDecodeError as error:
                raise _decode_error(data, error, name) from None
    if b"\x00" in data[:4096]:
        raise DecodeError(
            "this is binary data, not an HTML page",
            column=data.index(b"\x00") + 1,
            expected="HTML text (UTF-8, UTF-16 with BOM or GB18030)",
        )
    tried: list[str] = []
    declared = _declared_charset(data)
    if declared in _UNTRUSTED or (declared != "utf-8" and _clearly_utf8(data)):
        declared = None
    for name in (declared, "utf-8", "gb18030"):
        if name is None or name in tried:
            continue
        tried.append(name)
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best)
    try:
        data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise _decode_error(data, error, "UTF-8 or GB18030") from None
    raise AssertionError("unreachable: GB18030 decoding was tried above")  # pragma: no cover


#: Declared charsets not believed: Western single-byte codecs decode any bytes, and a
#: Chinese report page that declares one is mislabelled (the GB18030/UTF-8 steps decide).
#: A UTF-16/32 label found by an ASCII scan is wrong by construction (browsers read UTF-8).
_UNTRUSTED = frozenset(
    {"ascii", "iso8859-1", "cp1252", "iso8859-15", "utf-16", "utf-16-le", "utf-16-be", "utf-32"}
)

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _clearly_utf8(data: bytes) -> bool:
    """Are the bytes valid UTF-8 with enough multi-byte characters that they are not
    another encoding by chance (GBK text is almost never valid UTF-8 for long)?"""
    found = _UTF8_MULTIBYTE.finditer(data, 0, 1 << 20)
    if sum(1 for _ in itertools.islice(found, 16)) < 16:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode_error(data: bytes, error: UnicodeDecodeError, encoding: str) -> DecodeError:
    line, column = byte_position(data, error.start)
    return DecodeError(
        f"the page is not valid {encoding}",
        line=line,
        column=column,
        expected="HTML text in UTF-8, UTF-16 or GB18030",
        snippet=data[max(0, error.start - 10) : error.start + 10].decode("latin-1"),
    )


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------

#: CJK ideographs, CJK punctuation and full-width forms (U+3000 is a space, not one).
_CJK = CJK
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# A line break in the markup between two CJK characters is no space (CSS Text 3, 4.1.3).
_SEGMENT_BREAK = re.compile(f"(?<=[{_CJK}])[ \t\r]*\n[ \t\r\n]*(?=[{_CJK}])")
_PARAGRAPH_BREAK = re.compile("\n[ \t\r]*\n")
#: Elements whose own text is no paragraph's: a blank line in it breaks paragraphs.
_CONTAINERS = frozenset({"body", "div", "section", "article", "main"})
_SPACE = re.compile("[\\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


def _collapse(text: str) -> str:
    """Whitespace runs (``&nbsp;`` and U+3000 included) as one space, ends stripped."""
    text = _INVISIBLE.sub("", text)
    return _SPACE.sub(" ", _SEGMENT_BREAK.sub("", text)).strip()


def _join(pieces: Iterable[str]) -> str:
    """Text pieces joined by nothing between two CJK characters, else by a space."""
    return join_pieces(pieces)


# ---------------------------------------------------------------------------
# The report's vocabulary: section headings and tables
# ---------------------------------------------------------------------------

# Simplified and Traditional spellings (some agencies publish in Traditional script).
_HEADING_WORDS = {
    "一": "总体|總體|概述|概況|概况",
    "二": "主动公开|主動公開",
    "三": "收到和处理|收到和處理|依申请|依申請|申请|申請",
    "四": "复议|復議|诉讼|訴訟",
    "五": "问题|問題|改进|改進|不足",
    "六": "其他|其它|需要报告|需要報告",
}
_HEADINGS = {
    numeral: re.compile(rf"{numeral}\s*[、.．]\s*.{{0,16}}?(?:{words})")
    for numeral, words in _HEADING_WORDS.items()
}
_LINE_HEADINGS = {
    numeral: re.compile(rf"^\s*{numeral}\s*[、.．]\s*.{{0,16}}?(?:{words})")
    for numeral, words in _HEADING_WORDS.items()
}
_TABLE_FEATURES = {
    "table2": re.compile(r"第二十[条條]|信息[内內]容"),
    "table3": re.compile(r"本年新收|申[请請]人情[况況]|上年[结結][转轉]"),
    "table4": re.compile(r"[结結]果[纠糾]正|[结結]果[维維]持|尚未[审審][结結]"),
}


def _headings_in(text: str, patterns: dict[str, re.Pattern[str]]) -> set[str]:
    return {numeral for numeral, pattern in patterns.items() if pattern.search(text)}


def _table_features(text: str) -> set[str]:
    return {name for name, pattern in _TABLE_FEATURES.items() if pattern.search(text)}


# ---------------------------------------------------------------------------
# Walking the tree
# ---------------------------------------------------------------------------

#: Elements whose content is never text of the page.
_DROPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "canvas",
        "select",
        "textarea",
        "button",
        "map",
        "audio",
        "video",
    }
)

#: Elements that start and end a line of text.
_BLOCKS = frozenset(
    {
        "html",
        "body",
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "legend",
        "li",
        "listing",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "plaintext",
        "pre",
        "section",
        "summary",
        "ul",
        "xmp",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "colgroup",
        "col",
        "option",
        "optgroup",
    }
)


#: Elements whose line breaks are lines.
_PREFORMATTED = frozenset({"pre", "listing", "plaintext", "xmp"})


def _own_text(element: etree._Element) -> Iterator[str]:
    """The element's text, without dropped elements (scripts …), ``<br>`` as a line break."""
    if element.text:
        yield element.text
    for child in element:
        tag = _tag(child)
        if tag == "br":
            yield "\n"
        elif tag is not None and tag not in _DROPPED:
            yield from _own_text(child)
        if child.tail:
            yield child.tail


def _tag(element: etree._Element) -> str | None:
    """The element's lower-case local name, or None for comments and PIs."""
    tag = element.tag
    if not isinstance(tag, str):
        return None
    if "}" in tag or ":" in tag:
        tag = tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
    return tag.lower()


@dataclass
class _Line:
    text: str


#: A placed cell: text, grid row, grid column, rowspan, colspan.
_Cell = tuple[str, int, int, int, int]


@dataclass
class _Table:
    rows: list[list[_Cell]]
    features: set[str]


@dataclass
class _Walk:
    """The page as a flat list of lines and tables, with each container's range in it."""

    blocks: list[_Line | _Table] = field(default_factory=list)
    ranges: list[tuple[etree._Element, int, int]] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)

    def flush(self) -> None:
        if self.buffer:
            text = _collapse("".join(self.buffer))
            self.buffer.clear()
            if text:
                self.blocks.append(_Line(text))

    def container_text(self, text: str) -> None:
        """Text directly in a container (not in a paragraph): a blank line in it is
        a paragraph break — markdown that a converter (pandoc -t gfm) left around
        its raw HTML tables."""
        parts = _PARAGRAPH_BREAK.split(text)
        for k, part in enumerate(parts):
            if k:
                self.flush()
            self.buffer.append(part)

    def walk(self, element: etree._Element) -> None:
        tag = _tag(element)
        if tag is None or tag in _DROPPED:
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table" and not _is_layout(element):
            self.flush()
            rows = _grid_rows(element)
            if any(rows):
                text = " ".join(cell[0] for row in rows for cell in row)
                self.blocks.append(_Table(rows, _table_features(text)))
            return
        if tag in _PREFORMATTED:
            self.flush()
            start = len(self.blocks)
            for line in "".join(_own_text(element)).splitlines():
                self.buffer.append(line)
                self.flush()
            self.ranges.append((element, start, len(self.blocks)))
            return
        block = tag in _BLOCKS
        if block:
            self.flush()
            start = len(self.blocks)
        add = self.container_text if tag in _CONTAINERS else self.buffer.append
        if element.text:
            add(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                add(child.tail)
        if block:
            self.flush()
            self.ranges.append((element, start, len(self.blocks)))


def _is_layout(table: etree._Element) -> bool:
    """Is the table a page layout holding the report (rather than one of its tables)?

    A report table never holds two of the report's section headings; a layout does.
    """
    return len(_headings_in("".join(table.itertext()), _HEADINGS)) >= 2


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


def _own_rows(table: etree._Element) -> Iterator[etree._Element]:
    """The table's ``<tr>`` elements (its own, not those of nested tables)."""
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            for row in child:
                if _tag(row) == "tr":
                    yield row


def _span(element: etree._Element, name: str, limit: int) -> int:
    value = element.get(name)
    if value is None:
        return 1
    digits = re.match(r"\s*\+?(\d+)", value)
    if not digits:
        return 1
    number = int(digits.group(1)[:7])
    if number == 0 and name == "rowspan":
        return limit
    return max(1, min(number, limit))


def _cell_text(cell: etree._Element) -> str:
    """A cell's text: its block pieces joined (no space between two CJK characters)."""
    pieces: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            text = _collapse("".join(buffer))
            buffer.clear()
            if text:
                pieces.append(text)

    def walk(element: etree._Element) -> None:
        tag = _tag(element)
        if tag is None or tag in _DROPPED:
            return
        if tag == "br":
            flush()
            return
        block = tag in _BLOCKS
        if block:
            flush()
        if element.text:
            buffer.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                buffer.append(child.tail)
        if block:
            flush()

    walk(cell)
    flush()
    return _join(pieces)


def _grid_rows(table: etree._Element) -> list[list[_Cell]]:
    """The table's cells placed on the grid (the HTML table algorithm), by starting row.

    Raises :class:`~govreport.errors.ParseError` for a table whose spans would take
    unbounded work to place (no real report table comes near the bound).
    """
    rows = list(_own_rows(table))
    count = len(rows)
    placed: list[list[_Cell]] = [[] for _ in rows]
    # Columns taken by cells spanning down from earlier rows, sorted:
    # (first col, end col, last row).
    carried: list[tuple[int, int, int]] = []
    work = 0
    for r, row in enumerate(rows):
        cells = [cell for cell in row if _tag(cell) in ("td", "th")]
        if not cells:
            continue
        if carried and min(span[2] for span in carried) < r:
            carried = [span for span in carried if span[2] >= r]
        work += 2 * len(carried) + len(cells)
        if work > _MAX_SPAN_WORK:
            raise ParseError(
                "a table's rowspans are too many to place",
                expected=f"a table with fewer than {_MAX_SPAN_WORK:,} spanned cell positions",
                hint="this is not a report table; check the input",
            )
        taken = iter(carried)
        next_taken = next(taken, None)
        started: list[tuple[int, int, int]] = []
        c = 0
        for cell in cells:
            while next_taken is not None and next_taken[0] <= c:
                c = max(c, next_taken[1])
                next_taken = next(taken, None)
            colspan = _span(cell, "colspan", _MAX_COLSPAN)
            rowspan = min(_span(cell, "rowspan", _MAX_ROWSPAN), count - r)
            if next_taken is not None and next_taken[0] < c + colspan:
                # Overlaps a cell from above (malformed spans): keep it, as wide as fits.
                colspan = next_taken[0] - c
            placed[r].append((_cell_text(cell), r, c, rowspan, colspan))
            if rowspan > 1:
                started.append((c, c + colspan, r + rowspan - 1))
            c += colspan
        if started:
            carried = sorted(carried + started)  # two sorted runs: a linear merge
    return placed


# ---------------------------------------------------------------------------
# Finding the report and its metadata
# ---------------------------------------------------------------------------


def _features(block: _Line | _Table) -> set[str]:
    if isinstance(block, _Table):
        return block.features
    return _headings_in(block.text, _LINE_HEADINGS)


def _content_range(walk: _Walk) -> tuple[int, int, etree._Element | None]:
    """The range of blocks of the smallest container holding most of the report."""
    features = [_features(block) for block in walk.blocks]
    # Prefix counts per feature make each container's score a subtraction.
    names = sorted({name for found in features for name in found})
    if len(names) < 2:
        return 0, len(walk.blocks), None
    prefix = {name: [0] for name in names}
    for found in features:
        for name in names:
            prefix[name].append(prefix[name][-1] + (name in found))

    def score(start: int, end: int) -> int:
        return sum(1 for name in names if prefix[name][end] > prefix[name][start])

    best: tuple[int, int, int, etree._Element | None] = (-1, 0, 0, None)
    best_size = 0
    for element, start, end in walk.ranges:
        value = score(start, end)
        size = end - start
        if value > best[0] or (value == best[0] and size < best_size):
            best, best_size = (value, start, end, element), size
    return best[1], best[2], best[3]


_DATE = re.compile(
    r"(?:发布时间|发布日期|发文日期|成文日期|日期|时间)\s*[:：]?\s*"
    r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)


def _iso_date(year: str, month: str, day: str) -> str | None:
    y, m, d = int(year), int(month), int(day)
    if 1990 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def _published(lines: Iterable[str]) -> str | None:
    """The first labelled date (发布时间：2023-02-20 …) in the lines, as ISO."""
    for text in lines:
        for found in _DATE.finditer(text):
            date = _iso_date(*found.groups())
            if date:
                return date
    return None


def _meta_date(root: etree._Element) -> str | None:
    """The publish date the page's meta tags give (``PubDate`` …), as ISO."""
    for node in root.iter("meta"):
        name = (node.get("name") or node.get("property") or "").lower()
        if name in ("pubdate", "publishdate", "article:published_time", "date", "dc.date"):
            found = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", node.get("content") or "")
            date = _iso_date(*found.groups()) if found else None
            if date:
                return date
    return None


_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜| - | – | — |-{2,})\s*")


def _title(root: etree._Element, content: etree._Element | None) -> str | None:
    """The report's title: a heading or title element in or just before the content,
    else the page's ``ArticleTitle`` meta or ``<title>``."""
    candidates: list[str] = []
    if content is not None:
        inside = [node for node in content.iter("h1", "h2") if _is_title_like(node)]
        before: list[etree._Element] = []
        for node in root.iter():
            if node is content:
                break
            if isinstance(node.tag, str) and _is_title_like(node):
                before.append(node)
        for node in [*inside[:1], *reversed(before)]:
            candidates.append(_short_text(node) or "")
    for node in root.iter("meta"):
        if (node.get("name") or node.get("property") or "").lower() in (
            "articletitle",
            "og:title",
            "title",
        ):
            candidates.append(_collapse(node.get("content") or ""))
    for node in root.iter("title"):
        text = _collapse("".join(node.itertext()))
        parts = [part for part in _TITLE_SPLIT.split(text) if part]
        candidates.extend(part for part in parts if "报告" in part)
        candidates.extend(parts[:1])
    for text in candidates:
        if 4 <= len(text) <= 200:
            return text
    return None


def _is_title_like(node: etree._Element) -> bool:
    """Is the element a heading or title-classed element naming a report?"""
    names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
    if _tag(node) in ("h1", "h2") or ("title" in names and "subtitle" not in names):
        text = _short_text(node)
        return text is not None and "报告" in text
    return False


def _short_text(node: etree._Element, limit: int = 200) -> str | None:
    """The element's collapsed text, or None when it is longer than ``limit`` characters."""
    pieces: list[str] = []
    length = 0
    for piece in node.itertext():
        pieces.append(piece)
        length += len(piece)
        if length > 4 * limit:
            return None
    text = _collapse("".join(pieces))
    return text if len(text) <= limit else None


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


#: A doctype with an internal DTD subset (entity declarations): HTML has none, and
#: libxml2's HTML parser would leave its tail as page text.
_SUBSET_START = re.compile(r"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_SUBSET_END = re.compile(r"\]\s*>")


def _without_internal_subset(text: str) -> str:
    """The text without a leading doctype's internal subset (looked for once, near the start)."""
    start = _SUBSET_START.search(text, 0, 4096)
    if not start:
        return text
    end = _SUBSET_END.search(text, start.end())
    return text[: start.start()] + (text[end.end() :] if end else "")


def _parse(text: str) -> etree._Element:
    parser = etree.HTMLParser(
        encoding="utf-8",
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        default_doctype=False,
    )
    try:
        text = _without_internal_subset(text)
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise ParseError(
            f"the page could not be parsed as HTML ({error})", expected="an HTML page"
        ) from None
    if root is None:
        raise ParseError("the page is empty", expected="an HTML page")
    return root


def read(data: bytes) -> Document:
    """Read an HTML report page (portal article or Word/WPS export) into a Document.

    The blocks are the report's own content in reading order (site navigation,
    scripts and footers left out); ``metadata`` holds the page's ``title`` and
    ``published`` date when it shows them.

    Raises :class:`~govreport.errors.DecodeError` for bytes too large or not text,
    :class:`~govreport.errors.ParseError` for a page that holds nothing.
    """
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise DecodeError(
            f"the page is {len(data):,} bytes, more than the {MAX_BYTES:,} an HTML report may be",
            expected=f"an HTML page of at most {MAX_BYTES // (1024 * 1024)} MB",
            hint="a report page is well under 1 MB; is this the right file?",
        )
    root = _parse(_decode(data))
    top = next(root.iter("body"), root)
    walk = _Walk()
    walk.walk(top)
    walk.flush()
    start, end, content = _content_range(walk)

    blocks: list[TextLine | Grid] = []
    line_number = 0
    table_number = 0
    for block in walk.blocks[start:end]:
        if isinstance(block, _Line):
            line_number += 1
            blocks.append(TextLine(block.text, Source(line=line_number)))
        else:
            rows = tuple(
                tuple(
                    GridCell(text, Source(table=table_number, row=r, col=c), rowspan, colspan)
                    for text, r, c, rowspan, colspan in row
                )
                for row in block.rows
            )
            blocks.append(Grid(rows, Source(table=table_number)))
            table_number += 1

    metadata: dict[str, str] = {}
    title = _title(root, content)
    if title:
        metadata["title"] = title
    before = [block.text for block in walk.blocks[:start] if isinstance(block, _Line)]
    after = [block.text for block in walk.blocks[end:] if isinstance(block, _Line)]
    published = _published(reversed(before)) or _published(after) or _meta_date(root)
    if published:
        metadata["published"] = published
    return Document(tuple(blocks), reader="html", metadata=metadata, script=_script(blocks))


def _script(blocks: Iterable[TextLine | Grid]) -> str:
    """``traditional`` when the report's text is in Traditional characters."""
    sample: list[str] = []
    size = 0
    for block in blocks:
        texts = (
            [block.text]
            if isinstance(block, TextLine)
            else [cell.text for row in block.rows for cell in row]
        )
        sample.extend(texts)
        size += sum(len(text) for text in texts)
        if size > 20000:
            break
    return "traditional" if is_traditional("".join(sample)) else "simplified"


# ---------------------------------------------------------------------------
# Debugging entry: python -m govreport.readers.html FILE
# ---------------------------------------------------------------------------


def _describe(document: Document) -> Iterator[str]:
    """The document as printable lines: metadata, text lines, grids as ``|``-joined rows."""
    for key, value in document.metadata.items():
        yield f"# {key}: {value}"
    for block in document.blocks:
        if isinstance(block, TextLine):
            yield f"{block.source.line:4d}  {block.text}"
            continue
        yield f"---- table {block.source.table} ({len(block.rows)} rows)"
        for r, row in enumerate(block.rows):
            cells = []
            for cell in row:
                span = ""
                if cell.rowspan != 1 or cell.colspan != 1:
                    span = f"[{cell.rowspan}x{cell.colspan}]"
                cells.append(f"@{cell.source.col}{span} {cell.text}")
            yield f"  r{r:<3d} " + " | ".join(cells)
        yield "----"


def main(argv: list[str] | None = None) -> int:
    """Print the document read from each HTML file named on the command line."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m govreport.readers.html FILE...", file=sys.stderr)
        return 2
    status = 0
    for name in args:
        with open(name, "rb") as handle:
            data = handle.read()
        try:
            document = read(data)
        except ParseError as error:
            print(f"{name}: {error.one_line()}", file=sys.stderr)
            status = 1
            continue
        if len(args) > 1:
            print(f"==> {name} <==")
        for line in _describe(document):
            print(line)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
