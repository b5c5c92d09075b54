"""Corpus-scale work: ``govreport batch`` into DuckDB, exports, dataframes, Dask."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import signal
import sys
from pathlib import Path

import duckdb
import pytest

import govreport
from govreport.cli import main
from govreport.output.export import to_dataframe

from .corpus import cases, input_file

CORPUS = Path(__file__).parent.parent / "corpus"
TAB = CORPUS / "002_litong_justice_2022_tab" / "input.txt"
PIPE = CORPUS / "000_dongcheng_justice_2023_pipe" / "input.txt"
# seed 000 rendered as DOCX, PDF and HTML (the corpus notes say how)
DOCX = CORPUS / "100_dongcheng_justice_2023_docx_python_docx" / "input.docx"
PDF = CORPUS / "101_dongcheng_justice_2023_pdf_libreoffice" / "input.pdf"
HTML = CORPUS / "102_dongcheng_justice_2023_html_libreoffice" / "input.html"
NEW_TOTAL = "applications/new_received/total"
LEGACY = "2015年某县人民政府信息公开工作年度报告\n一、概述\n本年度主动公开信息120条。\n"


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder of good reports, a duplicate, legacy, binary junk and an empty file."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(TAB, folder / "tab.txt")
    shutil.copy(PIPE, folder / "sub" / "pipe.txt")
    shutil.copy(PIPE, folder / "sub" / "pipe-copy.txt")  # same content: parsed once
    (folder / "legacy.txt").write_text(LEGACY, encoding="utf-8")
    (folder / "junk.bin").write_bytes(bytes(range(256)) * 20)
    (folder / "empty.txt").write_bytes(b"")
    (folder / ".hidden.txt").write_text("not part of the corpus")
    return folder


@pytest.fixture
def formats(tmp_path: Path) -> Path:
    """A folder of one report in each format: text, DOCX, PDF and HTML."""
    folder = tmp_path / "formats"
    folder.mkdir()
    for source, name in ((PIPE, "a.txt"), (DOCX, "b.docx"), (PDF, "c.pdf"), (HTML, "d.htm")):
        shutil.copy(source, folder / name)
    return folder


def _query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_batch_records_every_outcome_and_rerun_does_no_work(mixed, tmp_path, capsys):
    db = tmp_path / "corpus.duckdb"
    assert main(["batch", str(mixed), "--db", str(db), "--jobs", "2"]) == 2
    err = capsys.readouterr().err
    assert "6 files: 5 parsed (3 error, 2 ok), 0 already done, 1 duplicate content" in err

    statuses = dict(_query(db, "SELECT regexp_extract(path, '[^/]+$'), status FROM reports"))
    duplicate = {"pipe.txt", "pipe-copy.txt"} & set(statuses)
    assert len(duplicate) == 1
    assert statuses == {
        "tab.txt": "ok",
        duplicate.pop(): "ok",
        "legacy.txt": "error",
        "junk.bin": "error",
        "empty.txt": "error",
    }
    errors = dict(_query(db, "SELECT regexp_extract(path, '[^/]+$'), error_type FROM reports"))
    assert errors["legacy.txt"] == "LegacyReportError"
    assert errors["junk.bin"] == "DecodeError"
    assert errors["empty.txt"] == "StructureError"
    # every file is recorded, both paths of the duplicate content included
    assert _query(db, "SELECT count(*), count(DISTINCT hash) FROM files") == [(6, 5)]

    # the cells are the report's, value for value; blanks stay NULL
    report = govreport.parse_file(TAB)
    stored = {
        path: (state, value)
        for path, state, value in _query(
            db,
            "SELECT c.path, c.state, coalesce(c.value, c.amount) FROM cells c "
            "JOIN reports r ON c.report = r.hash WHERE r.path LIKE '%tab.txt'",
        )
    }
    assert len(stored) == 200
    for path, cell in report.cells():
        assert stored[path] == (cell.state.value, cell.value), path
    assert stored["applications/new_received/total"] == ("number", 0)
    assert _query(db, "SELECT count(*) FROM cells WHERE state = 'blank' AND value IS NOT NULL") == [
        (0,)
    ]

    # a re-run parses nothing and still says which files failed
    assert main(["batch", str(mixed), "--db", str(db)]) == 2
    assert "0 parsed (none), 6 already done" in capsys.readouterr().err
    assert _query(db, "SELECT count(*) FROM reports") == [(5,)]

    # --force parses again without duplicating rows
    cells_before = _query(db, "SELECT count(*) FROM cells")
    assert main(["batch", str(mixed), "--db", str(db), "--force", "--jobs", "1"]) == 2
    assert "5 parsed" in capsys.readouterr().err
    assert _query(db, "SELECT count(*) FROM cells") == cells_before
    assert _query(db, "SELECT count(*) FROM reports") == [(5,)]


def test_batch_of_good_files_exits_0_and_globs_work(tmp_path, capsys):
    db = tmp_path / "good.duckdb"
    pattern = str(CORPUS / "00[02]_*" / "input.txt")
    assert main(["batch", pattern, "--db", str(db)]) == 0
    assert "2 files: 2 parsed (2 ok)" in capsys.readouterr().err
    assert _query(db, "SELECT count(*) FROM cells") == [(400,)]


def test_missing_file_is_reported_not_fatal(tmp_path, capsys):
    db = tmp_path / "m.duckdb"
    assert main(["batch", str(TAB), str(tmp_path / "nope.txt"), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "nope.txt: cannot read: No such file or directory" in err
    assert _query(db, "SELECT error FROM files WHERE path LIKE '%nope.txt'") == [
        ("No such file or directory",)
    ]


def test_interrupt_leaves_a_consistent_database_that_a_rerun_completes(
    tmp_path, monkeypatch, capsys
):
    folder = tmp_path / "many"
    folder.mkdir()
    text = TAB.read_text(encoding="utf-8")
    total = 300
    for i in range(total):  # distinct contents: each is parsed
        (folder / f"r{i:03}.txt").write_text(f"{text}\n附：编号{i}\n", encoding="utf-8")
    db = tmp_path / "i.duckdb"

    # Ctrl-C after the 30th file: KeyboardInterrupt in the parent, as a real one arrives
    import tqdm

    update, seen = tqdm.tqdm.update, []

    def interrupting_update(bar, n=1):
        seen.append(n)
        if len(seen) == 30:
            raise KeyboardInterrupt
        return update(bar, n)

    monkeypatch.setattr(tqdm.tqdm, "update", interrupting_update)
    assert main(["batch", str(folder), "--db", str(db), "--jobs", "2"]) == 130
    assert "INTERRUPTED" in capsys.readouterr().err
    monkeypatch.undo()

    done = _query(db, "SELECT count(*) FROM reports")[0][0]
    assert 29 <= done < total
    # whole reports only: each stored report has exactly its cells
    assert _query(
        db,
        "SELECT count(*) FROM reports r WHERE r.cells <> "
        "(SELECT count(*) FROM cells c WHERE c.report = r.hash)",
    ) == [(0,)]
    assert _query(db, "SELECT count(*) FROM cells WHERE report NOT IN (SELECT hash FROM reports)")[
        0
    ] == (0,)

    assert main(["batch", str(folder), "--db", str(db)]) == 0
    assert f"{total - done} parsed ({total - done} ok), {done} already done" in (
        capsys.readouterr().err
    )
    assert _query(db, "SELECT count(*), sum(cells) FROM reports") == [(total, total * 200)]


def test_workers_leave_ctrl_c_to_the_parent():
    """Workers ignore SIGINT, so a Ctrl-C reaches the batch's parent only (which stops
    the pool and writes what is finished)."""
    from govreport import batch

    previous = signal.getsignal(signal.SIGINT)
    try:
        batch._init_worker(frozenset())
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_export_writes_every_table_in_each_format(mixed, tmp_path, capsys):
    db = tmp_path / "e.duckdb"
    main(["batch", str(mixed), "--db", str(db)])
    capsys.readouterr()
    cells = _query(db, "SELECT count(*) FROM cells")[0][0]
    for fmt in ("parquet", "csv", "jsonl"):
        out = tmp_path / fmt
        assert main(["export", "--db", str(db), "--to", fmt, "--out", str(out)]) == 0
        written = capsys.readouterr().out.split()
        assert sorted(Path(p).name for p in written) == sorted(
            f"{t}.{fmt}"
            for t in (
                "files",
                "reports",
                "cells",
                "findings",
                "sections",
                "unrecognised",
                "duplicates",
            )
        )
        reader = {"parquet": "read_parquet", "csv": "read_csv", "jsonl": "read_json"}[fmt]
        with duckdb.connect() as con:
            count = con.execute(f"SELECT count(*) FROM {reader}('{out}/cells.{fmt}')").fetchone()
        assert count == (cells,)
    first = json.loads((tmp_path / "jsonl" / "cells.jsonl").read_text().splitlines()[0])
    assert {"report", "path", "value", "state", "inferred", "candidates"} <= set(first)


def test_export_of_a_missing_database_says_so(tmp_path, capsys):
    assert main(["export", "--db", str(tmp_path / "none.duckdb"), "--to", "csv"]) == 2
    assert "no such database" in capsys.readouterr().err


def test_to_dataframe_keeps_blank_apart_from_zero():
    reports = [govreport.parse_file(input_file(case)) for case in cases()[:2]]
    frame = to_dataframe(reports)
    assert len(frame) == sum(1 for r in reports for _ in r.cells())
    blank = frame[(frame.report == 1) & (frame.path == "applications/results.total/natural_person")]
    assert blank.state.tolist() == ["blank"] and blank.value.isna().all()
    total = frame[(frame.report == 0) & (frame.path == "applications/new_received/total")]
    assert total.value.tolist() == [reports[0].cell("applications/new_received/total").value]


def test_dask_path_on_a_local_scheduler_matches_batch(mixed, tmp_path, capsys):
    import govreport.batch.cluster as gc

    paths = sorted(str(p) for p in mixed.rglob("*") if p.is_file())
    bag = gc.outcomes(paths, npartitions=3).persist(scheduler="processes", num_workers=2)
    cells = gc.cells_dataframe(bag).compute(scheduler="processes", num_workers=2)
    reports = gc.reports_dataframe(bag).compute(scheduler="sync")
    assert len(reports) == len(paths)
    assert sorted(reports.status.value_counts().items()) == [("error", 4), ("ok", 3)]
    assert len(cells) == 600  # tab, pipe and its copy: 200 cells each

    db = tmp_path / "d.duckdb"
    main(["batch", str(mixed), "--db", str(db)])
    capsys.readouterr()
    from_db = _query(db, "SELECT sum(c.value) FROM cells c JOIN files f ON f.hash = c.report")[0][
        0
    ]  # per file, like the Dask frame (the duplicate counted twice)
    assert float(from_db) == pytest.approx(float(cells.value.sum()))
    assert cells[cells.state == "blank"].value.isna().all()


def test_the_guide_s_example_queries_run(mixed, formats, tmp_path, capsys):
    """Every SQL block of docs/batch.md runs against a real batch database."""
    db = tmp_path / "q.duckdb"
    partial = _partial(tmp_path)
    main(["batch", str(mixed), str(formats), str(partial), "--db", str(db)])
    capsys.readouterr()
    guide = (Path(__file__).parent.parent / "docs" / "batch.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", guide, re.S)
    assert len(queries) == 9
    results = [_query(db, q) for q in queries]
    assert sorted(results[0]) == sorted(
        [
            ("ok", None, 8),  # tab, pipe twice, partial; the formats' four (text: pipe again)
            ("error", "StructureError", 1),
            ("error", "LegacyReportError", 1),
            ("error", "DecodeError", 1),
        ]
    )
    totals = {
        (year, template): (reports, total) for year, template, reports, total, _ in results[1]
    }
    # 2023: pipe and its DOCX, PDF and HTML renderings (the partial report has no table 3);
    # LibreOffice's DOCX and HTML of it hold the same text: one report, counted once
    assert totals == {(2022, "2021"): (1, 0), (2023, "2021"): (3, 24)}
    # the copies of seed 000 are byte for byte the same (one content, in files); the
    # others have no agency to match them by
    assert results[2] == [(str(formats / "d.htm"), str(formats / "b.docx"), "same text", 0)]
    where = {reader: rest for _, reader, *rest in results[6] if reader != "text"}
    value, page, bbox, *grid, _ = where["pdf"]
    assert (value, page, len(bbox), grid) == (8, 3, 4, [None, None, None])
    assert where["docx"] == where["html"] == [8, None, None, 1, 3, 9, 37]
    text = sorted(tuple(rest) for _, reader, *rest in results[6] if reader == "text")
    assert text == [(0, None, None, None, None, None, 43), (8, None, None, None, None, None, 36)]
    assert results[7] == [(str(partial), "T2", ["applications"], 25)]
    assert results[8] == [("docx", 1, 1, 0), ("pdf", 1, 1, 0), ("text", 3, 0, 0)]


def test_batch_without_its_extra_says_how_to_install_it(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now raises ImportError
    assert main(["batch", str(TAB), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "pip install 'govreport[batch]'" in capsys.readouterr().err
    assert not (tmp_path / "x.duckdb").exists()


def test_file_names_with_glob_characters_and_patterns_that_match_nothing(tmp_path, capsys):
    odd = tmp_path / "report[1].txt"
    shutil.copy(TAB, odd)
    db = tmp_path / "g.duckdb"
    assert main(["batch", str(odd), str(tmp_path / "none*.txt"), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "2 files: 1 parsed (1 ok)" in err and "none*.txt: cannot read" in err
    assert _query(db, "SELECT count(*) FROM reports WHERE status = 'ok'") == [(1,)]


def test_an_edited_file_replaces_its_old_content(tmp_path, capsys):
    folder = tmp_path / "e"
    folder.mkdir()
    shutil.copy(TAB, folder / "a.txt")
    db = tmp_path / "e.duckdb"
    assert main(["batch", str(folder), "--db", str(db)]) == 0
    text = (folder / "a.txt").read_text(encoding="utf-8")
    (folder / "a.txt").write_text(text + "\n附：修订版\n", encoding="utf-8")
    assert main(["batch", str(folder), "--db", str(db)]) == 0
    assert "1 outdated contents removed" in capsys.readouterr().err
    assert _query(db, "SELECT count(*), sum(cells) FROM reports") == [(1, 200)]
    assert _query(db, "SELECT count(DISTINCT report) FROM cells") == [(1,)]


def test_a_value_the_database_cannot_hold_exactly_is_an_error_not_a_stopped_batch(tmp_path, capsys):
    text = PIPE.read_text(encoding="utf-8-sig")
    assert "行政事业性收费 | 0 |" in text
    bad = tmp_path / "in" / "bad.txt"
    bad.parent.mkdir()
    bad.write_text(
        text.replace("行政事业性收费 | 0 |", "行政事业性收费 | 1.23456789012 |"), "utf-8"
    )
    shutil.copy(TAB, tmp_path / "in" / "good.txt")
    db = tmp_path / "u.duckdb"
    assert main(["batch", str(tmp_path / "in"), "--db", str(db)]) == 2
    capsys.readouterr()
    rows = dict(_query(db, "SELECT regexp_extract(path, '[^/]+$'), error_type FROM reports"))
    assert rows == {"bad.txt": "UnstorableValue", "good.txt": None}


# --- other formats, provenance, --strict, schema versions ---------------------------


def test_batch_reads_a_folder_of_every_format_with_each_cell_s_provenance(
    formats, tmp_path, capsys
):
    db = tmp_path / "f.duckdb"
    assert main(["batch", str(formats), "--db", str(db), "--jobs", "2"]) == 0
    assert "4 files: 4 parsed (4 ok)" in capsys.readouterr().err
    stored = _query(
        db,
        "SELECT regexp_extract(path, '[^/]+$'), status, reader, cells, errors, "
        "metadata->>'title' FROM reports ORDER BY path",
    )
    title = "2023年政府信息公开工作年度报告"
    assert stored == [
        ("a.txt", "ok", "text", 200, 0, None),
        ("b.docx", "ok", "docx", 200, 0, title),
        ("c.pdf", "ok", "pdf", 200, 0, title),
        ("d.htm", "ok", "html", 200, 0, title),
    ]
    # the same report in four formats: every cell agrees
    assert _query(
        db,
        "SELECT count(*) FROM (SELECT path FROM cells GROUP BY path "
        "HAVING count(*) <> 4 OR count(DISTINCT (state, value)) <> 1)",
    ) == [(0,)]
    # provenance: PDF cells have page and box, DOCX/HTML their grid position, text none
    by_reader = _query(
        db,
        "SELECT r.reader, count(*), count(c.page), count(*) FILTER (len(c.bbox) = 4), "
        "count(c.grid_table), count(c.grid_row), count(c.grid_col) "
        "FROM cells c JOIN reports r ON r.hash = c.report GROUP BY ALL ORDER BY ALL",
    )
    assert by_reader == [
        ("docx", 200, 0, 0, 200, 200, 200),
        ("html", 200, 0, 0, 200, 200, 200),
        ("pdf", 200, 200, 200, 0, 0, 0),
        ("text", 200, 0, 0, 0, 0, 0),
    ]
    cells = {
        reader: rest
        for reader, *rest in _query(
            db,
            "SELECT r.reader, c.value, c.page, c.bbox, c.grid_table, c.grid_row, c.grid_col, "
            "c.line FROM cells c JOIN reports r ON r.hash = c.report "
            f"WHERE c.path = '{NEW_TOTAL}'",
        )
    }
    # pdfplumber's words on the PDF: this 8 is at (503.9, 320.2, 508.4, 329.2) on page 3
    value, page, bbox, *grid, _ = cells["pdf"]
    assert (value, page, grid) == (8, 3, [None, None, None])
    assert bbox == pytest.approx([488.3, 320.55, 524.23, 331.55], abs=0.01)
    assert bbox[0] <= 506.15 <= bbox[2] and bbox[1] <= 324.7 <= bbox[3]
    # python-docx / lxml: the second table, row 3 is 一、本年新收…, 总计 in grid column 9
    assert cells["docx"][:6] == [8, None, None, 1, 3, 9]
    assert cells["html"][:6] == [8, None, None, 1, 3, 9]
    assert cells["text"] == [8, None, None, None, None, None, 36]
    assert _query(
        db,
        "SELECT c.page FROM cells c JOIN reports r ON r.hash = c.report "
        "WHERE r.reader = 'pdf' AND c.path = 'review_litigation/review/upheld'",
    ) == [(4,)]  # the table's last row is carried over to page 4
    types = dict(_query(db, "SELECT column_name, data_type FROM duckdb_columns() "
                            "WHERE table_name IN ('cells', 'reports')"))  # fmt: skip
    assert [types[c] for c in ("page", "bbox", "grid_table", "grid_row", "grid_col")] == [
        "INTEGER", "DOUBLE[]", "INTEGER", "INTEGER", "INTEGER",
    ]  # fmt: skip
    assert (types["reader"], types["metadata"], types["strict"]) == ("VARCHAR", "JSON", "BOOLEAN")


def test_export_csv_writes_page_and_box_as_parse_csv_does(formats, tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    main(["batch", str(formats / "c.pdf"), str(formats / "a.txt"), "--db", str(db)])
    assert main(["export", "--db", str(db), "--to", "csv", "--out", str(tmp_path / "csv")]) == 0
    assert main(["export", "--db", str(db), "--to", "jsonl", "--out", str(tmp_path / "j")]) == 0
    capsys.readouterr()
    exported = {
        (row["report"], row["path"]): row
        for row in csv.DictReader((tmp_path / "csv" / "cells.csv").open(encoding="utf-8"))
    }
    hashes = dict(_query(db, "SELECT regexp_extract(path, '[^/]+$'), hash FROM reports"))
    for name in ("c.pdf", "a.txt"):
        assert main(["parse", str(formats / name), "--format", "csv"]) == 0
        printed = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert len(printed) == 200
        for row in printed:
            stored = exported[(hashes[name], row["path"])]
            assert (stored["page"], stored["bbox"]) == (row["page"], row["bbox"]), row["path"]
    pdf = exported[(hashes["c.pdf"], NEW_TOTAL)]
    assert pdf["page"] == "3" and len(json.loads(pdf["bbox"])) == 4
    assert exported[(hashes["a.txt"], NEW_TOTAL)]["bbox"] == ""
    lines = (tmp_path / "j" / "cells.jsonl").read_text(encoding="utf-8").splitlines()
    record = next(r for r in map(json.loads, lines) if r["report"] == hashes["c.pdf"]
                  and r["path"] == NEW_TOTAL)  # fmt: skip
    assert record["page"] == 3 and record["bbox"] == json.loads(pdf["bbox"])
    reports = [json.loads(x) for x in (tmp_path / "j" / "reports.jsonl").read_text().splitlines()]
    assert {r["reader"]: r["metadata"].get("pages") for r in reports} == {"pdf": "4", "text": None}


def test_default_takes_every_file_whatever_its_name_and_patterns_repeat(tmp_path, capsys):
    folder = tmp_path / "named"
    folder.mkdir()
    shutil.copy(PDF, folder / "download")  # no extension: the content says PDF
    shutil.copy(HTML, folder / "page.shtml")
    shutil.copy(DOCX, folder / "report.DOCX")
    shutil.copy(TAB, folder / "notes.md")
    db = tmp_path / "n.duckdb"
    assert main(["batch", str(folder), "--db", str(db)]) == 0
    assert "4 files: 4 parsed (4 ok)" in capsys.readouterr().err
    readers = dict(_query(db, "SELECT regexp_extract(path, '[^/]+$'), reader FROM reports"))
    assert readers == {"download": "pdf", "page.shtml": "html", "report.DOCX": "docx",
                       "notes.md": "text"}  # fmt: skip
    db2 = tmp_path / "p.duckdb"
    assert main(["batch", str(folder), "--db", str(db2), "--pattern", "*.shtml",
                 "--pattern", "*.md"]) == 0  # fmt: skip
    assert "2 files: 2 parsed (2 ok)" in capsys.readouterr().err


def _partial(tmp_path: Path) -> Path:
    """Seed 000 with a row of section 3 given more cells than it has: T2."""
    row = "(七)总计 | 8 | 0 | 0 | 0 | 0 | 0 | 8"
    text = PIPE.read_text(encoding="utf-8-sig")
    assert row in text
    path = tmp_path / "partial" / "t2.txt"
    path.parent.mkdir()
    path.write_text(text.replace(row, "(七)总计 | 8 | 0 | 0 0 | 0 | 0 | 8 | 9 | 9"), "utf-8")
    return path


def test_strict_batch_fails_unreadable_tables_and_reparses_what_was_stored_lenient(
    tmp_path, capsys
):
    path = _partial(tmp_path)
    db = tmp_path / "s.duckdb"
    assert main(["batch", str(path), "--db", str(db)]) == 0  # a partial report is stored
    capsys.readouterr()
    report = "SELECT status, error_type, cells, errors, strict FROM reports"
    assert _query(db, report) == [("ok", None, 25, 1, False)]  # sections 2 and 4: 10 + 15
    assert _query(db, "SELECT code, paths FROM findings WHERE severity = 'error'") == [
        ("T2", ["applications"])
    ]
    assert main(["batch", str(path), "--db", str(db), "--strict"]) == 2
    assert "1 parsed (1 error), 0 already done" in capsys.readouterr().err
    assert _query(db, report) == [("error", "TableError", None, None, True)]
    assert _query(db, "SELECT count(*) FROM cells") == [(0,)]
    assert _query(db, "SELECT error_line FROM reports") == [(59,)]
    assert main(["batch", str(path), "--db", str(db), "--strict"]) == 2
    assert "0 parsed (none), 1 already done" in capsys.readouterr().err
    assert main(["batch", str(path), "--db", str(db)]) == 0
    assert "1 parsed (1 ok), 0 already done" in capsys.readouterr().err
    assert _query(db, "SELECT count(*), sum(cells) FROM reports") == [(1, 25)]


#: The schema before versioning (version 1), as govreport 0.1.0 created it.
SCHEMA_V1 = """
CREATE TABLE files (path VARCHAR PRIMARY KEY, hash VARCHAR, bytes BIGINT, seen_at TIMESTAMP,
    error VARCHAR);
