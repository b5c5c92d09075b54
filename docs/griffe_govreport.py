"""A griffe extension for the API reference (``mkdocs.yml``: ``extensions``).

* Sphinx roles in docstrings (``:class:`~govreport.model.Report```, ``:func:`parse```,
  ``:data:`CODES```…), which Markdown would print as they are, become code spans
  (``Report``, ``parse``, ``CODES``).
* An attribute documented the Sphinx way — ``#:`` comment lines above it, or a ``#:``
  comment at the end of its line — gets that text as its docstring, so the fields of
  the model classes show what they hold.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path
from typing import Any

import griffe

#: ``:role:`target``` or ``:role:`text <target>```; ``~`` keeps the last name only.
ROLE = re.compile(r":(?:py:)?(?:class|func|meth|data|attr|mod|exc|obj|const):`([^`]+)`")


def _role(match: re.Match[str]) -> str:
    target = match.group(1)
    if "<" in target and target.endswith(">"):  # :class:`text <target>`
        return f"`{target.split('<', 1)[0].strip()}`"
    if target.startswith("~"):
        target = target[1:].rsplit(".", 1)[-1]
    return f"`{target}`"


def markdown(text: str) -> str:
    """A docstring with its Sphinx roles turned into Markdown code spans."""
    return ROLE.sub(_role, text)


@cache
def _lines(path: str) -> tuple[str, ...]:
    return tuple(Path(path).read_text(encoding="utf-8").splitlines())


def comment_docstring(filepath: str | Path, lineno: int) -> str | None:
    """The ``#:`` comment that documents the attribute on line ``lineno`` (1-based) of
    ``filepath``: the ``#:`` lines just above it, or a ``#:`` comment ending the line."""
    lines = _lines(str(filepath))
    line = lines[lineno - 1]
    if "#:" in line and not line.lstrip().startswith("#"):
        return line.split("#:", 1)[1].strip() or None
    above = []
    index = lineno - 2
    while index >= 0 and lines[index].lstrip().startswith("#:"):
        above.append(lines[index].lstrip()[2:].strip())
        index -= 1
    return " ".join(reversed(above)) or None


class SphinxToMarkdown(griffe.Extension):
    """Sphinx roles → code spans; ``#:`` comments → attribute docstrings."""

    def on_attribute_instance(
        self, *, node: ast.AST | griffe.ObjectNode, attr: griffe.Attribute, agent: Any,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        if attr.docstring is None and attr.lineno and attr.filepath:
            filepath = attr.filepath
            if isinstance(filepath, list):  # a namespace package
                return
            text = comment_docstring(filepath, attr.lineno)
            if text:
                attr.docstring = griffe.Docstring(text, parent=attr)

    def on_instance(
        self, *, node: ast.AST | griffe.ObjectNode, obj: griffe.Object, agent: Any,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        if obj.docstring is not None:
            obj.docstring.value = markdown(obj.docstring.value)

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        # attribute docstrings made from comments are made after on_instance ran
        for obj in _walk(pkg):
            if obj.docstring is not None:
                obj.docstring.value = markdown(obj.docstring.value)


def _walk(obj: griffe.Object):
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member)
