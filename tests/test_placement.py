"""Placing printed values in columns: exact where the arithmetic decides, else ambiguous."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from govreport import CellState, parse
from govreport.spec import dictionary

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED_000 = (CORPUS / "000_dongcheng_justice_2023_pipe" / "input.txt").read_text("utf-8")
SEED_003 = (CORPUS / "003_baoji_justice_2020_pipe_dropped_blanks" / "input.txt").read_text("utf-8")
APPLICANTS = tuple(c.key for c in dictionary.APPLICANTS)
#: a row that prints a blank between two values: the extraction may keep blanks
KEEPS_BLANKS = {37: "二、上年结转政府信息公开申请数量 | 0 | | 0 | 0 | 0 | 0 | 0 | ||"}


def with_rows(replacements: dict[int, str]) -> str:
    """Seed 000 with some section-三 lines (1-based line numbers) replaced."""
    lines = SEED_000.split("\n")
    for number, text in replacements.items():
        lines[number - 1] = text
    return "\n".join(lines)


def row(report, key):
    return {c: report.cell(f"applications/{key}/{c}") for c in APPLICANTS}


def test_plain_rows_are_not_inferred():
    report = parse(SEED_000)
    cells = row(report, "new_received")
    assert [c.value for c in cells.values()] == [8, 0, 0, 0, 0, 0, 8]
    assert not any(c.inferred for c in cells.values())
    assert report.findings == ()


def test_dropped_blanks_recovered_exactly_when_the_columns_pin_them():
    # results.total printed in full says 3 came from natural persons and 5 from
    # companies; new_received lost its blank cells: O1 places its values.
    text = with_rows(
        {
            36: "一、本年新收政府信息公开申请数量 | 3 | 5 | 8 | |||||||",
            37: "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||",
            38: "三、本年度办理结果 | (一)予以公开 | 3 | 5 | 0 | 0 | 0 | 0 | 8 | |",
            39: "(二)部分公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||",
            48: "(四)无法提供 | 1.本机关不掌握相关政府信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | |",
            59: "(七)总计 | 3 | 5 | 0 | 0 | 0 | 0 | 8 | ||",
        }
    )
    report = parse(text)
    cells = row(report, "new_received")
    assert cells["natural_person"].value == 3 and cells["natural_person"].inferred
    assert cells["commercial"].value == 5 and cells["commercial"].inferred
    assert cells["total"].value == 8
    for key in ("research", "social_welfare", "legal_service", "other_org"):
        assert cells[key].state is CellState.BLANK and cells[key].inferred
    assert [f.code for f in report.findings if f.code[0] == "R"] == ["R1"]
    assert next(f for f in report.findings if f.code == "R1").lines == (36,)


def test_dropped_blanks_placed_jointly_across_rows():
    # new_received [1,1] and carried_over [7,7], with 8 under natural_person in
    # results.total: O1 holds only if both rows put their first value there.
    text = with_rows(
        {
            36: "一、本年新收政府信息公开申请数量 | 1 | 1 | |||||||",
            37: "二、上年结转政府信息公开申请数量 | 7 | 7 | |||||||",
        }
    )
    report = parse(text)
    new, old = row(report, "new_received"), row(report, "carried_over")
    assert (new["natural_person"].value, new["total"].value) == (1, 1)
    assert (old["natural_person"].value, old["total"].value) == (7, 7)
    assert all(c.inferred for c in (*new.values(), *old.values()))
    assert new["commercial"].state is CellState.BLANK


def test_no_consistent_placement_guesses_nothing():
    # [2,2] cannot be placed so that O1 holds (results.total is 8): the source
    # breaks its own arithmetic, so every reading of the row remains — the
    # printed one (2, 2, blanks) and all dropped-blank placements.
    report = parse(with_rows({36: "一、本年新收政府信息公开申请数量 | 2 | 2 | |||||||"}))
    cells = row(report, "new_received")
    assert cells["natural_person"].candidates == (2, None)
    assert cells["total"].candidates == (2, None)
    assert {c.state for c in cells.values()} == {CellState.AMBIGUOUS}
    assert [f.code for f in report.findings if f.code[0] == "R"] == ["R2"]
    r2 = next(f for f in report.findings if f.code == "R2")
    # no relation may choose when the table cannot hold: all 21 readings stay open
    assert "admits 21 placements" in r2.message
    assert len(r2.candidates) == 12  # the finding lists the first twelve
    # each reading is written as the printed row is: [a | b | …], one cell per column
    assert "prints [2 | 2 | ∅" in r2.message
    assert "natural_person, commercial" in r2.message  # the columns, once, in order
    assert r2.candidates[0].startswith("[") and r2.candidates[0].count(" | ") == 6
    assert all("=" not in c for c in r2.candidates)


def test_edge_empties_that_could_be_structure_or_blank_are_ambiguous():
    # tab layout: a leading empty cell may be a spanned label column or a blank
    path = CORPUS / "002_litong_justice_2022_tab" / "input.txt"
    lines = path.read_text("utf-8").split("\n")
    lines[43] = "二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t\t"
    report = parse("\n".join(lines))
    cells = row(report, "carried_over")
    # blank natural_person or blank total: both keep every relation (all zero)
    assert cells["natural_person"].state is CellState.AMBIGUOUS
    assert cells["natural_person"].candidates == (0, None)
    assert cells["total"].state is CellState.AMBIGUOUS
    for key in ("commercial", "research", "social_welfare", "legal_service", "other_org"):
        assert cells[key].value == 0 and cells[key].inferred
    assert [f.code for f in report.findings if f.code[0] == "R"] == ["R2"]


def test_placeholders_are_kept():
    text = with_rows({20: "规章 | / | — | 无 |"})
    report = parse(text)
    states = [
        report.cell(f"active_disclosure/art20_1.regulations/{c}").state
        for c in ("issued", "repealed", "in_force")
    ]
    assert states == [CellState.PLACEHOLDER] * 3


def test_a_pinned_figure_resolves_what_the_arithmetic_cannot():
    from govreport.placement import place
    from govreport.spec.dictionary import TEMPLATES
    from govreport.spec.relations import Relation, relations
    from govreport.tables import Printed, PrintedRow, PrintedTable

    table = TEMPLATES["2021"].table("applications")
    ones = (Printed("1", "COUNT", 10, 5), Printed("1", "COUNT", 10, 9))
    printed = PrintedTable(
        "applications", (PrintedRow(("new_received",), "一、本年新收", 10, ones, 0),), (10,), ()
    )
    rels = relations(TEMPLATES["2021"])
    loose, _ = place(printed, table, rels)
    assert loose.rows["new_received"].cells["natural_person"].state is CellState.AMBIGUOUS
    pin = Relation("N1", ("applications/new_received/natural_person",), (), "stated", 1)
    pinned, _ = place(printed, table, [*rels, pin])
    cells = pinned.rows["new_received"].cells
    assert cells["natural_person"].value == 1 and cells["natural_person"].inferred
    assert cells["commercial"].state is CellState.BLANK
    assert cells["total"].value == 1


def test_a_printed_blank_between_values_keeps_the_printed_reading_open():
    # new_received printed left-packed: on its own it reads like seed 003's damage,
    # and the arithmetic places its values (as above). A row elsewhere that prints
    # a blank between two values shows this extraction may keep its blank cells, so
    # the row may also be just what it prints, arithmetic broken: both stay open.
    damaged = {
        36: "一、本年新收政府信息公开申请数量 | 3 | 5 | 8 | |||||||",
        38: "三、本年度办理结果 | (一)予以公开 | 3 | 5 | 0 | 0 | 0 | 0 | 8 | |",
        59: "(七)总计 | 3 | 5 | 0 | 0 | 0 | 0 | 8 | ||",
    }
    cells = row(parse(with_rows(damaged)), "new_received")
    assert (cells["research"].state, cells["total"].value) == (CellState.BLANK, 8)

    kept = {**damaged, **KEEPS_BLANKS}
    report = parse(with_rows(kept))
    cells = row(report, "new_received")
    assert (cells["natural_person"].value, cells["commercial"].value) == (3, 5)
    assert cells["natural_person"].inferred
    assert cells["research"].state is CellState.AMBIGUOUS
    assert set(cells["research"].candidates) == {8, None}
    assert set(cells["total"].candidates) == {8, None}
    assert report.cell("applications/carried_over/commercial").state is CellState.BLANK
    assert "R2" in {f.code for f in report.findings}


def test_the_printed_reading_is_not_left_alone_when_no_other_fits_its_row():
    # 2 + 3 with no total: no reading satisfies the row's own total, so every
    # reading stays open — the printed one is not the one left standing.
    text = with_rows({**KEEPS_BLANKS, 36: "一、本年新收政府信息公开申请数量 | 2 | 3 | |||||||"})
    cells = row(parse(text), "new_received")
    assert all(c.state is CellState.AMBIGUOUS for c in cells.values())
    # every order-keeping placement of 2 then 3, the printed one (2 | 3 | blanks) included
    assert set(cells["natural_person"].candidates) == {2, None}
    assert set(cells["commercial"].candidates) == {2, 3, None}
    assert set(cells["total"].candidates) == {3, None}


def test_values_past_a_row_break_are_no_evidence_of_kept_blanks():
    # A stray line of values joins the row above it; the padding between the two
    # lines is not a blank between values, so seed 003 is still read as damaged.
    lines = SEED_003.split("\n")
    granted = next(k for k, t in enumerate(lines) if t.startswith("三、本年度办理结果"))
    lines.insert(granted + 1, "1 | 1 |")
    report = parse("\n".join(lines))
    total = report.cell("applications/new_received/total")
    assert (total.value, total.inferred) == (1, True)


CRAWLER_220 = (CORPUS / "220_dongcheng_office_2023_crawler_glued" / "input.txt").read_text("utf-8")
REGULATIONS = "active_disclosure/art20_1.regulations"


def crawler(regulations: str, normative: str = "12064") -> str:
    """Corpus 220 (crawler text, runs glued) with section 二's first two runs replaced."""
    assert "规章000行政规范性文件12064" in CRAWLER_220
    return CRAWLER_220.replace(
        "规章000行政规范性文件12064", f"规章{regulations}行政规范性文件{normative}"
    )