CREATE TABLE reports (hash VARCHAR PRIMARY KEY, path VARCHAR, bytes BIGINT,
    status VARCHAR NOT NULL, error_type VARCHAR, error VARCHAR, error_line INTEGER,
    error_column INTEGER, template VARCHAR, year INTEGER, year_source VARCHAR, agency VARCHAR,
    layout VARCHAR, script VARCHAR, title VARCHAR, cells INTEGER, findings INTEGER,
    unrecognised INTEGER, errors INTEGER, seconds DOUBLE, govreport_version VARCHAR,
    parsed_at TIMESTAMP);
CREATE TABLE cells (report VARCHAR NOT NULL, path VARCHAR NOT NULL, "table" VARCHAR,
    "row" VARCHAR, "column" VARCHAR, value DECIMAL(38, 10), state VARCHAR NOT NULL,
    inferred BOOLEAN, candidates VARCHAR[], raw VARCHAR, line INTEGER);
CREATE TABLE findings (report VARCHAR NOT NULL, code VARCHAR NOT NULL,
    severity VARCHAR NOT NULL, message VARCHAR, paths VARCHAR[], lines INTEGER[],
    expected VARCHAR, actual VARCHAR);
CREATE TABLE sections (report VARCHAR NOT NULL, number INTEGER, heading VARCHAR, text VARCHAR,
    line INTEGER);
