"""The Lark grammars shipped in this package, and the parsers built from them."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput

try:  # the optional accelerator: pip install 'govreport[fast]'
    import lark_cython
except ImportError:  # pragma: no cover - depends on the environment
    lark_cython = None

#: The classes a parsed token may have: Lark's own, and lark-cython's when it is used.
#: Read a token's text with ``str(token)``; its ``type``, ``line``, ``column``,
#: ``end_column`` and ``start_pos`` are the same in both.
TOKEN_TYPES: tuple[type, ...] = (Token,) + ((lark_cython.Token,) if lark_cython else ())


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
    return _lark(name)


def _lark(name: str, **options: Any) -> Lark:
    return Lark.open(
        str(grammar_path(name)),
        parser="lalr",
        lexer="contextual",
        maybe_placeholders=False,
        cache=True,
        import_paths=[str(grammar_dir())],
        **options,
    )


def accelerated() -> bool:
    """Are parses run by lark-cython? (When it is installed, unless the environment
    sets ``GOVREPORT_PURE_PYTHON``.)"""
    return lark_cython is not None and not os.environ.get("GOVREPORT_PURE_PYTHON")


@cache
def _accelerated_parser(name: str) -> Lark:
    assert lark_cython is not None
    return _lark(name, _plugins=lark_cython.plugins)


def parse_text(
    name: str, text: str, on_error: Callable[[UnexpectedInput], bool] | None = None
) -> Tree:
    """``text`` parsed with grammar ``name``.

    With lark-cython (see :func:`accelerated`) an input that parses is parsed by it;
    one that does not is parsed again by Lark itself, so that error recovery
    (``on_error``) and the errors raised are always Lark's own.
    """
    if accelerated():
        try:
            return _accelerated_parser(name).parse(text)
        except UnexpectedInput:
            pass
    kwargs: dict[str, Any] = {"on_error": on_error} if on_error else {}
    return parser(name).parse(text, **kwargs)


@cache
def vocabulary(name: str) -> str:
    """The regular expression of terminal ``name`` of ``vocabulary.lark``, as Lark
    compiles it (for the Python steps that find the same words outside a parse)."""
    lark = Lark(
        f"%import vocabulary ({name})\nstart: {name}",
        parser="lalr",
        import_paths=[str(grammar_dir())],
        cache=True,  # building it checks its terminals for collisions: 0.1 s a process
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
