"""Errors raised for input that cannot be read as a report.

Every error is a :class:`ParseError` carrying where (line, column in the
original text), what was expected, a short snippet of the source and, where we
know one, a hint on how to fix it.
"""

from __future__ import annotations


class ParseError(ValueError):
    """Base class of every error govreport raises for bad input."""

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        expected: str | None = None,
        snippet: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.line = line
        self.column = column
        self.expected = expected
        self.snippet = snippet
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The whole error on one line, as the CLI prints it."""
        where = ""
        if self.line is not None:
            where = f"line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
            where += ": "
        parts = [where + self.message]
        if self.expected:
            parts.append(f"expected {self.expected}")
        if self.snippet:
            parts.append(f"near {self.snippet!r}")
        if self.hint:
            parts.append(self.hint)
        return "; ".join(parts)


class DecodeError(ParseError):
    """The bytes are not text in an encoding we read (UTF-8, UTF-16, GB18030)."""


class LegacyReportError(ParseError):
    """A pre-2019 report: it follows no national table template."""


class StructureError(ParseError):
    """The report skeleton (title, six sections) could not be recognised."""


class TableError(ParseError):
    """A table in section 二, 三 or 四 does not match its template."""


class LayoutError(ParseError):
    """No table layout fits the text (or the forced one does not)."""
