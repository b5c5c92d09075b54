"""Corpus-scale work: ``govreport batch`` into DuckDB, exports, dataframes, Dask."""

from __future__ import annotations

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
            "SELECT c.path, c.state, c.value FROM cells c JOIN reports r ON c.report = r.hash "
            "WHERE r.path LIKE '%tab.txt'",
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
            for t in ("files", "reports", "cells", "findings", "sections", "unrecognised")
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


def test_the_guide_s_example_queries_run(mixed, tmp_path, capsys):
    """Every SQL block of docs/batch.md runs against a real batch database."""
    db = tmp_path / "q.duckdb"
    main(["batch", str(mixed), "--db", str(db)])
    capsys.readouterr()
    guide = (Path(__file__).parent.parent / "docs" / "batch.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", guide, re.S)
    assert len(queries) == 5
    results = [_query(db, q) for q in queries]
    assert sorted(results[0]) == sorted(
        [
            ("ok", None, 3),
            ("error", "StructureError", 1),
            ("error", "LegacyReportError", 1),
            ("error", "DecodeError", 1),
        ]
    )
    totals = {
        (year, template): (reports, total) for year, template, reports, total, _ in results[1]
    }
    assert totals == {(2022, "2021"): (1, 0), (2023, "2021"): (1, 8)}


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