CREATE TABLE unrecognised (report VARCHAR NOT NULL, line INTEGER, text VARCHAR,
    reason VARCHAR);
"""


def _columns(db: Path) -> list[tuple]:
    return _query(
        db,
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "ORDER BY table_name, column_index",
    )


def test_a_version_1_database_is_upgraded_and_its_contents_parsed_again(formats, tmp_path, capsys):
    import hashlib

    from govreport.batch.store import SCHEMA_VERSION

    pdf, text = formats / "c.pdf", formats / "a.txt"
    old = tmp_path / "old.duckdb"
    with duckdb.connect(str(old)) as con:  # as 0.1.0 left it: the PDF refused, the text read
        con.execute(SCHEMA_V1)
        for path, status, error_type, cells in ((pdf, "error", "DecodeError", None),
                                                (text, "ok", None, 1)):  # fmt: skip
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            con.execute("INSERT INTO files VALUES (?, ?, ?, now()::TIMESTAMP, NULL)",
                        [str(path), digest, path.stat().st_size])  # fmt: skip
            con.execute(
                "INSERT INTO reports (hash, path, status, error_type, cells) "
                "VALUES (?, ?, ?, ?, ?)",
                [digest, str(path), status, error_type, cells],
            )
            if cells:
                con.execute(f"INSERT INTO cells (report, path, state) VALUES ('{digest}', "
                            f"'{NEW_TOTAL}', 'number')")  # fmt: skip
    # read-only (export) reads it as it is, without upgrading it
    assert main(["export", "--db", str(old), "--to", "csv", "--out", str(tmp_path / "e")]) == 0
    assert "govreport_schema" not in {t for t, *_ in _columns(old)}

    assert main(["batch", str(pdf), str(text), "--db", str(old)]) == 0
    assert "2 parsed (2 ok), 0 already done" in capsys.readouterr().err
    assert _query(old, "SELECT version FROM govreport_schema") == [(SCHEMA_VERSION,)]
    fresh = tmp_path / "fresh.duckdb"
    assert main(["batch", str(pdf), str(text), "--db", str(fresh)]) == 0
    assert _columns(old) == _columns(fresh)  # same columns, in the same order
    query = (
        "SELECT r.reader, r.status, r.schema_version, count(c.path), count(c.page) "
        "FROM reports r LEFT JOIN cells c ON c.report = r.hash GROUP BY ALL ORDER BY ALL"
    )
    assert _query(old, query) == [
        ("pdf", "ok", SCHEMA_VERSION, 200, 200),
        ("text", "ok", SCHEMA_VERSION, 200, 0),
    ]
    assert _query(old, query) == _query(fresh, query)
    assert main(["batch", str(pdf), str(text), "--db", str(old)]) == 0
    assert "0 parsed (none), 2 already done" in capsys.readouterr().err
    assert _keys(old) == _keys(fresh) == []


#: Key constraints and indexes of a database (DuckDB keeps an index wholly in memory).
_KEYS = (
    "SELECT table_name, constraint_type FROM duckdb_constraints() "
    "WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') "
    "UNION ALL SELECT table_name, 'INDEX' FROM duckdb_indexes()"
)


def _keys(db: Path) -> list[tuple]:
    return _query(db, _KEYS)


def test_a_version_3_database_loses_its_keys_and_keeps_its_contents(tmp_path, capsys):
    from govreport.batch.store import TABLES

    db = tmp_path / "v3.duckdb"
    assert main(["batch", str(TAB), str(PIPE), "--db", str(db)]) == 0
    assert _keys(db) == []
    with duckdb.connect(str(db)) as con:  # as version 3 left it: keys on both tables
        for table, key in (("files", "path"), ("reports", "hash")):
            con.execute(f"CREATE TABLE keyed ({TABLES[table]}, PRIMARY KEY ({key}))")
            con.execute(f"INSERT INTO keyed SELECT * FROM {table}")
            con.execute(f"DROP TABLE {table}")
            con.execute(f"ALTER TABLE keyed RENAME TO {table}")
        con.execute("UPDATE reports SET schema_version = 3")
        con.execute("UPDATE govreport_schema SET version = 3")
    assert sorted(_keys(db)) == [("files", "PRIMARY KEY"), ("reports", "PRIMARY KEY")]
    before = _query(db, "SELECT * FROM reports ORDER BY hash")
    capsys.readouterr()
    # version 4 changed no column: what version 3 stored is not parsed again
    assert main(["batch", str(TAB), str(PIPE), "--db", str(db)]) == 0
    assert "0 parsed (none), 2 already done" in capsys.readouterr().err
    assert _keys(db) == []
    assert _query(db, "SELECT version FROM govreport_schema") == [(4,)]
    assert _query(db, "SELECT * FROM reports ORDER BY hash") == before
    assert _query(db, "SELECT count(*), count(DISTINCT path) FROM files") == [(2, 2)]


def test_an_interrupt_after_a_commit_is_not_replaced_by_a_failed_rollback(tmp_path):
    from govreport.batch.store import Store

    with Store(tmp_path / "s.duckdb") as store:
        store.con.execute("BEGIN")
        store.con.execute("COMMIT")
        store._rollback()  # as write's handler does when Ctrl-C comes after COMMIT
        with pytest.raises(duckdb.TransactionException):
            store.con.execute("ROLLBACK")  # what it would otherwise have raised


def test_a_content_seen_again_after_a_write_is_a_duplicate_not_a_second_report(
    tmp_path, monkeypatch, capsys
):
    import govreport.batch as batch

    monkeypatch.setattr(batch, "FLUSH_EVERY", 1)  # each outcome written as it comes
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(PIPE, folder / name)
    shutil.copy(TAB, folder / "d.txt")
    db = tmp_path / "dup.duckdb"
    summary = batch.run([str(folder)], db, jobs=1)
    assert (summary.parsed, summary.duplicates, summary.statuses) == (2, 2, {"ok": 2})
    assert _query(db, "SELECT count(*), count(DISTINCT hash) FROM reports") == [(2, 2)]
    assert _query(db, "SELECT count(*), count(DISTINCT report) FROM sections") == [(12, 2)]
    assert _query(db, "SELECT count(*), count(DISTINCT hash) FROM files") == [(4, 2)]
    # a re-run: every file held again, none twice
    assert batch.run([str(folder)], db, jobs=1).skipped == 4
    assert _query(db, "SELECT count(*), count(DISTINCT path) FROM files") == [(4, 4)]


def test_a_small_window_with_two_workers_parses_every_file(tmp_path, monkeypatch):
    import govreport.batch as batch

    monkeypatch.setattr(batch, "AHEAD_PER_JOB", 1)  # one file out per worker at a time
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(11):
        (folder / f"{k}.txt").write_bytes(PIPE.read_bytes() + f"\n附：第{k}份\n".encode())
    summary = batch.run([str(folder)], tmp_path / "w.duckdb", jobs=2)
    assert (summary.parsed, summary.failed, summary.interrupted) == (11, 0, False)


#: Loaded by every Python process of the test below: in a batch worker, a file named
#: kill… kills the worker as it is parsed, and one named hang… never finishes (a file
#: whose content is stored is not parsed: not killed either).
DEADLY_FILES = """
import sys
if "--multiprocessing-fork" in sys.argv:
    import multiprocessing.spawn
    _main = multiprocessing.spawn._main
    def _deadly_main(*args, **kwargs):
        import os, signal, time
        import govreport.batch as batch
        parse = batch.outcome
        def deadly(path, *args, **kwargs):
            name = os.path.basename(path)
            if name.startswith("kill"):
                os.kill(os.getpid(), signal.SIGKILL)
            if name.startswith("hang"):
                time.sleep(3600)
            return parse(path, *args, **kwargs)
        batch.outcome = deadly
        return _main(*args, **kwargs)
    multiprocessing.spawn._main = _deadly_main
