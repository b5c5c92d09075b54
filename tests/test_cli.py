from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from govreport.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PIPE = CORPUS / "000_dongcheng_justice_2023_pipe" / "input.txt"
TRAD = CORPUS / "001_jingyan_2023_cell_per_line_traditional" / "input.txt"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cells_format(capsys):
    code, out, err = run(capsys, "parse", str(PIPE), "--format", "cells")
    assert code == 0 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 200
    by_path = {r["path"]: r for r in records}
    rec = by_path["applications/new_received/natural_person"]
    assert rec == {
        "path": "applications/new_received/natural_person",
        "value": 8,
        "state": "number",
        "inferred": False,
        "line": 36,
        "raw": "8",
    }


def test_blank_cell_has_null_value(capsys):
    _, out, _ = run(capsys, "parse", str(TRAD), "--format", "cells")
    rec = next(json.loads(x) for x in out.splitlines() if "results.total/natural_person" in x)
    assert rec["value"] is None and rec["state"] == "blank" and rec["line"] == 280


def test_json_format(capsys):
    code, out, _ = run(capsys, "parse", str(PIPE))
    doc = json.loads(out)
    assert code == 0
    assert {
        "template",
        "year",
        "agency",
        "sections",
        "active_disclosure",
        "applications",
        "review_litigation",
        "findings",
    } <= set(doc)
    assert (doc["template"], doc["year"], doc["agency"]) == ("2021", 2023, None)
    assert [s["number"] for s in doc["sections"]] == [1, 2, 3, 4, 5, 6]
    assert doc["sections"][3]["heading"] == "四、政府信息公开行政复议、行政诉讼情况"
    cell = doc["applications"]["rows"]["results.total"]["cells"]["total"]
    assert cell["value"] == 8 and cell["state"] == "number"


def test_several_files_one_bad(capsys, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("not a report\n", encoding="utf-8")
    code, out, err = run(capsys, "parse", str(bad), str(PIPE), "--format", "cells")
    assert code == 2
    assert err.count("\n") == 1 and "bad.txt: line 1" in err
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 200 and {r["file"] for r in records} == {str(PIPE)}


def test_missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "parse", str(tmp_path / "nope.txt"))
    assert code == 2 and "cannot read" in err


def test_csv_format(capsys):
    _, out, _ = run(capsys, "parse", str(PIPE), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 200
    row = next(
        r for r in rows if r["path"] == "active_disclosure/art20_6.administrative_penalty/decisions"
    )
    assert (row["value"], row["state"], row["line"]) == ("3", "number", "27")


def test_stdin_and_module_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "govreport", "parse", "-", "--format", "cells"],
        input=PIPE.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.decode().splitlines()) == 200