def test_a_run_with_a_digit_per_cell_is_read_without_blanks_and_marked_inferred():
    report = parse(crawler("700"))
    cells = [report.cell(f"{REGULATIONS}/{c}") for c in ("issued", "repealed", "in_force")]
    assert [c.value for c in cells] == [7, 0, 0]
    assert all(c.inferred and c.state is CellState.NUMBER for c in cells)
    r6 = [f for f in report.findings if f.code == "R6"]
    assert len(r6) == 1 and set(r6[0].paths) == {
        f"{REGULATIONS}/{c}" for c in ("issued", "repealed", "in_force")
    }
    assert "prints [700]; it was read with as few blank cells" in r6[0].message


def test_fewest_blanks_pins_only_what_its_readings_agree_on():
    # 4500 under three columns, no blank: 4 | 50 | 0 or 45 | 0 | 0 — only in_force is 0
    report = parse(crawler("4500"))
    assert report.cell(f"{REGULATIONS}/in_force").value == 0
    assert report.cell(f"{REGULATIONS}/in_force").inferred
    issued = report.cell(f"{REGULATIONS}/issued")
    assert issued.state is CellState.AMBIGUOUS
    # the open cell keeps every candidate, blank included: the assumption pinned nothing there
    assert issued.candidates == (4, 45, 450, 4500, None)