"""


def test_a_file_that_kills_or_hangs_its_worker_is_a_crash_and_the_batch_goes_on(
    tmp_path, monkeypatch
):
    """A worker killed (a crash in a C library, the OOM killer) or stuck loses only its
    own file, stored as a crash saying why; the other files of its chunk are parsed."""
    import os

    import govreport.batch as batch

    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(DEADLY_FILES, encoding="utf-8")
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH")) if p)
    )
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["a.txt", "kill.txt", "b.txt", "hang.txt", "c.txt", "d.txt", "e.txt"]
    for k, name in enumerate(names):
        (folder / name).write_bytes(PIPE.read_bytes() + f"\n附：第{k}份\n".encode())
    db = tmp_path / "d.duckdb"
    summary = batch.run([str(folder)], db, jobs=2, timeout=3)
    assert (summary.parsed, summary.statuses) == (7, {"ok": 5, "crash": 2})
    assert sorted(p.rsplit("/", 1)[1] for p, _ in summary.failures) == ["hang.txt", "kill.txt"]
    query = ("SELECT regexp_extract(path, '[^/]+$'), error_type || ': ' || error "
             "FROM reports WHERE status = 'crash'")  # fmt: skip
    stored = dict(_query(db, query))
    assert stored == {
        "kill.txt": "WorkerDied: the worker process parsing it died (signal SIGKILL), "
        "2 times; please report it",
        "hang.txt": "Timeout: parsing it took longer than 3 s, so its worker was stopped; "
        "please report it",
    }
    # a re-run tries them again (the machine may have been short of time or memory)
    again = batch.run([str(folder)], db, jobs=2, timeout=3)
    assert (again.parsed, again.skipped, again.failed) == (2, 5, 2)
    assert _query(db, "SELECT count(*) FROM reports") == [(7,)]


#: Loaded by every Python process of the tests below: a batch worker cannot import the
#: parser (a broken installation), or takes an hour to start.
BROKEN_WORKERS = """
import sys
if "--multiprocessing-fork" in sys.argv:
    if "{how}" == "broken":
        sys.modules["govreport.pipeline"] = None  # importing it raises ImportError
    else:
        import time
        time.sleep(3600)
