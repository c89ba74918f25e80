"""Stamped parts (issue 32): a workbook whose sheets and parts are taken from the workbook built before it is the
same file, byte for byte, as the one XlsxWriter writes in full — and a person whose values change a part gets the
part written for them, never the one stamped from the person before."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
import yaml
from xlsxwriter.workbook import Workbook

import xl_kpi
from xl_kpi.api import bundled_templates, load_spec
from xl_kpi.goals.issue import build_goals
from xl_kpi.spec.model import Person, Spec
from xl_kpi.workbook import BuildOptions, build_department_workbook, stamp
from xl_kpi.workbook.book import ScorecardWorkbook
from xl_kpi.workbook.print_form import needs_print_form
from xl_kpi.workbook.styles import Styles

from .rating_cases import SPEC_360, team_people
from .returned import SEED
from .stamped_builds import Noon, build_bytes
from .zipedit import built_parts

TEXTS = ("goal_review", "key_actions", "results", "gaps", "comment")
ZHANG = Person("E1", "张三", "销售一部", "销售代表", "李四", "sales_rep", bonus_base=6000)
WANG = Person("E2", "王芳", "销售二部", "销售代表", "赵六", "sales_rep", bonus_base=6000)  # same lengths: every sheet stamped


def _stamped_and_written(tmp: Path, first: tuple[Spec, Person], then: tuple[Spec, Person],
                         options: BuildOptions = BuildOptions()) -> tuple[bytes, bytes, dict[str, int]]:
    """``then``'s workbook built right after ``first``'s (stamps at hand), and built alone (nothing to stamp)."""
    stamp.clear()
    build_bytes(tmp, "first", *first, options)
    stamped = build_bytes(tmp, "stamped", *then, options)
    counts = stamp.stats()
    stamp.clear()
    written = build_bytes(tmp, "written", *then, options)
    assert stamp.stats()["sheet_hits"] == 0
    return stamped, written, counts


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _spec(name: str) -> Spec:
    return load_spec(bundled_templates() / f"{name}.yaml")


@pytest.mark.parametrize("template", sorted(p.stem for p in bundled_templates().glob("*.yaml")))
def test_every_template_stamped_for_the_next_person_is_the_file_written_in_full(tmp_path, template):
    spec = _spec(template)
    options = BuildOptions(actuals={p.employee_id: {"bonus_base": 6000} for p in (ZHANG, WANG)})
    stamped, written, counts = _stamped_and_written(tmp_path, (spec, ZHANG), (spec, WANG), options)
    assert stamped == written
    assert counts["sheet_hits"] >= 3 and counts["part_hits"] >= 8  # the proof is about stamped parts, not a cache that missed
    # the ledger, the plan and the instructions replayed, not written again, and the print form but its title and info
    assert counts["replay_hits"] == 3 + needs_print_form(spec)


@pytest.mark.parametrize("variant", ["udf", "locked", "separate", "en"])
def test_the_variants_stamped_are_the_files_written_in_full(tmp_path, variant):
    spec = _spec("sales_supervisor")
    options = {"udf": BuildOptions(formulas="udf"), "locked": BuildOptions(password="pw", reviewer_password="rv"),
               "separate": BuildOptions(ratings="separate"), "en": BuildOptions(lang="en")}[variant]
    stamped, written, counts = _stamped_and_written(tmp_path, (spec, ZHANG), (spec, WANG), options)
    assert stamped == written
    assert counts["sheet_hits"] >= 3 and counts["replay_hits"] == 5  # the card and its print form (but the info) too


def _card(data: bytes) -> bytes:
    return _parts(data)["xl/worksheets/sheet1.xml"]


def test_a_longer_department_name_gets_its_own_row_height_not_the_stamped_one(tmp_path):
    spec = _spec("sales_rep")
    longer = Person("E2", "王芳", "华东区销售二部大客户事业群", "销售代表", "赵六", "sales_rep", bonus_base=6000)
    stamped, written, _ = _stamped_and_written(tmp_path, (spec, ZHANG), (spec, longer))
    assert stamped == written
    first = build_bytes(tmp_path, "zhang", spec, ZHANG)
    assert _card(first) != _card(written)  # the info row is higher: the card cannot be Zhang's


def test_a_name_equal_to_a_label_shifts_the_shared_strings_and_is_written_for_its_person(tmp_path):
    spec = _spec("sales_rep")
    label = Person("E2", "销售代表", "销售二部", "销售代表", "赵六", "sales_rep", bonus_base=6000)  # one string fewer
    stamped, written, _ = _stamped_and_written(tmp_path, (spec, ZHANG), (spec, label))
    assert stamped == written
    assert _card(build_bytes(tmp_path, "zhang", spec, ZHANG)) != _card(written)


def test_a_different_bonus_base_is_written_not_stamped(tmp_path):
    spec = _spec("sales_supervisor")
    richer = Person("E2", "王芳", "销售二部", "销售代表", "赵六", "sales_supervisor", bonus_base=9000)
    zhang = Person("E1", "张三", "销售一部", "销售代表", "李四", "sales_supervisor", bonus_base=6000)
    stamped, written, _ = _stamped_and_written(tmp_path, (spec, zhang), (spec, richer))
    assert stamped == written
    assert b"9000" in _card(written) and _card(build_bytes(tmp_path, "zhang", spec, zhang)) != _card(written)


def test_other_grade_thresholds_of_another_role_are_written_not_stamped(tmp_path):
    sales = yaml.safe_load((bundled_templates() / "sales_rep.yaml").read_text(encoding="utf-8"))
    sales["grades"][1]["min"] = 85  # 良好 from 85 in this role, the same card otherwise
    path = tmp_path / "sales_strict.yaml"
    path.write_text(yaml.safe_dump({**sales, "id": "sales_strict"}, allow_unicode=True), encoding="utf-8")
    strict = load_spec(path)
    person = Person("E2", "王芳", "销售二部", "销售代表", "赵六", "sales_strict", bonus_base=6000)
    options = BuildOptions(actuals={"E1": SEED, "E2": SEED})
    stamped, written, _ = _stamped_and_written(tmp_path, (_spec("sales_rep"), ZHANG), (strict, person), options)
    assert stamped == written
    assert _card(build_bytes(tmp_path, "zhang", _spec("sales_rep"), ZHANG, options)) != _card(written)


def test_the_zip_is_written_as_xlsxwriter_writes_it(tmp_path):
    """Our zip writer (a part deflated once, its bytes reused) against XlsxWriter's own ``_store_workbook``."""
    spec = _spec("sales_rep")
    stamp.clear()
    build_bytes(tmp_path, "first", spec, ZHANG)
    ours = build_bytes(tmp_path, "ours", spec, WANG)
    assert stamp.stats()["part_hits"] >= 8
    with mock.patch.object(ScorecardWorkbook, "_store_workbook", Workbook._store_workbook):
        theirs = build_bytes(tmp_path, "theirs", spec, WANG)
    assert ours == theirs