def test_no_fewest_blanks_in_a_table_that_shows_blank_cells():
    # 55 under three columns must hold a blank: this table has blanks, so 120 may too
    report = parse(crawler("55", "120"))
    for c in ("issued", "repealed", "in_force"):
        cell = report.cell(f"active_disclosure/art20_1.normative_documents/{c}")
        assert cell.state is CellState.AMBIGUOUS and None in cell.candidates
    assert "R6" not in {f.code for f in report.findings}


NEW_RECEIVED = "一、本年新收政府信息公开申请数量"


def test_a_table_no_reading_of_which_holds_keeps_its_runs_open():
    # 100012022 under new_received fits no consistent table: nothing is pinned, no crash
    report = parse(CRAWLER_220.replace(NEW_RECEIVED + "0000000", NEW_RECEIVED + "100012022", 1))
    cells = row(report, "new_received")
    assert {c.state for c in cells.values()} == {CellState.AMBIGUOUS}
    assert "R6" not in {f.code for f in report.findings}


def test_a_row_the_source_broke_is_read_as_printed_with_its_error_reported():
    # 1111119: S3 fails whatever the reading; the run still reads one digit a cell
    report = parse(CRAWLER_220.replace(NEW_RECEIVED + "0000000", NEW_RECEIVED + "1111119", 1))
    cells = row(report, "new_received")
    assert [c.value for c in cells.values()] == [1, 1, 1, 1, 1, 1, 9]
    assert all(c.inferred for c in cells.values())
    assert any(f.code == "S3" and "new_received/total" in f.paths[0] for f in report.findings)