"""


@pytest.mark.parametrize(
    ("how", "why"), [("broken", "exit code 1"), ("stuck", "not ready after 2 s")]
)
def test_workers_that_cannot_start_end_the_batch_with_one_line_and_no_file_lost(
    tmp_path, monkeypatch, capsys, how, why
):
    """Workers that die (or hang) before they are ready have begun no file: no file is
    stored as a crash; after a few such starts the batch ends with exit status 2 and one
    line saying so, and a later run (workers fixed) parses every file."""
    import os

    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BROKEN_WORKERS.format(how=how), encoding="utf-8")
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH")) if p)
    )
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PIPE, folder / "a.txt")
    shutil.copy(TAB, folder / "b.txt")
    db = tmp_path / "c.duckdb"
    args = ["batch", str(folder), "--db", str(db), "--jobs", "1", "--timeout", "2"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (
        f"govreport: the batch's worker processes die as they start ({why}); "
        "run `govreport parse` on one file to see why"
    )
    assert _query(db, "SELECT count(*) FROM reports") == [(0,)]
    monkeypatch.delenv("PYTHONPATH")
    assert main(args) == 0
    assert _query(db, "SELECT count(*), count(*) FILTER (status = 'ok') FROM reports") == [(2, 2)]


def test_the_batch_parent_does_not_import_the_parser():
    """The batch's parent opens the database and starts the workers before anything it
    does not need is imported: not the parser (the workers parse), and pyarrow only once
    the workers are starting (Store.prepare_writes)."""
    import subprocess

    code = (
        "import sys\n"
        "import govreport, govreport.cli, govreport.batch, govreport.batch.store\n"
        "govreport.cli._arguments().parse_args(['batch', 'in', '--db', 'x.duckdb'])\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('lark', 'z3', 'opencc', 'pyarrow', 'pandas', 'pdfplumber', 'lxml', 'docx') "
        "or m in ('govreport.pipeline', 'govreport.tables', 'govreport.placement'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == []


def test_a_database_that_fails_to_write_stops_the_batch_with_its_own_error(
    tmp_path, monkeypatch, capsys
):
    from govreport.batch.store import Store

    calls = []

    def failing(self, *args, **kwargs):
        calls.append(args)
        raise duckdb.IOException('Could not write file "corpus.duckdb.wal": No space left')

    import govreport.batch as batch

    monkeypatch.setattr(Store, "write", failing)
    monkeypatch.setattr(batch, "FLUSH_EVERY", 1)  # the first write fails with files to go
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PIPE, folder / "a.txt")
    shutil.copy(TAB, folder / "b.txt")
    assert main(["batch", str(folder), "--db", str(tmp_path / "c.duckdb"), "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "No space left" in err and "Pool is still running" not in err
    assert "Traceback" not in err
    assert len(calls) == 1  # nothing more is written after the error


def test_a_database_of_a_newer_schema_is_not_written(tmp_path, capsys):
    db = tmp_path / "new.duckdb"
    assert main(["batch", str(TAB), "--db", str(db)]) == 0
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE govreport_schema SET version = 99")
    capsys.readouterr()
    assert main(["batch", str(PIPE), "--db", str(db)]) == 2
    assert "newer govreport (schema version 99" in capsys.readouterr().err
    assert _query(db, "SELECT count(*) FROM reports") == [(1,)]
    assert main(["export", "--db", str(db), "--to", "csv", "--out", str(tmp_path / "e")]) == 0


def test_dataframes_carry_provenance_and_the_dask_path_takes_strict(tmp_path):
    import govreport.batch.cluster as gc

    frame = to_dataframe([govreport.parse_file(PDF), govreport.parse_file(PIPE)])
    pdf = frame[(frame.report == 0) & (frame.path == NEW_TOTAL)].iloc[0]
    assert (pdf.reader, pdf.page, len(pdf.bbox)) == ("pdf", 3, 4)
    assert str(frame.page.dtype) == "Int64" and frame[frame.report == 1].page.isna().all()

    path = str(_partial(tmp_path))
    bag = gc.outcomes([str(PDF), path], npartitions=1)
    cells = gc.cells_dataframe(bag).compute(scheduler="sync")
    assert cells[cells.path == NEW_TOTAL].page.tolist() == [3]
    assert {"bbox", "grid_table", "grid_row", "grid_col"} <= set(cells.columns)
    reports = gc.reports_dataframe(bag).compute(scheduler="sync")
    got = reports[["reader", "status", "errors"]].values.tolist()
    assert got == [["pdf", "ok", 0], ["text", "ok", 1]]
    strict = gc.reports_dataframe(gc.outcomes([path], strict=True)).compute(scheduler="sync")
    assert strict[["status", "error_type"]].values.tolist() == [["error", "TableError"]]


# --- what a new user trips over (issue 15) -------------------------------------------


def _run_with_timeout(command: list[str], cwd: Path, timeout: float = 60):
    """Run ``command`` in its own session; kill the whole session if it overruns."""
    import os
    import subprocess

    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)  # fmt: skip
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"{command} did not finish within {timeout} s")
    return proc.returncode, out, err


def test_run_at_the_top_of_a_script_without_a_main_guard_finishes(tmp_path):
    db = tmp_path / "top.duckdb"
    script = tmp_path / "script.py"
    script.write_text(
        "import govreport.batch\n"
        f"summary = govreport.batch.run([{str(TAB)!r}, {str(PIPE)!r}], {str(db)!r}, jobs=2)\n"
        "print('parsed', summary.parsed, summary.statuses)\n",
        encoding="utf-8",
    )
    code, out, err = _run_with_timeout([sys.executable, str(script)], tmp_path)
    assert code == 0, err[-3000:]
    assert out.splitlines() == ["parsed 2 {'ok': 2}"]  # the script ran once, not per worker
    assert _query(db, "SELECT count(*) FROM reports WHERE status = 'ok'") == [(2,)]


#: Loaded by every Python process of the test below: a batch worker sleeps as it starts,
#: so that the Ctrl-C surely arrives while the workers are still starting.
SLOW_WORKERS = """
import sys
if "--multiprocessing-fork" in sys.argv:
    import multiprocessing.spawn, time
    _main = multiprocessing.spawn._main
    def _slow_main(*args, **kwargs):
        time.sleep(3)
        return _main(*args, **kwargs)
    multiprocessing.spawn._main = _slow_main
