"""Sheets replayed (issue 32, fourth round): the ledger, plan and instructions of the next person are not written
again when everything they are written from is equal; the workbook is still the file written in full, byte for
byte — whether the replayed sheet's XML is then stamped or written from its replayed state — and a person whose
inputs differ gets their own sheet, written for them."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest

from xl_kpi.api import bundled_templates, load_spec
from xl_kpi.spec.model import Person, Spec
from xl_kpi.workbook import BuildOptions, replay, stamp
from xl_kpi.workbook.book import ScorecardWorkbook
from xl_kpi.workbook.labels import label
from xl_kpi.workbook.print_form import FORM_SHEET, needs_print_form
from xl_kpi.workbook.styles import Styles

from .stamped_builds import build_bytes

ZHANG = Person("E1", "张三", "销售一部", "销售代表", "李四", "sales_rep", bonus_base=6000)
WANG = Person("E2", "王芳", "销售二部", "销售代表", "赵六", "sales_rep", bonus_base=6000)
TEMPLATES = sorted(p.stem for p in bundled_templates().glob("*.yaml"))


def _spec(name: str) -> Spec:
    return load_spec(bundled_templates() / f"{name}.yaml")


def _after_and_alone(tmp: Path, spec: Spec, first: Person, then: Person, options: BuildOptions = BuildOptions(),
                     sheets_kept: bool = True) -> tuple[bytes, bytes, dict[str, int]]:
    """``then``'s workbook built right after ``first``'s (its sheets at hand to replay; their XML forgotten unless
    ``sheets_kept``), and built with nothing remembered."""
    stamp.clear()
    build_bytes(tmp, "first", spec, first, options)
    if not sheets_kept:
        stamp.forget_sheets()
    after = build_bytes(tmp, "after", spec, then, options)
    counts = stamp.stats()
    stamp.clear()
    alone = build_bytes(tmp, "alone", spec, then, options)
    assert stamp.stats()["replay_hits"] == 0
    return after, alone, counts


def _part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_replayed_sheet_written_from_its_state_is_the_sheet_written_in_full(tmp_path, template):
    """With no XML at hand to stamp, the replayed card and print form (all but the person's info), ledger, plan and
    instructions are written from the state replayed: every cell, row, column, merged range, validation, conditional format, table and
    setting is the one writing them gives."""
    spec = _spec(template)
    after, alone, counts = _after_and_alone(tmp_path, spec, ZHANG, WANG, sheets_kept=False)
    assert counts["replay_hits"] == 4 + needs_print_form(spec) and counts["sheet_hits"] == 0
    assert after == alone


@pytest.mark.parametrize("variant", ["en", "udf", "locked", "separate", "shares"])
def test_the_variants_replayed_are_the_files_written_in_full(tmp_path, variant):
    options = {"en": BuildOptions(lang="en"), "udf": BuildOptions(formulas="udf"), "locked": BuildOptions(password="pw"),
               "separate": BuildOptions(ratings="separate"), "shares": BuildOptions(plan_shares=(0.1, 0.2, 0.3, 0.4))}[variant]
    for kept in (True, False):
        after, alone, counts = _after_and_alone(tmp_path, _spec("sales_supervisor"), ZHANG, WANG, options, kept)
        assert after == alone and counts["replay_hits"] == 5  # the card and its print form but their info, the other three


def test_a_person_with_their_own_targets_gets_their_own_plan(tmp_path):
    spec = _spec("sales_rep")
    planned = next(ind for ind in spec.indicators if ind.is_additive)  # an amount or a count: split in the plan
    options = BuildOptions(targets={"E2": {planned.id: float(planned.target or 0) * 2 + 7}})  # type: ignore[arg-type]
    after, alone, counts = _after_and_alone(tmp_path, spec, ZHANG, WANG, options)
    assert after == alone
    assert counts["replay_hits"] == 2  # the ledger and the instructions; the plan is written from Wang's targets
    plan = "xl/worksheets/sheet3.xml"
    assert _part(alone, plan) != _part(build_bytes(tmp_path, "zhang", spec, ZHANG, options), plan)


def test_a_text_of_the_ledger_already_in_the_strings_elsewhere_is_written_not_replayed(tmp_path):
    """A person named as the ledger's title: the card holds the text first, the ledger's title takes its index, every
    later text of the ledger another place: the ledger is written for this workbook."""
    spec = _spec("sales_rep")
    named = Person("E2", label("ledger", "zh"), "销售二部", "销售代表", "赵六", "sales_rep", bonus_base=6000)
    after, alone, counts = _after_and_alone(tmp_path, spec, ZHANG, named)
    assert after == alone
    assert counts["replay_hits"] < 3


def _two_workbooks(write) -> list[tuple[bytes, dict[str, int]]]:  # type: ignore[no-untyped-def]
    """A workbook of one sheet written by ``write`` through :func:`replay.replayed`, twice; each one's bytes and the
    counts after it."""
    out = []
    stamp.clear()
    for _ in range(2):
        wb = ScorecardWorkbook(io.BytesIO(), {"in_memory": True})
        styles = Styles(wb)
        ws = wb.add_worksheet("a")
        replay.replayed(ws, styles, ("a test sheet",), lambda ws, wb=wb, styles=styles: write(wb, styles, ws))
        ws.write_string(3, 0, "written after", styles.get("text"))  # a write on the replayed sheet sees its cells
        wb.close()
        out.append((wb.filename.getvalue(), stamp.stats()))
    return out


def test_a_sheet_written_with_styles_formats_is_replayed_and_a_later_write_keeps_its_cells():
    def write(wb, styles, ws):  # type: ignore[no-untyped-def]
        ws.merge_range(0, 0, 0, 3, "标题", styles.get("title_left"))
        ws.write_number(1, 1, 0.5, styles.get("input", "0%"))
        ws.data_validation(1, 1, 1, 1, {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1})
        ws.conditional_format(1, 1, 1, 1, {"type": "cell", "criteria": "<", "value": 0, "format": styles.fill("#FFC7CE")})
    (first, _), (second, counts) = _two_workbooks(write)
    assert counts["replay_hits"] == 1
    assert _part(first, "xl/worksheets/sheet1.xml") == _part(second, "xl/worksheets/sheet1.xml")
    assert b"written after" in _part(second, "xl/sharedStrings.xml") and b"<mergeCell " in _part(second, "xl/worksheets/sheet1.xml")


def test_a_sheet_with_a_format_not_made_by_styles_is_never_replayed():
    def write(wb, styles, ws):  # type: ignore[no-untyped-def]
        ws.write_string(0, 0, "x", wb.add_format({"bold": True}))
    (first, _), (second, counts) = _two_workbooks(write)
    assert counts["replay_hits"] == 0 and first == second


def test_what_a_process_remembers_to_replay_is_bounded(tmp_path):
    spec = _spec("sales_rep")
    first = spec.indicators[0]
    people = [Person(f"E{k}", f"员工{k}", "销售一部", "销售代表", "李四", "sales_rep") for k in range(replay.REPLAYS_KEPT + 4)]
    options = BuildOptions(targets={p.employee_id: {first.id: 100.0 + k} for k, p in enumerate(people)})  # a plan each
    stamp.clear()
    for p in people:
        build_bytes(tmp_path, p.employee_id, spec, p, options)
    assert replay.remembered() == replay.REPLAYS_KEPT


def test_every_reader_of_a_replayed_sheets_deferred_state_sets_it_first():
    """XlsxWriter's and our worksheet methods that read the attributes a replayed sheet sets when first read: each is
    public (every public method of a stamped sheet sets them first), writes the sheet's XML (run by
    ``_assemble_xml_file``, which sets them unless the XML is stamped) or is one of the readers that set them first."""
    import inspect
    import re

    from xl_kpi.workbook.book import PortableWorksheet
    from xl_kpi.workbook.deferred import DEFERRED, READERS

    reads = re.compile(r"self\.(" + "|".join(DEFERRED) + r")\b")
    readers = set()
    for cls in PortableWorksheet.__mro__:
        for name, member in vars(cls).items():
            if inspect.isfunction(member) and reads.search(inspect.getsource(member)):
                readers.add(name)
    unguarded = {n for n in readers if n.startswith("_") and not n.startswith("_write") and n not in READERS
                 and n not in ("__init__", "_calculate_spans", "_assemble_xml_file")}
    assert unguarded == set() and {"_get_range_data", "_write_rows", "merge_range"} <= readers  # the scan sees them


def _replayed_sheets(tmp: Path, spec: Spec, first: Person, then: Person, options: BuildOptions = BuildOptions()
                     ) -> tuple[bytes, bytes, list[str]]:
    """As :func:`_after_and_alone` (sheets' XML forgotten: a replayed sheet is written from its state), and the names of
    the sheets replayed in ``then``'s workbook."""
    from unittest import mock

    names: list[str] = []
    apply = replay._apply

    def spy(record, ws, *args):  # type: ignore[no-untyped-def]
        names.append(ws.name)
        return apply(record, ws, *args)

    stamp.clear()
    build_bytes(tmp, "first", spec, first, options)
    stamp.forget_sheets()
    with mock.patch.object(replay, "_apply", spy):
        after = build_bytes(tmp, "after", spec, then, options)
    stamp.clear()
    alone = build_bytes(tmp, "alone", spec, then, options)
    return after, alone, names


CARD = "KPI考核表"


@pytest.mark.parametrize("template", ["sales_rep", "sales_supervisor"])
def test_the_next_persons_card_is_replayed_but_their_info_and_is_the_card_written_in_full(tmp_path, template):
    """The card of the next person of the template: their info written, the rest replayed; the print form (practice
    card) reads the replayed card's cached values; the file is the one written with nothing remembered."""
    spec = _spec(template)
    zhang, wang = (dataclasses.replace(p, template=template) for p in (ZHANG, WANG))
    after, alone, names = _replayed_sheets(tmp_path, spec, zhang, wang)
    assert after == alone and CARD in names
    assert (FORM_SHEET["zh"] in names) == needs_print_form(spec)
    card = _part(alone, "xl/worksheets/sheet1.xml")
    assert card != _part(build_bytes(tmp_path, "zhang", spec, zhang), "xl/worksheets/sheet1.xml")  # the card is Wang's
    assert b"\xe7\x8e\x8b\xe8\x8a\xb3" in _part(alone, "xl/sharedStrings.xml")  # 王芳


@pytest.mark.parametrize("then", [
    Person("E2", "王芳", "华东区销售二部大客户事业群", "销售代表", "赵六", "sales_rep", bonus_base=6000),  # the info row higher
    Person("E2", "销售代表", "销售二部", "销售代表", "赵六", "sales_rep", bonus_base=6000),  # one shared string fewer
    Person("E2", "王芳", "销售二部", "销售代表", "赵六", "sales_rep", bonus_base=9000),  # another pay
    Person("E2", "王芳", "销售二部", "销售代表", "赵六", "sales_rep", bonus_base=6000, period="2027-Q1"),  # the info, and not more
], ids=["taller-info", "name-is-a-label", "bonus-base", "period"])
def test_a_card_whose_inputs_differ_is_written_for_its_person(tmp_path, then):
    """A card is replayed only when the person's info took the same rows' heights and shared-string places and the
    rest is written from the same inputs (the bonus base: the pay's cached values); otherwise written, and the file
    is the one written with nothing remembered."""
    spec = _spec("sales_rep")
    after, alone, names = _replayed_sheets(tmp_path, spec, ZHANG, then)
    assert after == alone
    replayed = CARD in names
    assert replayed == (then.period != "")  # the period is in the info (written for each person) and the footer


def test_a_department_workbook_never_replays_its_cards(tmp_path):
    """A department's sheets are named for their people: never the same sheet, not recorded to replay."""
    from xl_kpi.workbook import build_department_workbook

    spec = _spec("sales_rep")
    stamp.clear()
    for k in range(2):
        build_department_workbook(tmp_path / f"d{k}.xlsx", "销售一部", [(ZHANG, spec), (WANG, spec)])
    assert replay.remembered() == 0 and stamp.stats()["replay_hits"] == 0


def test_a_sheet_written_on_before_is_replayed_only_after_the_same_calls():
    """What was written on a sheet before it is replayed (a card's info) is part of what it is replayed on: the same
    calls replay it; another call before (here the first row of another height) writes it."""
    def book(before: float) -> tuple[bytes, int]:
        wb = ScorecardWorkbook(io.BytesIO(), {"in_memory": True})
        styles = Styles(wb)
        ws = wb.add_worksheet("a")
        ws.write_string(0, 0, "前", styles.get("text"))
        ws.set_row(0, before)
        hits = stamp.stats()["replay_hits"]
        replay.replayed(ws, styles, ("a test sheet",), lambda ws: ws.merge_range(5, 0, 5, 3, "标题", styles.get("title_left")))
        wb.close()
        return wb.filename.getvalue(), stamp.stats()["replay_hits"] - hits

    stamp.clear()
    assert book(20)[1] == 0 and book(20)[1] == 1
    other, hits = book(30)
    assert hits == 0
    stamp.clear()
    assert other == book(30)[0]


@pytest.mark.parametrize("then", [
    Person("E2", "王芳", "销售二部", "销售代表", "赵六", "sales_supervisor", bonus_base=9000),  # the pay the form shows
    Person("E2", "王芳", "华东区销售二部大客户事业群", "销售代表", "赵六", "sales_supervisor", bonus_base=6000),  # info higher
], ids=["bonus-base", "taller-info"])
def test_a_print_form_whose_card_shows_other_values_is_written_for_its_person(tmp_path, then):
    """The print form shows the card's cells with their cached values: it is replayed only when every cell of the card
    it reads shows what it showed when the form was recorded (here the pay, from another bonus base), and only after
    the same title and info (a taller row of the person's info)."""
    spec = _spec("sales_supervisor")
    zhang = dataclasses.replace(ZHANG, template="sales_supervisor")
    after, alone, names = _replayed_sheets(tmp_path, spec, zhang, then)
    assert after == alone
    assert FORM_SHEET["zh"] not in names and CARD not in names


def test_the_methods_that_leave_a_replayed_sheets_state_deferred_touch_none_of_it():
    """Each method of :data:`deferred.UNTOUCHED` (called on a replayed sheet without setting its deferred state)
    neither reads nor changes a deferred attribute, nor calls a method of the sheet that does — in XlsxWriter's
    source and ours; and each reader that sets only some attributes reads no others."""
    import inspect
    import re

    from xl_kpi.workbook.book import PortableWorksheet
    from xl_kpi.workbook.deferred import DEFERRED, READERS, UNTOUCHED

    attrs = re.compile(r"self\.(" + "|".join(DEFERRED) + r")\b")
    calls = re.compile(r"self\.(\w+)\(")

    def touched(name: str, seen: set[str]) -> set[str]:
        if name in seen:
            return set()
        seen.add(name)
        out: set[str] = set()
        for cls in PortableWorksheet.__mro__:  # every definition of the method: ours wrap XlsxWriter's
            member = vars(cls).get(name)
            while member is not None and inspect.isfunction(member):
                source = inspect.getsource(member)
                out |= set(attrs.findall(source))
                for called in calls.findall(source):
                    out |= touched(called, seen)
                member = getattr(member, "__wrapped__", None)
        return out

    assert {name: touched(name, set()) for name in UNTOUCHED} == {name: set() for name in UNTOUCHED}
    for reader, names in READERS.items():
        if names is not None:
            assert touched(reader, set()) <= names, reader
    assert touched("set_row", set()) >= {"row_sizes"} and touched("_position_object_pixels", set()) == {"col_info", "row_sizes"}


@pytest.mark.libreoffice
def test_a_replayed_practice_card_and_its_form_recalculate_in_libreoffice_to_their_cached_values(tmp_path):
    """The third person's practice workbook of a build (card and print form replayed but their info): LibreOffice
    recalculates every formula of both sheets to the value the workbook carries (the form shows what the card shows)."""
    import openpyxl

    from xl_kpi.office.libreoffice import convert

    spec = _spec("sales_supervisor")
    people = [Person(f"E{k}", name, "销售一部", "销售主管", "李四", "sales_supervisor", bonus_base=6000)
              for k, name in enumerate(("张三", "王芳", "刘洋"))]
    stamp.clear()
    for person in people[:2]:
        build_bytes(tmp_path, person.employee_id, spec, person)
    before = stamp.stats()["replay_hits"]
    third = tmp_path / "third.xlsx"
    third.write_bytes(build_bytes(tmp_path, "E2", spec, people[2]))
    assert stamp.stats()["replay_hits"] - before == 5
    recalculated = convert([third], tmp_path / "recalc", to="xlsx")[0]
    formulas, cached, fresh = (openpyxl.load_workbook(p, data_only=d) for p, d in ((third, False), (third, True), (recalculated, True)))
    checked = 0
    for name in (CARD, FORM_SHEET["zh"]):
        for row in formulas[name].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    want, got = cached[name][cell.coordinate].value, fresh[name][cell.coordinate].value
                    want, got = ("" if want is None else want), ("" if got is None else got)
                    if isinstance(want, float) or isinstance(got, float):
                        assert got == pytest.approx(want, abs=1e-9), (name, cell.coordinate, cell.value)
                    else:
                        assert got == want, (name, cell.coordinate, cell.value)
                    checked += 1
    assert checked > 100 and fresh[FORM_SHEET["zh"]]["B2"].value == "刘洋"
