"""The optional accelerator (``pip install 'govreport[fast]'``: lark-cython) gives the
same reports as Lark's pure-Python parser, on every corpus case and real text.

The rest of the suite runs the pure-Python path (``conftest.py`` sets
``GOVREPORT_PURE_PYTHON``), which is what an install without the extra runs.
"""

from __future__ import annotations

import lark
import pytest

import govreport
from govreport import grammars
from tests.corpus import cases, input_file
from tests.real import cases as real_cases

pytest.importorskip("lark_cython")

INPUTS = [input_file(c) for c in cases()] + [c.input for c in real_cases()]


def test_the_accelerator_is_used_unless_the_environment_says_pure(monkeypatch):
    monkeypatch.delenv("GOVREPORT_PURE_PYTHON", raising=False)
    assert grammars.accelerated()
    tree = grammars.parse_text("layouts/pipe", "规章 | 0 | 1 |\n")
    assert not isinstance(tree.children[0].children[0], lark.Token)
    monkeypatch.setenv("GOVREPORT_PURE_PYTHON", "1")
    assert not grammars.accelerated()
    tree = grammars.parse_text("layouts/pipe", "规章 | 0 | 1 |\n")
    assert isinstance(tree.children[0].children[0], lark.Token)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_accelerated_and_pure_python_parses_are_equal(path, monkeypatch):
    monkeypatch.setenv("GOVREPORT_PURE_PYTHON", "1")
    try:
        pure = govreport.parse_file(path)
    except govreport.ParseError as exc:
        monkeypatch.delenv("GOVREPORT_PURE_PYTHON")
        with pytest.raises(govreport.ParseError) as fast:
            govreport.parse_file(path)
        assert str(fast.value) == str(exc)
        return
    monkeypatch.delenv("GOVREPORT_PURE_PYTHON")
    fast = govreport.parse_file(path)
    assert fast == pure
    assert list(fast.cells()) == list(pure.cells())