def test_a_sheet_with_a_format_not_made_by_styles_is_never_stamped():
    """A format is compared by the Styles name it was made from; one made otherwise equals no format of another
    workbook, so its sheet never matches a sheet written before."""
    keys = []
    for _ in range(2):
        wb = ScorecardWorkbook(io.BytesIO(), {"in_memory": True})
        styled, other = wb.add_worksheet("a"), wb.add_worksheet("b")
        styled.write_string(0, 0, "x", Styles(wb).get("text"))
        other.write_string(0, 0, "x", wb.add_format({"bold": True}))
        keys.append((styled.stamp_key(), other.stamp_key()))
        wb.close()
    assert keys[0][0] == keys[1][0] and keys[0][1] != keys[1][1]


def test_a_text_is_recorded_as_its_shared_string_index():
    """Two sheets whose texts sit at the same indices record the same; a text that is already in the strings does not."""
    wb = ScorecardWorkbook(io.BytesIO(), {"in_memory": True})
    a, b, c = (wb.add_worksheet(n) for n in "abc")
    a.write_string(0, 0, "张三")
    b.write_string(0, 0, "王芳")
    c.write_string(0, 0, "张三")
    assert a.stamp_log == [("write_string", 0, 0, stamp.TEXT, ()), 0]
    assert b.stamp_log == [("write_string", 0, 0, stamp.TEXT, ()), 1]
    assert c.stamp_log == a.stamp_log  # same index: the same XML (a's and c's cell both read string 0)
    wb.close()


def test_the_zip_writer_finds_the_zipfile_internals_it_writes_through():
    with zipfile.ZipFile(io.BytesIO(), "w", zipfile.ZIP_DEFLATED) as zf:
        assert [n for n in ("_seekable", "_lock", "_didModify", "start_dir", "fp", "filelist", "NameToInfo") if not hasattr(zf, n)] == []


def test_a_format_copied_from_one_made_before_is_the_format_xlsxwriter_makes():
    """ScorecardWorkbook.add_format copies the state of a format of the same properties made before; XlsxWriter's
    own Format of those properties has the same attributes, linked to this workbook's numbering."""
    props = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "num_format": "0.0%", "locked": False}
    ScorecardWorkbook(io.BytesIO(), {"in_memory": True}).add_format(props)
    wb = ScorecardWorkbook(io.BytesIO(), {"in_memory": True})
    copied, made = wb.add_format(props), Workbook.add_format(wb, props)
    assert copied is not made and any(f is copied for f in wb.formats)
    links = ("xf_format_indices", "dxf_format_indices", "bg_color", "stamp_keys")  # stamp_keys: the keys it shares
    assert {k: v for k, v in vars(copied).items() if k not in links} == {k: v for k, v in vars(made).items() if k not in links}
    assert copied.xf_format_indices is wb.xf_format_indices and copied.dxf_format_indices is wb.dxf_format_indices
    assert copied._get_format_key() == made._get_format_key()


