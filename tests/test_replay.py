"""Sheets replayed (issue 32, fourth round): the ledger, plan and instructions of the next person are not written
again when everything they are written from is equal; the workbook is still the file written in full, byte for
byte — whether the replayed sheet's XML is then stamped or written from its replayed state — and a person whose
inputs differ gets their own sheet, written for them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from xl_kpi.api import bundled_templates, load_spec
from xl_kpi.spec.model import Person, Spec
from xl_kpi.workbook import BuildOptions, replay, stamp
from xl_kpi.workbook.book import ScorecardWorkbook
from xl_kpi.workbook.labels import label
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
    """With no XML at hand to stamp, the replayed ledger, plan and instructions are written from the state replayed:
    every cell, row, column, merged range, validation, conditional format, table and setting is the one writing
    them gives."""
    after, alone, counts = _after_and_alone(tmp_path, _spec(template), ZHANG, WANG, sheets_kept=False)
    assert counts["replay_hits"] == 3 and counts["sheet_hits"] == 0
    assert after == alone


@pytest.mark.parametrize("variant", ["en", "udf", "locked", "separate", "shares"])
def test_the_variants_replayed_are_the_files_written_in_full(tmp_path, variant):
    options = {"en": BuildOptions(lang="en"), "udf": BuildOptions(formulas="udf"), "locked": BuildOptions(password="pw"),
               "separate": BuildOptions(ratings="separate"), "shares": BuildOptions(plan_shares=(0.1, 0.2, 0.3, 0.4))}[variant]
    for kept in (True, False):
        after, alone, counts = _after_and_alone(tmp_path, _spec("sales_supervisor"), ZHANG, WANG, options, kept)
        assert after == alone and counts["replay_hits"] == 3


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