def test_check_exit_codes(capsys, tmp_path):
    broken = tmp_path / "broken.txt"
    lines = PIPE.read_text("utf-8").split("\n")
    lines[58] = "(七)总计 | 8 | 0 | 0 | 0 | 0 | 0 | 9 | ||"
    broken.write_text("\n".join(lines), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(PIPE))
    assert code == 0 and "0 error(s)" in out
    code, out, _ = run(capsys, "check", str(PIPE), str(broken))
    assert code == 1 and "S3" in out and "line 59" in out
    bad = tmp_path / "bad.txt"
    bad.write_text("nothing\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(broken), str(bad))
    assert code == 2 and "bad.txt" in err


def test_check_json(capsys):
    code, out, _ = run(capsys, "check", str(TRAD), "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert [f["code"] for f in doc[0]["findings"]] == ["O1-blank", "S1-blank", "S3-blank"]
    assert doc[0]["findings"][0]["severity"] == "info"


def test_compare_command(capsys):
    code, out, _ = run(capsys, "compare", str(PIPE), str(PIPE))
    assert code == 0 and "X3" in out


# --- other formats: provenance in the outputs ---------------------------------------

PDF = CORPUS / "101_dongcheng_justice_2023_pdf_libreoffice" / "input.pdf"
DOCX = CORPUS / "100_dongcheng_justice_2023_docx_python_docx" / "input.docx"
HTML = CORPUS / "102_dongcheng_justice_2023_html_libreoffice" / "input.html"
NEW_TOTAL = "applications/new_received/total"
#: Where the printed words are, by pdfplumber's extract_words on the PDF itself: the
#: 8 of 本年新收 … 总计 on page 3, and the first 0 of the review/litigation row, which
#: the table carries over to the top of page 4.
WORD_8 = (503.9, 320.2, 508.4, 329.2)
WORD_0 = (83.8, 71.9, 88.3, 80.9)


def _inside(word, bbox) -> bool:
    """Whether the centre of a word's box is inside a cell's box."""
    x, y = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def test_cells_of_a_pdf_carry_page_and_box(capsys):
    code, out, err = run(capsys, "parse", str(PDF), "--format", "cells")
    assert code == 0 and err == ""
    records = {r["path"]: r for r in map(json.loads, out.splitlines())}
    assert len(records) == 200
    rec = records[NEW_TOTAL]
    assert (rec["value"], rec["state"], rec["raw"]) == (8, "number", "8")
    assert set(rec["source"]) == {"page", "bbox"}  # only what the PDF reader set
    assert rec["source"]["page"] == 3
    bbox = rec["source"]["bbox"]
    assert len(bbox) == 4 and all(isinstance(v, float) for v in bbox)
    assert bbox == pytest.approx([488.3, 320.55, 524.23, 331.55], abs=0.01)
    assert _inside(WORD_8, bbox)
    upheld = records["review_litigation/review/upheld"]["source"]
    assert upheld["page"] == 4 and _inside(WORD_0, upheld["bbox"])
    assert {r["source"]["page"] for r in records.values()} == {3, 4}


def test_cells_of_docx_and_html_carry_their_grid_position(capsys):
    # python-docx and lxml on the files themselves: the second table, row 3 (0-based)
    # is 一、本年新收…, its label spanning grid columns 0-2, 总计 in column 9
    for source in (DOCX, HTML):
        code, out, _ = run(capsys, "parse", str(source), "--format", "cells")
        assert code == 0
        records = {r["path"]: r for r in map(json.loads, out.splitlines())}
        assert records[NEW_TOTAL]["value"] == 8
        assert records[NEW_TOTAL]["source"] == {"table": 1, "row": 3, "col": 9}
        assert records["applications/new_received/natural_person"]["source"]["col"] == 3
        assert all("page" not in r["source"] for r in records.values())


def test_text_cells_have_no_source_and_json_keeps_it(capsys):
    _, out, _ = run(capsys, "parse", str(PIPE), "--format", "cells")
    assert not any("source" in json.loads(line) for line in out.splitlines())
    _, out, _ = run(capsys, "parse", str(PDF))
    doc = json.loads(out)
    cell = doc["applications"]["rows"]["new_received"]["cells"]["total"]
    assert cell["source"]["page"] == 3 and len(cell["source"]["bbox"]) == 4
    assert doc["reader"] == "pdf" and doc["metadata"]["title"] == "2023年政府信息公开工作年度报告"
    _, out, _ = run(capsys, "parse", str(PIPE))
    cell = json.loads(out)["applications"]["rows"]["new_received"]["cells"]["total"]
    assert "source" not in cell


def test_csv_has_page_and_bbox_columns(capsys):
    _, out, _ = run(capsys, "parse", str(PDF), str(PIPE), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[-5:-3] == ["page", "bbox"]
    pdf = next(r for r in rows if r["file"] == str(PDF) and r["path"] == NEW_TOTAL)
    assert pdf["page"] == "3"
    assert pdf["bbox"].startswith("[488.3, 320.55") and _inside(WORD_8, json.loads(pdf["bbox"]))
    text = next(r for r in rows if r["file"] == str(PIPE) and r["path"] == NEW_TOTAL)
    assert (text["value"], text["page"], text["bbox"]) == ("8", "", "")


# --- partial reports, --strict and exit codes ---------------------------------------

#: Seed 000 with one row of section 3 given values in more cells than it has: the
#: table cannot be read (T2).
EXTRA_CELLS = ("(七)总计 | 8 | 0 | 0 | 0 | 0 | 0 | 8", "(七)总计 | 8 | 0 | 0 0 | 0 | 0 | 8 | 9 | 9")


def _write(tmp_path, name, old, new):
    text = PIPE.read_text("utf-8-sig")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


T2_LINE = "partial report: section 3 table could not be read (T2)"
T3_LINE = "partial report: section 2 table leaves out 1 row(s) (T3)"


@pytest.fixture
def unreadable_table(tmp_path):
    return _write(tmp_path, "t2.txt", *EXTRA_CELLS)


@pytest.fixture
def left_out_row(tmp_path):
    """Seed 000 without its 行政强制 row (section 2): T3."""
    return _write(tmp_path, "t3.txt", "行政强制 | 0 | ||\n", "")


def test_parse_of_a_partial_report_prints_it_and_exits_1(capsys, unreadable_table):
    code, out, err = run(capsys, "parse", str(unreadable_table))
    assert code == 1
    assert err == f"govreport: {unreadable_table}: {T2_LINE}\n"
    doc = json.loads(out)  # the rest of the report is still printed
    assert doc["applications"]["rows"] == {}
    penalty = doc["active_disclosure"]["rows"]["art20_6.administrative_penalty"]
    assert penalty["cells"]["decisions"]["value"] == 3
    assert [f["code"] for f in doc["findings"] if f["severity"] == "error"] == ["T2"]
    assert any("unreadable table of section 3" in u["reason"] for u in doc["unrecognised"])


def test_strict_turns_an_unreadable_table_into_exit_2(capsys, unreadable_table):
    code, out, err = run(capsys, "parse", str(unreadable_table), "--strict", "--format", "cells")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(f"govreport: {unreadable_table}: line 59")
    code, _, err = run(capsys, "check", str(unreadable_table), "--strict")
    assert code == 2 and "line 59" in err
    code, _, err = run(capsys, "compare", str(PIPE), str(unreadable_table), "--strict")
    assert code == 2 and "line 59" in err
    # without --strict the same file is a partial report
    assert run(capsys, "check", str(unreadable_table))[0] == 1
    assert run(capsys, "compare", str(PIPE), str(unreadable_table))[0] == 0


def test_rows_left_out_make_parse_and_check_exit_1(capsys, left_out_row):
    code, out, err = run(capsys, "parse", str(left_out_row), "--format", "cells")
    assert code == 1
    assert err == f"govreport: {left_out_row}: {T3_LINE}\n"
    paths = {json.loads(line)["path"] for line in out.splitlines()}
    assert len(paths) == 199
    assert "active_disclosure/art20_6.administrative_coercion/decisions" not in paths
    code, out, _ = run(capsys, "check", str(left_out_row))
    assert code == 1 and "T3" in out and "0 error(s), 1 warning(s)" in out
    # --strict raises only for a table that cannot be read: rows left out stay T3
    assert run(capsys, "parse", str(left_out_row), "--strict")[0] == 1


def test_parse_exit_1_covers_every_error_finding_as_check_does(capsys, tmp_path):
    total = "(七)总计 | 8 | 0 | 0 | 0 | 0 | 0 | "
    broken = _write(tmp_path, "s3.txt", total + "8", total + "9")  # a whole report, 8 ≠ 9
    code, out, err = run(capsys, "parse", str(broken), "--format", "cells")
    assert code == 1 and len(out.splitlines()) == 200
    assert err == f"govreport: {broken}: error findings: O1, S1, S3 (govreport check lists them)\n"
    assert run(capsys, "check", str(broken))[0] == 1


def test_several_files_one_line_per_partial_file_and_the_worst_code_wins(
    capsys, tmp_path, unreadable_table, left_out_row
):
    code, out, err = run(capsys, "parse", str(PIPE), str(unreadable_table), str(left_out_row))
    assert code == 1
    assert err.splitlines() == [
        f"govreport: {unreadable_table}: {T2_LINE}",
        f"govreport: {left_out_row}: {T3_LINE}",
    ]
    files = [str(PIPE), str(unreadable_table), str(left_out_row)]
    assert [d["file"] for d in json.loads(out)] == files
    bad = tmp_path / "bad.txt"
    bad.write_text("not a report\n", encoding="utf-8")
    code, _, err = run(capsys, "parse", str(unreadable_table), str(bad))
    assert code == 2 and len(err.splitlines()) == 2
    whole = (str(PIPE), str(PDF), str(DOCX), str(HTML))
    assert run(capsys, "parse", *whole, "--format", "csv")[:3:2] == (0, "")


def test_help_documents_exit_codes_formats_and_strict(capsys):
    for command in ([], ["parse"], ["check"], ["compare"], ["batch"]):
        with pytest.raises(SystemExit) as done:
            main([*command, "--help"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert "exit status:" in out and "130" in out and "T3" in out
        assert "PDF" in out and "report text files" not in out
        if command:
            assert "--strict" in out


# --- what a new user trips over (issue 15) -------------------------------------------

TAB = CORPUS / "002_litong_justice_2022_tab" / "input.txt"  # 利通区司法局, 2022


def test_compare_errors_name_the_file(capsys, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("not a report\n", encoding="utf-8")
    code, out, err = run(capsys, "compare", str(PIPE), str(bad))
    assert (code, out) == (2, "")
    assert err.startswith(f"govreport: {bad}: line 1")
    code, _, err = run(capsys, "compare", str(tmp_path / "nope.txt"), str(PIPE))
    assert code == 2 and err.startswith(f"govreport: {tmp_path / 'nope.txt'}: cannot read")


def test_compare_with_the_later_year_first_says_so(capsys):
    code, out, err = run(capsys, "compare", str(PIPE), str(TAB))  # 2023 given before 2022
    assert (code, out) == (2, "")
    assert "later year given first" in err
    assert f"{PIPE} is the 2023 report and {TAB} the 2022 one" in err
    assert f"govreport compare {TAB} {PIPE}" in err


def test_compare_says_when_the_agency_could_not_be_checked(capsys, tmp_path):
    later = tmp_path / "2023.txt"
    later.write_text(TAB.read_text(encoding="utf-8").replace("2022", "2023"), encoding="utf-8")
    code, out, _ = run(capsys, "compare", str(TAB), str(PIPE))  # seed 000 names no agency
    assert code == 0
    assert f"not checked: that both are by one agency: the agency of {PIPE} is not known" in out
    code, out, _ = run(capsys, "compare", str(TAB), str(later))
    assert "not checked" not in out


def test_compare_json_is_a_structure(capsys):
    code, out, _ = run(capsys, "compare", str(TAB), str(PIPE), "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert doc["previous"] == {"file": str(TAB), "year": 2022, "agency": "利通区司法局",
                               "template": "2021"}  # fmt: skip
    assert doc["current"] == {"file": str(PIPE), "year": 2023, "agency": None,
                              "template": "2021"}  # fmt: skip
    assert [f["code"] for f in doc["findings"]] == ["X1"] * len(doc["findings"])
    assert doc["unchecked"] == [f"that both are by one agency: the agency of {PIPE} is not known"]


def test_output_option_writes_a_file(capsys, tmp_path):
    for command in (["parse", str(PIPE), "--format", "cells"], ["check", str(PIPE)],
                    ["compare", str(TAB), str(PIPE)]):  # fmt: skip
        target = tmp_path / f"{command[0]}.out"
        code, out, _ = run(capsys, *command, "-o", str(target))
        assert code == 0 and out == ""
        expected = run(capsys, *command)[1]
        assert target.read_text(encoding="utf-8") == expected != ""
    code, _, err = run(capsys, "parse", str(PIPE), "--output", str(tmp_path / "no" / "x.json"))
    assert code == 2 and "cannot write" in err and "Traceback" not in err


def test_check_lists_every_line_of_a_finding(capsys, tmp_path):
    broken = tmp_path / "broken.txt"
    lines = PIPE.read_text("utf-8").split("\n")
    lines[58] = "(七)总计 | 8 | 0 | 0 | 0 | 0 | 0 | 9 | ||"
    broken.write_text("\n".join(lines), encoding="utf-8")
    _, out, _ = run(capsys, "check", str(broken))
    s1 = next(line for line in out.splitlines() if " S1 " in line)
    assert s1.endswith(", 59)")  # the broken 总计 is on line 59, after the rows it sums
    from govreport.cli import _lines

    listed = ", ".join(map(str, range(1, 41)))
    assert _lines(tuple(range(1, 51))) == f" (line {listed} … and 10 more)"
    assert _lines((59,)) == " (line 59)"


def test_view_writes_a_page_holding_every_cell_of_the_report(tmp_path, monkeypatch):
    from lxml import html

    from govreport import parse_file

    monkeypatch.chdir(tmp_path)
    source = CORPUS / "003_baoji_justice_2020_pipe_dropped_blanks" / "input.txt"
    assert main(["view", str(source)]) == 0
    page = html.fromstring((tmp_path / "input.html").read_bytes())
    shown = {td.get("data-path") for td in page.xpath("//td[@data-path]")}
    assert shown == {path for path, _ in parse_file(source).cells()}
    assert main(["view", str(source), "-o", str(tmp_path / "p.html")]) == 0
    assert (tmp_path / "p.html").read_bytes() == (tmp_path / "input.html").read_bytes()


def test_view_of_a_file_that_is_no_report_exits_2(tmp_path, capsys):
    junk = tmp_path / "junk.txt"
    junk.write_text("not a report", encoding="utf-8")
    assert main(["view", str(junk), "-o", str(tmp_path / "j.html")]) == 2
    assert "junk.txt" in capsys.readouterr().err
    assert not (tmp_path / "j.html").exists()


def test_overview_links_every_report_to_its_page(tmp_path):
    pytest.importorskip("duckdb")
    from lxml import html

    folder = tmp_path / "in"
    folder.mkdir()
    for case in ("000_dongcheng_justice_2023_pipe", "002_litong_justice_2022_tab"):
        (folder / f"{case}.txt").write_bytes((CORPUS / case / "input.txt").read_bytes())
    db = tmp_path / "c.duckdb"
    assert main(["batch", str(folder), "--db", str(db), "--no-progress"]) == 0
    page = tmp_path / "out" / "overview.html"
    (tmp_path / "out").mkdir()
    assert (
        main(["overview", "--db", str(db), "-o", str(page), "--views", str(tmp_path / "out" / "v")])
        == 0
    )
    links = html.fromstring(page.read_bytes()).xpath('//a[starts-with(@href, "v/")]/@href')
    assert len(set(links)) == 2
    assert all((page.parent / href).is_file() for href in links)
    assert main(["overview", "--db", str(tmp_path / "missing.duckdb")]) == 2
