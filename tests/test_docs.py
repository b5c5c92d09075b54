"""The documentation builds offline, and its generated reference pages say what the code does."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from govreport.spec.codes import CODES
from govreport.spec.dictionary import TEMPLATES
from govreport.spec.relations import relations

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "docs" / "spec" / "FORMAT.md"
SHARED_SPEC = ROOT.parent / "shared" / "spec" / "FORMAT.md"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    return out


def _text(site: Path, page: str) -> str:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", "", html)


def test_the_bundled_spec_is_the_shared_one():
    if not SHARED_SPEC.exists():
        pytest.skip("../shared/spec/FORMAT.md is not beside this checkout")
    assert SPEC.read_bytes() == SHARED_SPEC.read_bytes()


def test_every_cell_path_uses_names_from_the_spec():
    named = set(re.findall(r"`([a-z0-9_.]+)`", SPEC.read_text(encoding="utf-8")))
    for template in TEMPLATES.values():
        for path in template.paths():
            table, row, col = path.split("/")
            assert table in named, table
            assert row in named or row.split(".")[-1] in named, row
            assert col in named, col


def test_data_dictionary_page_lists_every_path(site):
    page = _text(site, "reference/data-dictionary")
    for template in TEMPLATES.values():
        paths = list(template.paths())
        assert f"All {len(paths)} paths of template {template.id}" in page
        for path in paths:
            assert path in page
    assert "applications/results.total/natural_person" in page


def test_checks_page_lists_every_code(site):
    page = _text(site, "reference/checks")
    for code in CODES.values():
        assert re.search(rf"\b{re.escape(code.code)}\s+{code.severity.value}", page), code.code


def test_every_relation_and_statement_code_is_catalogued():
    from govreport.structure.narrative import STATEMENTS

    for template in TEMPLATES.values():
        for relation in relations(template):
            for suffix in ("", "-blank", "-unchecked"):
                assert relation.code + suffix in CODES
    assert {s.code for s in STATEMENTS} <= set(CODES)


def test_cli_page_documents_every_command(site):
    page = _text(site, "reference/cli")
    for command in ("parse", "check", "compare", "batch", "export"):
        assert f"govreport {command}" in page
    assert "--db" in page and "--force" in page


def test_api_page_documents_the_public_names(site):
    import govreport

    html = (site / "api" / "index.html").read_text(encoding="utf-8")
    for name in govreport.__all__:
        assert re.search(rf'id="govreport(\.\w+)*\.{name}"', html), name
    for name in (
        "batch.run",
        "batch.cluster.cells_dataframe",
        "output.export.to_dataframe",
        "batch.store.Store",
    ):
        assert f'id="govreport.{name}"' in html, name


def test_readme_findings_table_names_every_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Findings") : readme.index("## What it reads")]
    named = set(re.findall(r"`([A-Z]\d)(?:-\w+)?`", table))
    assert named == {code.split("-")[0] for code in CODES}


def test_api_page_shows_the_model_s_members_once_and_no_raw_sphinx_roles(site):
    html = (site / "api" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'id="(govreport[^"]*)"', html)
    for member in ("cell", "get", "section", "cells", "template", "year", "agency",
                   "sections", "applications", "findings", "unrecognised", "metadata"):  # fmt: skip
        assert f"govreport.Report.{member}" in ids, member
    for name in ("Cell.state", "Cell.value", "Cell.candidates", "Table.rows", "Row.cells",
                 "Section.number", "Section.text", "Finding.code"):  # fmt: skip
        assert f"govreport.{name}" in ids, name
    # a field documented by a #: comment shows it
    text = _text(site, "api")
    assert "Where year came from" in text
    assert not re.search(r":(class|func|meth|data|attr|mod|exc):", text)
    assert [i for i in ids if i.endswith(".parse_file")] == ["govreport.pipeline.parse_file"]
    for name in ("to_arrow", "to_dataframe"):
        assert f"govreport.output.export.{name}" in ids


def test_the_json_schema_page_is_built(site):
    import json

    from govreport.output.schema import cell_schema, report_schema

    assert "2020-12" in _text(site, "reference/schema")
    built = site / "reference"
    assert json.loads((built / "report.schema.json").read_text("utf-8")) == report_schema()
    assert json.loads((built / "cell.schema.json").read_text("utf-8")) == cell_schema()