def test_r6_lists_only_the_cells_it_pinned_and_r1_keeps_the_rest():
    text = CRAWLER_220
    for label in (NEW_RECEIVED, "三、本年度办理结果（一）予以公开", "（七）总计"):
        text = text.replace(label + "0000000", label + "100012022", 1)
    report = parse(text)
    r6 = [f for f in report.findings if f.code == "R6"]
    assert r6 and all(f"{len(f.paths)} cell(s) inferred so" in f.message for f in r6)
    lines = {f.lines for f in r6}
    assert all(any(f.code == "R1" and f.lines == ls for f in report.findings) for ls in lines)


def test_no_fewest_blanks_where_spaces_show_fewer_numbers_than_cells():
    spaced = (CORPUS / "221_dongcheng_office_2023_crawler_spaced" / "input.txt").read_text("utf-8")
    assert "规章 0 0 0" in spaced
    report = parse(spaced.replace("规章 0 0 0", "规章 10 0", 1))
    issued = report.cell(f"{REGULATIONS}/issued")
    assert issued.state is CellState.AMBIGUOUS and issued.candidates == (1, 10, None)


def test_no_fewest_blanks_where_a_stated_figure_shows_a_blank():
    # 505 with 现行有效规范性文件0件 stated: no reading without a blank fits
    text = crawler("000", "505")
    at = text.index("一、总体情况") + len("一、总体情况 ")
    report = parse(text[:at] + "本机关现行有效规范性文件0件。" + text[at:])
    docs = "active_disclosure/art20_1.normative_documents"
    assert report.cell(f"{docs}/issued").candidates == (50, 505, None)
    assert "R6" not in {f.code for f in report.findings}


def test_placeholders_glued_after_a_label_are_cells_not_label():
    # a crawler flattens 行政许可 | / into 行政许可/: a placeholder, neither blank nor 0
    report = parse(
        CRAWLER_220.replace("行政许可0", "行政许可/", 1).replace("规章000", "规章///", 1)
    )
    decisions = report.cell("active_disclosure/art20_5.administrative_license/decisions")
    assert decisions.state is CellState.PLACEHOLDER and decisions.raw == "/"
    regs = [report.cell(f"{REGULATIONS}/{c}") for c in ("issued", "repealed", "in_force")]
    assert [c.state for c in regs] == [CellState.PLACEHOLDER] * 3
    assert report.get("active_disclosure/art20_5.administrative_license/decisions").raw == "/"


def _total_rows(width: int):
    """The row's own relations as placement sees them: each five (or seven) columns,
    the last the sum of the others."""
    from govreport import placement

    size = 7 if width == 7 else 5
    return placement._accepting(
        [
            (((lo + size - 1,), tuple(range(lo, lo + size - 1)), 0, False), lo, lo + size - 1)
            for lo in range(0, width, size)
        ]
    )


def _with_and_without_the_sum_search(digits, forced, width, accept) -> list:
    """A run's readings as ``_search_run`` finds them with the sum search (S3, S4), and
    with the general depth-first search it stands in for ("too many" past the bounds)."""
    from govreport import placement

    found: list = []
    general = placement._is_total_after_parts
    for fast in (True, False):
        placement._is_total_after_parts = general if fast else (lambda *a: False)
        try:
            found.append(
                placement._search_run(digits, "", forced, width, accept, placement.Budget(30))
            )
        except placement.TooMany:
            found.append("too many")
        finally:
            placement._is_total_after_parts = general
    return found


