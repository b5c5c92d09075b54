"""Meta-tests: grammars, data dictionary, layouts and corpus stay consistent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lark import Lark

from govreport import parse_file
from govreport.grammars import all_grammars, grammar_dir, grammar_path
from govreport.readers import layouts
from govreport.spec.dictionary import TEMPLATES, row_key
from govreport.tables import SPANNING_ROWS, grammar_name

from .corpus import cases, input_file

#: Grammars that are parsers (cells.lark is only imported by the table grammars).
GRAMMARS = [g for g in all_grammars() if "start:" in grammar_path(g).read_text("utf-8")]


@pytest.mark.parametrize("name", GRAMMARS)
def test_grammar_compiles_strictly(name):
    """No hidden conflicts: every grammar builds under Lark's strict mode."""
    Lark.open(
        str(grammar_path(name)),
        parser="lalr",
        lexer="contextual",
        strict=True,
        import_paths=[str(grammar_dir())],
    )


@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("table_key", ["active_disclosure", "applications", "review_litigation"])
def test_table_grammar_rules_are_the_dictionary_rows(template, table_key):
    table = TEMPLATES[template].table(table_key)
    lark = Lark.open(
        str(grammar_path(grammar_name(table, template))),
        parser="lalr",
        import_paths=[str(grammar_dir())],
    )
    rule_names = {str(r.origin.name) for r in lark.rules}
    rows = {row_key(n) for n in rule_names if row_key(n) in {r.key for r in table.rows}}
    rows |= {k for n in rule_names for k in SPANNING_ROWS.get(n, ())}
    assert rows == {r.key for r in table.rows}


def test_counts_match_format_md():
    assert len(list(TEMPLATES["2021"].table("applications").paths())) == 175
    assert len(list(TEMPLATES["2019"].table("applications").paths())) == 161
    assert len(list(TEMPLATES["2021"].table("active_disclosure").paths())) == 10
    assert len(list(TEMPLATES["2019"].table("active_disclosure").paths())) == 22
    assert len(list(TEMPLATES["2021"].table("review_litigation").paths())) == 15


def test_every_layout_has_a_corpus_case():
    used = {json.loads((c / "expected.json").read_text("utf-8"))["layout"] for c in cases()}
    assert set(layouts.LAYOUTS) <= used


def test_every_reader_has_a_corpus_case():
    used = {json.loads((c / "expected.json").read_text("utf-8"))["reader"] for c in cases()}
    assert used >= {"text", "pdf", "html", "docx"}


def test_every_layout_has_its_grammar():
    for layout in layouts.LAYOUTS.values():
        assert grammar_path(layout.grammar).exists(), layout.grammar


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_corpus_case_is_complete(case):
    assert input_file(case).is_file()
    data = json.loads((case / "expected.json").read_text("utf-8"))
    assert {"template", "layout", "reader", "cells"} <= set(data)


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_layout_detector_on_corpus(case):
    data = json.loads((case / "expected.json").read_text("utf-8"))
    assert parse_file(input_file(case)).layout == data["layout"]


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_has_its_grammars_and_a_corpus_case(template):
    """A template is one spec entry, its table grammars and a corpus case on it."""
    for table in TEMPLATES[template].tables:
        assert grammar_path(grammar_name(table, template)).exists(), (template, table.key)
    used = {json.loads((c / "expected.json").read_text("utf-8"))["template"] for c in cases()}
    assert template in used


def test_cli_template_choices_come_from_the_spec():
    from govreport.cli import _arguments

    parser = _arguments()
    sub = next(a for a in parser._actions if getattr(a, "choices", None) and "parse" in a.choices)
    for command in ("parse", "check"):
        action = next(a for a in sub.choices[command]._actions if a.dest == "template")
        assert tuple(action.choices) == tuple(TEMPLATES)


def test_every_public_name_is_found_where_the_package_says():
    import govreport

    assert sorted(govreport._WHERE) == sorted(govreport.__all__)
    for name in govreport.__all__:
        assert getattr(govreport, name).__name__ == name
        assert name in dir(govreport)
    with pytest.raises(AttributeError, match="no attribute 'parser'"):
        govreport.parser  # noqa: B018
    # what a type checker sees (the imports under TYPE_CHECKING) is what the package finds
    import ast

    tree = ast.parse(Path(govreport.__file__).read_text(encoding="utf-8"))
    block = next(
        n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    )
    seen = {a.name: i.module for i in block.body if isinstance(i, ast.ImportFrom) for a in i.names}
    assert seen == govreport._WHERE
