"""The JSON Schemas of ``parse --format json|cells``, Arrow and dataframes in long form,
and govreport's types as mypy sees them from a user's script."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

import govreport
from govreport.cli import main
from govreport.output.export import cell_records, to_dict
from govreport.output.schema import cell_schema, report_schema

from .corpus import cases, input_file

jsonschema = pytest.importorskip("jsonschema")

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PIPE = CORPUS / "000_dongcheng_justice_2023_pipe" / "input.txt"
AMBIGUOUS = CORPUS / "003_baoji_justice_2020_pipe_dropped_blanks" / "input.txt"
PDF = CORPUS / "101_dongcheng_justice_2023_pdf_libreoffice" / "input.pdf"
NEW_TOTAL = "applications/new_received/total"
FEE = "active_disclosure/art20_8.administrative_fees/amount_wan_yuan"


@cache
def _validators():
    kind = jsonschema.Draft202012Validator
    for schema in (report_schema(), cell_schema()):
        kind.check_schema(schema)
    return kind(report_schema()), kind(cell_schema())


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_every_corpus_case_s_output_fits_the_schemas(case):
    report_validator, cell_validator = _validators()
    report = govreport.parse_file(input_file(case))
    doc = json.loads(json.dumps(to_dict(report), ensure_ascii=False))
    report_validator.validate(doc)
    for record in cell_records(report, file=str(case)):
        cell_validator.validate(json.loads(json.dumps(record)))


def test_the_schemas_refuse_what_govreport_never_writes():
    report_validator, cell_validator = _validators()
    record = next(cell_records(govreport.parse_file(AMBIGUOUS)))
    assert cell_validator.is_valid(record)
    assert not cell_validator.is_valid({**record, "state": "blank", "value": 0})  # blank ≠ 0
    assert not cell_validator.is_valid({**record, "state": "number", "value": None})
    assert not cell_validator.is_valid({**record, "colour": "red"})
    doc = to_dict(govreport.parse_file(PIPE))
    assert report_validator.is_valid(doc)
    assert not report_validator.is_valid({**doc, "year": "2023"})
    del doc["applications"]
    assert not report_validator.is_valid(doc)


def test_several_files_give_an_array_the_schema_describes(capsys):
    assert main(["parse", str(PIPE), str(PDF)]) == 0
    docs = json.loads(capsys.readouterr().out)
    _validators()[0].validate(docs)
    assert [d["file"] for d in docs] == [str(PIPE), str(PDF)]


def test_the_schema_is_published_in_the_docs():
    import importlib.util

    spec = importlib.util.spec_from_file_location("docs_hooks", CORPUS.parent / "docs" / "hooks.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    pages = hooks.PAGES
    page = pages["reference/schema.md"]()
    assert "2020-12" in page and '"$defs"' in page
    assert json.loads(pages["reference/report.schema.json"]()) == report_schema()
    assert json.loads(pages["reference/cell.schema.json"]()) == cell_schema()


# --- Arrow and dataframes in long form ----------------------------------------------


def test_to_arrow_is_long_form_with_integer_counts_and_decimal_money():
    import pyarrow as pa

    reports = [govreport.parse_file(PIPE), govreport.parse_file(AMBIGUOUS)]
    table = govreport.to_arrow(reports)
    assert table.num_rows == sum(1 for r in reports for _ in r.cells())
    types = {f.name: str(f.type) for f in table.schema}
    assert {k: types[k] for k in ("report", "table", "row", "column", "value", "amount",
                                  "state", "inferred", "line", "page", "bbox")} == {
        "report": "int32", "table": "string", "row": "string", "column": "string",
        "value": "int64", "amount": "decimal128(38, 10)", "state": "string",
        "inferred": "bool", "line": "int32", "page": "int32", "bbox": "list<item: double>",
    }  # fmt: skip
    rows = {(r["report"], r["path"]): r for r in table.to_pylist()}
    assert (rows[(0, NEW_TOTAL)]["value"], rows[(0, NEW_TOTAL)]["amount"]) == (8, None)
    assert (rows[(0, FEE)]["value"], rows[(0, FEE)]["amount"]) == (None, Decimal("0"))
    blank = rows[(1, "applications/results.total/natural_person")]
    assert (blank["value"], blank["state"], blank["candidates"]) == (
        None, "ambiguous", ["1", "blank"],
    )  # fmt: skip
    assert rows[(0, NEW_TOTAL)]["candidates"] is None
    assert govreport.to_arrow([]).num_rows == 0
    assert isinstance(table, pa.Table)


def test_to_dataframe_sums_counts_as_integers():
    frame = govreport.to_dataframe([govreport.parse_file(PIPE), govreport.parse_file(PDF)])
    assert str(frame.value.dtype) == "Int64" and str(frame.inferred.dtype) == "boolean"
    total = frame[frame.path == NEW_TOTAL].value.sum()
    assert total == 16 and isinstance(int(total), int) and not isinstance(total, float)
    fee = frame[frame.path == FEE].amount.tolist()
    assert fee == [Decimal("0"), Decimal("0")]
    assert frame[frame.path == FEE].value.isna().all()  # money is not a count


# --- types for a user's mypy --------------------------------------------------------

USER_SCRIPT = """
import govreport

report = govreport.parse_file("report.txt")
reveal_type(report)
reveal_type(report.cell("applications/new_received/total").value)
reveal_type(report.get("applications/new_received/total"))
reveal_type(report.findings)
reveal_type(govreport.compare(report, report))
govreport.parse_fiel("report.txt")  # misspelt: the names are lazy, yet a type checker knows them
"""


def test_mypy_sees_govreport_s_types_in_a_user_s_script(tmp_path):
    """``python -m mypy script.py`` on a script of a user's: govreport ships
    ``py.typed``, so its annotations are used, not ``Any``."""
    pytest.importorskip("mypy")
    script = tmp_path / "script.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--cache-dir",
         str(tmp_path / "cache"), str(script)],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )  # fmt: skip
    revealed = [line.split("Revealed type is ", 1)[1] for line in proc.stdout.splitlines()
                if "Revealed type is" in line]  # fmt: skip
    assert revealed == [
        '"govreport.model.Report"',
        '"int | decimal.Decimal | None"',
        '"govreport.model.Cell | None"',
        '"tuple[govreport.model.Finding, ...]"',
        '"list[govreport.model.Finding]"',
    ], proc.stdout + proc.stderr
    errors = [line.split("error: ", 1)[1] for line in proc.stdout.splitlines() if "error:" in line]
    assert errors == [
        'Module has no attribute "parse_fiel"; maybe "parse_file"?  [attr-defined]'
    ], proc.stdout