@settings(max_examples=300, deadline=None)
@given(
    digits=st.text("00001234567", min_size=1, max_size=19),
    width=st.sampled_from([7, 10, 15]),
    space=st.integers(min_value=0, max_value=18),
)
def test_the_sum_search_reads_runs_as_the_depth_first_search_does(digits, width, space):
    # the search for "last column = sum of the others" (S3, S4) gives the same readings,
    # in the same order, as the general depth-first search it stands in for

    forced = {space} if 0 < space < len(digits) else set()
    accept = _total_rows(width)
    found = _with_and_without_the_sum_search(digits, forced, width, accept)
    # past the bounds (more steps than MAX_RUN_SPLITS) either may stop first
    assume("too many" not in found)
    assert found[0] == found[1]


def test_a_placeholder_glued_before_a_run_leaves_the_row_unread_not_guessed():
    # 规章/00: the / is a cell, and a run beside another cell is not split: R4, no value
    report = parse(CRAWLER_220.replace("规章000", "规章/00", 1))
    regs = [report.cell(f"{REGULATIONS}/{c}") for c in ("issued", "repealed", "in_force")]
    assert all(c.state is CellState.AMBIGUOUS and not c.candidates for c in regs)
    r4 = [f for f in report.findings if f.code == "R4"]
    assert len(r4) == 1 and "printed: / | 00" in r4[0].message