"""


def _workers(pid: int) -> list[int]:
    """The spawned worker processes whose parent is ``pid`` (Linux: read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid and b"--multiprocessing-fork" in command:
            found.append(int(entry.name))
    return found


def test_an_early_ctrl_c_exits_130_without_a_worker_s_traceback(tmp_path):
    import os
    import subprocess
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    text = TAB.read_text(encoding="utf-8")
    for i in range(10):
        (folder / f"r{i:02}.txt").write_text(f"{text}\n附：编号{i}\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SLOW_WORKERS, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(site), env.get("PYTHONPATH")) if p)
    db = tmp_path / "c.duckdb"
    command = [sys.executable, "-m", "govreport", "batch", str(folder), "--db", str(db),
               "--jobs", "2"]  # fmt: skip

    # Ctrl-C as a terminal delivers it, even when the tests themselves run in the
    # background (a shell's `cmd &` starts them with SIGINT ignored, which children inherit)
    def ctrl_c_as_a_terminal_has_it() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True,
                            preexec_fn=ctrl_c_as_a_terminal_has_it)  # fmt: skip
    try:
        # both workers started (and asleep in their start for 3 s): the parent is past
        # starting them, when it ignores Ctrl-C (its workers inherit that)
        started = time.monotonic()
        while len(_workers(proc.pid)) < 2 and time.monotonic() - started < 30:
            time.sleep(0.01)
        time.sleep(0.3)
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C reaches every process
        err = proc.communicate(timeout=60)[1]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "INTERRUPTED" in err


def test_batch_names_every_file_that_failed(mixed, tmp_path, capsys):
    db = tmp_path / "f.duckdb"
    assert main(["batch", str(mixed), "--db", str(db), "--jobs", "2"]) == 2
    err = capsys.readouterr().err
    legacy, junk, empty = (str(mixed / n) for n in ("legacy.txt", "junk.bin", "empty.txt"))
    # one line per failed file, as parse gives, then the list at the end
    assert f"govreport: {empty}: line 1: the input is empty" in err
    assert f"govreport: {legacy}: " in err and f"govreport: {junk}: " in err
    tail = err.splitlines()[-4:]
    assert tail[0] == "govreport: 3 files failed (their errors are in the database):"
    assert sorted(tail[1:]) == sorted(f"  {p}" for p in (legacy, junk, empty))
    # a re-run parses nothing and still names them
    assert main(["batch", str(mixed), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "govreport: 3 files failed" in err and f"  {legacy}" in err
    assert f"govreport: {empty}: line 1: the input is empty" in err


def _copies(tmp_path: Path) -> Path:
    """Seed 000 saved three times: UTF-8, GBK and UTF-8 with CRLF line ends."""
    text = PIPE.read_text(encoding="utf-8-sig")
    folder = tmp_path / "copies"
    folder.mkdir()
    (folder / "utf8.txt").write_bytes(text.encode("utf-8"))
    (folder / "gbk.txt").write_bytes(text.encode("gbk"))
    (folder / "crlf.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return folder


def _guide_query(word: str) -> str:
    guide = (Path(__file__).parent.parent / "docs" / "batch.md").read_text(encoding="utf-8")
    (query,) = [q for q in re.findall(r"```sql\n(.*?)```", guide, re.S) if word in q]
    return query


def test_the_same_report_saved_twice_is_counted_once(tmp_path, capsys):
    folder = _copies(tmp_path)
    db = tmp_path / "dup.duckdb"
    assert main(["batch", str(folder), "--db", str(db), "--jobs", "2"]) == 0
    capsys.readouterr()
    # the docs' national totals: 8 new applications in 2023, from one report
    assert _query(db, _guide_query("AS new_applications")) == [(2023, "2021", 1, 8, 0)]
    # every file is kept, and the database says which files hold the same report
    assert _query(db, "SELECT count(*) FROM reports") == [(3,)]
    dups = _query(db, _guide_query("FROM duplicates"))
    assert len(dups) == 2
    first = min(str(folder / n) for n in ("utf8.txt", "gbk.txt", "crlf.txt"))
    assert {(file, same_as, reason) for file, same_as, reason, _ in dups} == {
        (str(folder / n), first, "same text")
        for n in ("utf8.txt", "gbk.txt", "crlf.txt")
        if str(folder / n) != first
    }
    # a re-run keeps the same answer
    assert main(["batch", str(folder), "--db", str(db)]) == 0
    assert _query(db, _guide_query("AS new_applications")) == [(2023, "2021", 1, 8, 0)]


def test_same_agency_and_year_with_different_numbers_is_shown(tmp_path, capsys):
    text = TAB.read_text(encoding="utf-8")
    folder = tmp_path / "versions"
    folder.mkdir()
    (folder / "a.txt").write_text(text, encoding="utf-8")
    report = govreport.parse_file(TAB)
    assert report.agency and report.year == 2022
    row = "行政强制\t0\t\t"  # a figure of section 2 changed in a re-published version
    assert text.count(row) == 1
    (folder / "b.txt").write_text(text.replace(row, "行政强制\t5\t\t"), encoding="utf-8")
    (folder / "c.txt").write_text(text + "\n附：转载\n", encoding="utf-8")  # same numbers
    db = tmp_path / "v.duckdb"
    main(["batch", str(folder), "--db", str(db)])
    capsys.readouterr()
    dups = _query(db, _guide_query("FROM duplicates"))
    assert sorted((Path(f).name, Path(s).name, why, n) for f, s, why, n in dups) == [
        ("b.txt", "a.txt", "different numbers", 1),
        ("c.txt", "a.txt", "same numbers", 0),
    ]
    # the report with other numbers is not hidden: it is counted, and listed
    assert _query(db, "SELECT count(*) FROM reports WHERE duplicate_of IS NULL") == [(2,)]


def test_pairs_with_the_same_cells_are_found_as_the_cell_for_cell_comparison_finds_them(
    formats, tmp_path, monkeypatch, capsys
):
    from govreport.batch import store

    text = TAB.read_text(encoding="utf-8")
    row = "行政强制\t0\t\t"
    versions = {
        "a.txt": text,
        "b.txt": text.replace(row, "行政强制\t5\t\t"),  # another number
        "c.txt": text + "\n附：转载\n",  # the same numbers
        "d.txt": text.replace(row, "行政强制\t\t\t"),  # a blank where a 0 was
    }
    for name, version in versions.items():
        (formats / name.replace(".", "_tab.")).write_text(version, encoding="utf-8")
    db = tmp_path / "v.duckdb"
    assert main(["batch", str(formats), "--db", str(db)]) == 0
    capsys.readouterr()
    found = _query(db, "SELECT * FROM duplicates ORDER BY ALL")
    named = (
        "SELECT f.path, d.reason, d.differing FROM duplicates d JOIN files f ON f.hash = d.report"
    )
    reasons = sorted((Path(r).name, why, n) for r, why, n in _query(db, named))
    assert reasons == [
        ("b_tab.txt", "different numbers", 1),
        ("c_tab.txt", "same numbers", 0),
        ("d.htm", "same text", 0),  # seed 000's HTML: a.txt's text
        ("d_tab.txt", "different numbers", 1),
    ]
    with store.Store(db) as s:  # the pass leaves only the pairs that differ to compare
        s.con.execute("BEGIN")
        s.con.execute(store._SAME_TEXT)
        s.con.execute(store._PAIRS)
        s.con.execute(store._SAME_CELLS)
        left = s.con.execute("SELECT f.path FROM duplicate_pairs p JOIN files f ON f.hash = p.hash")
        assert sorted(Path(p).name for (p,) in left.fetchall()) == ["b_tab.txt", "d_tab.txt"]
        s.con.execute("ROLLBACK")
    with store.Store(db) as s:  # every pair compared cell for cell instead
        monkeypatch.setattr(store, "_SAME_CELLS", "SELECT 1")
        s.mark_duplicates()
    assert _query(db, "SELECT * FROM duplicates ORDER BY ALL") == found


def test_counts_are_integers_and_money_decimals_in_the_database_and_exports(tmp_path, capsys):
    db = tmp_path / "t.duckdb"
    assert main(["batch", str(PIPE), "--db", str(db)]) == 0
    types = dict(_query(db, "SELECT column_name, data_type FROM duckdb_columns() "
                            "WHERE table_name = 'cells'"))  # fmt: skip
    assert (types["value"], types["amount"]) == ("BIGINT", "DECIMAL(38,10)")
    fee = "active_disclosure/art20_8.administrative_fees/amount_wan_yuan"
    assert _query(db, f"SELECT value, amount, state FROM cells WHERE path = '{fee}'") == [
        (None, __import__("decimal").Decimal("0"), "number")
    ]
    assert _query(db, f"SELECT value, amount FROM cells WHERE path = '{NEW_TOTAL}'") == [(8, None)]
    for fmt in ("csv", "jsonl", "parquet"):
        main(["export", "--db", str(db), "--to", fmt, "--out", str(tmp_path / fmt)])
    capsys.readouterr()
    rows = {r["path"]: r for r in csv.DictReader((tmp_path / "csv" / "cells.csv").open())}
    assert (rows[NEW_TOTAL]["value"], rows[NEW_TOTAL]["amount"]) == ("8", "")
    assert rows[fee]["amount"] == "0" and rows[fee]["value"] == ""
    lines = (tmp_path / "jsonl" / "cells.jsonl").read_text(encoding="utf-8").splitlines()
    record = next(r for r in map(json.loads, lines) if r["path"] == NEW_TOTAL)
    assert record["value"] == 8 and isinstance(record["value"], int)
    import pandas as pd
    import pyarrow.parquet as pq

    schema = pq.read_schema(tmp_path / "parquet" / "cells.parquet")
    assert (str(schema.field("value").type), str(schema.field("amount").type)) == (
        "int64", "decimal128(38, 10)",
    )  # fmt: skip
    frame = pd.read_parquet(tmp_path / "parquet" / "cells.parquet", dtype_backend="numpy_nullable")
    assert str(frame.value.dtype) == "Int64"
    total = frame[frame.path == NEW_TOTAL].value.tolist()
    assert total == [8] and type(total[0]) is int


def test_parse_csv_and_export_csv_agree_cell_for_cell(formats, tmp_path, capsys):
    ambiguous = CORPUS / "003_baoji_justice_2020_pipe_dropped_blanks" / "input.txt"
    files = [ambiguous, TAB, formats / "c.pdf", formats / "b.docx"]
    db = tmp_path / "a.duckdb"
    main(["batch", *map(str, files), "--db", str(db)])
    main(["export", "--db", str(db), "--to", "csv", "--out", str(tmp_path / "csv")])
    capsys.readouterr()
    with (tmp_path / "csv" / "cells.csv").open(encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    hashes = dict(_query(db, "SELECT path, hash FROM reports"))
    assert main(["parse", *map(str, files), "--format", "csv"]) == 0
    printed = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(printed[0])[1:] == list(exported[0])[1:]  # the same columns, in order
    assert (next(iter(printed[0])), next(iter(exported[0]))) == ("file", "report")
    by_key = {(row["report"], row["path"]): row for row in exported}
    assert len(printed) == len(exported) > 700
    for row in printed:
        stored = dict(by_key[(hashes[row["file"]], row["path"])])
        stored.pop("report")
        assert {k: v for k, v in row.items() if k != "file"} == stored, row["path"]
    cells = {(r["file"], r["path"]): r for r in printed}
    blank = cells[(str(ambiguous), "applications/results.total/natural_person")]
    assert (blank["value"], blank["state"], blank["inferred"], blank["candidates"]) == (
        "", "ambiguous", "false", "[1, blank]",
    )  # fmt: skip
    fee = [r for r in printed if r["path"].endswith("administrative_fees/amount_wan_yuan")]
    assert {(r["value"], r["amount"]) for r in fee} == {("", "0")}


def test_batch_without_its_extra_says_what_to_install(tmp_path, monkeypatch, capsys):
    import importlib.util

    found = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else found(name, *a)
    )
    db = tmp_path / "c.duckdb"
    assert main(["batch", str(PIPE), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "needs the batch extra (pyarrow is missing): pip install 'govreport[batch]'" in err
    assert not db.exists()


def test_a_batch_of_no_files_starts_no_worker(tmp_path, monkeypatch):
    import govreport.batch as batch

    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(batch, "_workers", no_pool)
    (tmp_path / "empty").mkdir()
    summary = batch.run([str(tmp_path / "empty")], tmp_path / "c.duckdb", jobs=2)
    assert (summary.files, summary.parsed, summary.interrupted) == (0, 0, False)


def test_a_ctrl_c_while_pyarrow_imports_is_raised_after() -> None:
    """``_interrupts_after`` holds a SIGINT back until its block has run, then raises it
    as Python's own handler would; the handler in place before is put back."""
    import os
    import threading

    from govreport.batch.store import _interrupts_after

    before = signal.getsignal(signal.SIGINT)
    ran_to_end = False
    with pytest.raises(KeyboardInterrupt), _interrupts_after():
        os.kill(os.getpid(), signal.SIGINT)
        ran_to_end = True  # the signal did not interrupt the block
    assert ran_to_end
    assert signal.getsignal(signal.SIGINT) is before
    with _interrupts_after():  # no signal: nothing is raised
        pass
    # a signal handler can only be set in the main thread: elsewhere the block just runs
    errors: list[BaseException] = []

    def other() -> None:
        try:
            with _interrupts_after():
                pass
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert errors == []
