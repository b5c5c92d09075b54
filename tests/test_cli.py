from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

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