def test_a_placeholder_after_a_whole_label_with_values_is_never_read_as_blank():
    # 无 is in labels of section 三 (（四）无法提供), but here it follows 2.重复申请 whole:
    # the 无 is a cell, so the row is not read (R4) rather than read with a blank
    text = (CORPUS / "200_dongcheng_justice_2023_crawler_glued" / "input.txt").read_text("utf-8")
    for old, new in (
        ("数量8000008二", "数量8100009二"),
        ("（七）总计8000008", "（七）总计8100009"),
        ("2.重复申请0000000", "2.重复申请无100001"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    report = parse(text)
    cell = report.cell("applications/results.not_processed.repeated/natural_person")
    assert cell.state is CellState.AMBIGUOUS and not cell.candidates
    assert any(f.code == "R4" and "printed: 无 | 100001" in f.message for f in report.findings)


@st.composite
def _equation_systems(draw):
    """A few rows with a few readings each, and linear equations over them."""
    sizes = {i: draw(st.integers(1, 4)) for i in range(draw(st.integers(1, 4)))}
    flags = [(i, k) for i, n in sizes.items() for k in range(1, n)]
    equations = []
    for _ in range(draw(st.integers(0, 4))):
        chosen = draw(st.lists(st.sampled_from(flags), unique=True)) if flags else []
        coefficients = {f: draw(st.integers(-3, 3).filter(bool)) for f in chosen}
        equations.append((draw(st.integers(-3, 3)), coefficients))
    return sizes, equations


@settings(max_examples=400, deadline=None)
@given(_equation_systems())
def test_the_joint_search_finds_the_readings_every_choice_shows(system):
    # exhaustive over every choice of one reading per row: the readings the choices that
    # satisfy every equation take (None when none does)
    from itertools import product

    from govreport.placement import _search

    sizes, equations = system
    rows = list(sizes)
    fits = [
        dict(zip(rows, choice, strict=True))
        for choice in product(*(range(sizes[i]) for i in rows))
        if all(
            sum(c for (i, k), c in coefficients.items() if choice[rows.index(i)] == k) == goal
            for goal, coefficients in equations
        )
    ]
    expected = {i: {f[i] for f in fits} for i in rows} if fits else None
    assert _search.supported(sizes, equations) == expected


def test_the_joint_search_gives_what_z3_gives(monkeypatch):
    # seed 003's section 三 rows are decided jointly; past the search's steps Z3 decides
    from govreport.placement import _search

    searched = parse(SEED_003)
    monkeypatch.setattr(_search, "MAX_STEPS", 0)
    solved = parse(SEED_003)
    assert searched.applications == solved.applications
    assert searched.findings == solved.findings
    ambiguous = [
        p
        for p, c in searched.cells()
        if p.startswith("applications/") and c.state is CellState.AMBIGUOUS
    ]
    assert len(ambiguous) > 10  # the joint decision leaves many cells open


@settings(max_examples=300, deadline=None)
@given(
    digits=st.text("00001234567", min_size=1, max_size=12),
    width=st.sampled_from([7, 15]),
    space=st.integers(min_value=0, max_value=11),
)
def test_a_run_reads_alike_whether_its_readings_are_checked_or_searched(digits, width, space):
    # few readings are each checked against the row's relations, many are searched for:
    # either way the same readings, in the order every reading is listed in
    from govreport import placement

    forced = {space} if 0 < space < len(digits) else set()
    spaced = digits[:space] + " " + digits[space:] if forced else digits
    found = []
    for checked in (10**9, 0):
        saved = placement._CHECKED_RUN
        placement._CHECKED_RUN = checked
        try:
            found.append(
                placement._split_run(spaced, "", width, _total_rows(width), placement.Budget(30))
            )
        except placement.TooMany:
            found.append("too many")
        finally:
            placement._CHECKED_RUN = saved
    assume("too many" not in found)
    assert found[0].chosen == found[1].chosen


@settings(max_examples=300, deadline=None)
@given(
    digits=st.text("00001234567", min_size=1, max_size=17),
    width=st.sampled_from([7, 15]),
    pinned=st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=2, unique=True),
    figure=st.integers(min_value=0, max_value=12),
)
def test_a_stated_figure_on_a_run_reads_as_the_depth_first_search_does(
    digits, width, pinned, figure
):
    # a row's sums searched alone and a stated figure checked on each reading: the same
    # readings, in the same order, as the general search with every relation
    from govreport import placement

    columns = tuple(sorted({c % width for c in pinned}))
    sums = _total_rows(width).relations
    stated = ((columns, (), figure, True), columns[0], columns[-1])
    accept = placement._accepting([*sums, stated])
    found = _with_and_without_the_sum_search(digits, set(), width, accept)
    assume("too many" not in found)
    assert found[0] == found[1]


def test_a_relation_knows_the_one_table_its_cells_are_in():
    import attrs
    from attrs import evolve

    from govreport.spec.relations import Relation

    within = Relation(
        "S3", ("applications/total/total",), ("applications/total/natural_person",), ""
    )
    across = Relation(
        "O1", ("applications/new_received/total",), ("review_litigation/review/total",), ""
    )
    assert (within.table, across.table) == ("applications", None)
    moved = evolve(within, right=("review_litigation/review/total",))
    assert moved.table is None  # worked out again, not copied
    assert not attrs.fields(Relation).table.eq  # derived from the paths: not compared


# --- aligned layouts: a short row placed by where its values stand (R7) ----------

ALIGNED = (
    Path(__file__).resolve().parent.parent
    / "corpus"
    / "242_jingyan_2023_traditional_pdftotext_layout"
    / "input.txt"
).read_text("utf-8")
OTHER_LINE = "             3.其他     0   0      0     0    0   0   0"
COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service",
           "other_org", "total")  # fmt: skip


def _blanked(line: str, columns: set[int]) -> str:
    """``line`` with its values in ``columns`` printed as nothing (spaces)."""
    out, k = list(line), 0
    for at, ch in enumerate(line):
        if ch == "0":
            if k in columns:
                out[at] = " "
            k += 1
    return "".join(out)


def _other_row(text: str):
    report = parse(text)
    return report, [report.cell(f"applications/results.other.other/{c}") for c in COLUMNS]


