"""The Lark grammars shipped in this package, and the parsers built from them."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from lark import Lark


def grammar_dir() -> Path:
    """The folder of the ``.lark`` files (inside the installed package)."""
    return Path(str(files(__name__)))


def grammar_path(name: str) -> Path:
    """``name`` is relative to the grammar folder, without ``.lark``."""
    return grammar_dir() / f"{name}.lark"


@cache
def parser(name: str) -> Lark:
    """An LALR parser with the contextual lexer for ``grammars/<name>.lark``.

    Built parsers are cached by Lark in the temporary directory, keyed by a hash
    of the grammar, the files it imports and the options, so only the first run
    after a grammar changes pays for building the tables.
    """
    return Lark.open(
        str(grammar_path(name)),
        parser="lalr",
        lexer="contextual",
        maybe_placeholders=False,
        cache=True,
        import_paths=[str(grammar_dir())],
    )


@cache
def vocabulary(name: str) -> str:
    """The regular expression of terminal ``name`` of ``vocabulary.lark``, as Lark
    compiles it (for the Python steps that find the same words outside a parse)."""
    lark = Lark(
        f"%import vocabulary ({name})\nstart: {name}",
        parser="lalr",
        import_paths=[str(grammar_dir())],
    )
    return next(t.pattern.to_regexp() for t in lark.terminals if t.name == name)


@cache
def placeholder_words() -> tuple[str, ...]:
    """The placeholder spellings of ``PLACEHOLDER_WORD`` in ``vocabulary.lark``."""
    text = grammar_path("vocabulary").read_text(encoding="utf-8")
    line = next(t for t in text.splitlines() if t.startswith("PLACEHOLDER_WORD:"))
    return tuple(re.findall(r'"([^"]+)"', line))


def all_grammars() -> list[str]:
    """Every grammar name, e.g. ``layouts/pipe`` — for meta-tests and docs."""
    root = grammar_dir()
    return sorted(str(p.relative_to(root).with_suffix("")) for p in root.rglob("*.lark"))