def _twice_and_in_full(tmp: Path, build: Callable[[Path], object]) -> tuple[dict[str, bytes], dict[str, bytes], dict[str, int]]:
    """A build run after the same build (every part at hand to stamp), and run with nothing stamped."""
    with mock.patch("xlsxwriter.core.datetime", Noon):
        build(tmp / "warm-up")
        build(tmp / "stamped")
        counts = stamp.stats()
        with stamp.disabled():
            build(tmp / "written")
    return _untimed(built_parts(tmp / "stamped")), _untimed(built_parts(tmp / "written")), counts


def _untimed(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The time a goals workbook records it was generated (its metadata's ``generated``) masked: two builds differ in it."""
    return {n: re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", b"time", v) for n, v in parts.items()}


def test_the_raters_workbooks_stamped_are_the_files_written_in_full(tmp_path):
    """Ratings issued separately: the employees' workbooks and each supervisor's, reviewer's and peer's own."""
    people = team_people()
    stamped, written, counts = _twice_and_in_full(tmp_path, lambda out: xl_kpi.build(SPEC_360, people, out, ratings="separate"))
    assert stamped.keys() == written.keys() and [n for n in stamped if stamped[n] != written[n]] == []
    books = {n.split(".xlsx/")[0] for n in stamped}
    assert len(books) > len(people) and counts["sheet_hits"] > 0  # the raters' own workbooks are among them


def test_the_goals_workbooks_stamped_are_the_files_written_in_full(tmp_path):
    people = team_people()[:6]
    stamped, written, counts = _twice_and_in_full(tmp_path, lambda out: build_goals(
        {"sales_360": SPEC_360}, people, out))
    assert stamped.keys() == written.keys() and [n for n in stamped if stamped[n] != written[n]] == []
    assert counts["part_hits"] > 0


def test_cards_that_never_match_stop_being_recorded_and_are_still_the_files_written_in_full(tmp_path):
    """Cards pre-filled with each person's own review texts (row heights of their own) never match the card before:
    after a few, they are written as always without recording their calls; every workbook is still the same file."""
    spec = _spec("sales_rep")
    people = [Person(f"E{k}", f"员工{k}", "销售一部", "销售代表", "李四", "sales_rep", bonus_base=6000) for k in range(12)]
    texts = {p.employee_id: {key: "拜访客户,整理回款计划。" * 6 * (k + 1) for key in TEXTS}
             for k, p in enumerate(people)}  # a line or more longer each
    options = BuildOptions(texts=texts)
    stamped = [build_bytes(tmp_path, f"s{k}", spec, p, options) for k, p in enumerate(people)]
    # the first workbook's ledger, plan, instructions and metadata, and the first cards: the later cards were not recorded
    assert stamp.stats()["sheet_misses"] == 4 + stamp.MISSES_BEFORE_PAUSE
    with stamp.disabled():
        written = [build_bytes(tmp_path, f"w{k}", spec, p, options) for k, p in enumerate(people)]
    assert stamped == written


def test_a_department_workbook_of_many_people_is_the_file_written_in_full(tmp_path):
    """Past its first sheets a department's workbook is not recorded (each card is named for its person: it never
    matches a sheet before); the sheets that are still come out as written in full."""
    spec = _spec("sales_rep")
    members = [(Person(f"E{k}", f"员工{k}", "销售一部", "销售代表", "李四", "sales_rep", bonus_base=6000), spec) for k in range(20)]
    stamped, written, counts = _twice_and_in_full(
        tmp_path, lambda out: build_department_workbook(out / "销售一部.xlsx", "销售一部", members))
    assert stamped == written and counts["sheet_hits"] > 0
    assert counts["sheet_hits"] + counts["sheet_misses"] < 2 * len(members)  # the later cards were not recorded


def test_a_formats_keys_are_computed_from_the_attributes_that_drop_them_when_changed():
    """A copied format shares the keys XlsxWriter computes (``NamedFormat``): every attribute they are computed from is
    one whose change drops them; a format changed after it was made gets its own keys, as XlsxWriter computes them."""
    import inspect

    from xlsxwriter.format import Format

    from xl_kpi.workbook.stamp_record import KEYED

    read = set()
    for name in ("_get_format_key", "_get_font_key", "_get_border_key", "_get_fill_key", "_get_alignment_key"):
        read |= set(re.findall(r"self\.(\w+)", inspect.getsource(getattr(Format, name))))
    assert {a for a in read if not a.startswith("_")} == KEYED
    wb = ScorecardWorkbook(io.BytesIO(), {"in_memory": True})
    first, copy, changed = (wb.add_format({"bold": True, "border": 1}) for _ in range(3))
    changed.set_italic()
    assert copy._get_format_key() == first._get_format_key() == Format({"bold": True, "border": 1, **wb.default_format_properties})._get_format_key()
    assert changed._get_format_key() == Format({"bold": True, "border": 1, "italic": True, **wb.default_format_properties})._get_format_key()
    assert changed._get_font_key() != first._get_font_key() and copy.__dict__["stamp_keys"] is first.__dict__["stamp_keys"]