def test_pdftotext_layout_prints_a_blank_as_nothing_and_the_columns_place_it():
    # seed 001 as LibreOffice's PDF of it, pdftotext -layout (corpus 242): 总计 prints 6
    # zeros for 7 columns, its first cell blank — the positions say which
    assert OTHER_LINE in ALIGNED
    report = parse(ALIGNED)
    total = [report.cell(f"applications/results.total/{c}") for c in COLUMNS]
    assert [(c.state, c.value) for c in total] == [(CellState.BLANK, None)] + [
        (CellState.NUMBER, 0)
    ] * 6
    assert all(c.inferred for c in total)
    assert "R7" in {f.code for f in report.findings}
    for blank in ({0}, {3}, {6}, {1, 5}):
        _, cells = _other_row(ALIGNED.replace(OTHER_LINE, _blanked(OTHER_LINE, blank)))
        got = [(c.state, c.value, c.inferred) for c in cells]
        want = [
            (CellState.BLANK, None, True) if k in blank else (CellState.NUMBER, 0, True)
            for k in range(7)
        ]
        assert got == want, blank


def test_a_row_laid_out_elsewhere_is_not_placed_by_position():
    # the row's values three characters to the left (as on a page laid out anew): they
    # stand under no column of the rows around it, so the arithmetic decides — all
    # zeros: every placement fits, the cells stay ambiguous
    shifted = _blanked(OTHER_LINE, {0}).replace("3.其他     ", "3.其他  ")
    report, cells = _other_row(ALIGNED.replace(OTHER_LINE, shifted))
    assert all(c.state is CellState.AMBIGUOUS for c in cells)
    assert not any(f.code == "R7" and f.lines == (214,) for f in report.findings)


def _rows_at(rows):
    """Printed rows: each a label and its values, the first value at ``start`` (1-based)
    and the next ones four spaces apart."""
    from govreport.tables import Printed, PrintedRow

    out = []
    for n, (label, start, values) in enumerate(rows, start=1):
        cells, at = [], start
        for v in values:
            cells.append(Printed(v, "COUNT", n, at))
            at += len(v) + 4
        out.append(PrintedRow(("r",), label, n, tuple(cells), 0))
    return out


def test_text_split_by_spaces_but_not_aligned_places_nothing_by_position():
    # text that only separates cells by spaces (our writer, a converter spacing cells)
    # puts each value where its label ends: rows agree on where their values stand only
    # where their labels are as long — no layout shown, no short row placed so
    from govreport.placement._aligned import columns_of

    full = ["0", "0", "0"]
    spaced = _rows_at(
        [("甲甲", 7, full), ("乙乙", 7, full), ("丙", 6, ["0", "0"]), ("丁丁", 7, full)]
    )
    assert columns_of(spaced, [3] * 4, 2) is None
    # the same places under labels of different lengths: a layout
    laid_out = _rows_at(
        [("甲甲", 7, full), ("乙乙乙乙", 7, full), ("丙", 6, ["0", "0"]), ("丁丁", 7, full)]
    )
    assert columns_of(laid_out, [3] * 4, 2) == (0, 1)


def test_positions_the_arithmetic_takes_no_table_with_are_not_used():
    # 3 applications from natural persons, all of them 3.其他 — but that row's values
    # stand under 商业企业 and 总计 (positions that mislead): no consistent table takes
    # that reading, so the arithmetic places the row (R1: 自然人 3), not the positions
    text = ALIGNED
    new_line = "                    0     0      0       0   0   0    0"
    total_line = "          （七）總計           0      0     0    0   0   0"
    assert f"新收政府信息公開申請\n{new_line}\n" in text and total_line in text
    text = text.replace(
        f"新收政府信息公開申請\n{new_line}\n",
        "新收政府信息公開申請\n                    3     0      0       0   0   0    3\n",
    )
    text = text.replace(total_line, "          （七）總計       3   0      0     0    0   0   3")
    text = text.replace(OTHER_LINE, "             3.其他         3                         3")
    report, cells = _other_row(text)
    assert [(c.state, c.value) for c in cells] == [(CellState.NUMBER, 3)] + [
        (CellState.BLANK, None)
    ] * 5 + [(CellState.NUMBER, 3)]
    assert all(c.inferred for c in cells)
    assert not any(f.code == "R7" and f.lines == (214,) for f in report.findings)
    assert not any(f.code == "S1" for f in report.findings)
