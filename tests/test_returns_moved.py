"""Returns as people really produce them: sheets renamed, rows inserted, rows sorted, a value in
the sheet's last cell, saves that never recalculated, values outside an indicator's range, zip
archives from Chinese Windows. Each is read right and reported once, for what it is — while the
good return beside it is scored exactly and no input file changes."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from xl_kpi.consolidation import consolidate
from xl_kpi.consolidation.inputs import discover
from xl_kpi.scoring.engine import score_card
from xl_kpi.spec.model import Person

from . import excel_edits as edit
from .conftest import SALES_CELLS as C
from .returned import GOOD, SEED, VICTIM
from .returned import digests as _digests
from .returned import make_return as _return

SHEET_NAME = "KPI考核表"
ROWS = [int(re.sub(r"\D", "", C["actual"][k])) for k in SEED]  # the KPI rows, 8..11


def _victim(d: Path, specs, actuals=None) -> Path:
    return _return(specs, d, VICTIM, actuals)


def renamed_sheet(d, specs):
    edit.rename_sheet(_victim(d, specs), SHEET_NAME, "王测的考核")


def row_inserted_above_table(d, specs):
    edit.insert_rows(_victim(d, specs), at=2, n=2)


def row_inserted_inside_table(d, specs):
    edit.insert_rows(_victim(d, specs), at=ROWS[2])  # a blank row between two indicators; the SUM widens


def column_inserted(d, specs):
    edit.insert_columns(_victim(d, specs), at="C")


def rows_sorted(d, specs):
    edit.sort_rows(_victim(d, specs), ROWS, [ROWS[2], ROWS[0], ROWS[3], ROWS[1]], last_col="T")


def rows_sorted_table_only(d, specs):
    """Only the visible table sorted (A:L selected): the scoring parameters beside it stay where they were."""
    edit.sort_rows(_victim(d, specs), ROWS, [ROWS[3], ROWS[2], ROWS[1], ROWS[0]], last_col="L")


def far_cell_last_of_sheet(d, specs):
    edit.far_cell(_victim(d, specs), "XFD1048576")


def far_cell_last_row(d, specs):
    edit.far_cell(_victim(d, specs), "AZ1048576", "备注")


def never_recalculated(d, specs):
    edit.strip_cached_values(_victim(d, specs))


# (maker, the finding it must give, its severity); the victim must still total 80 and be ok
READ_RIGHT = [
    (renamed_sheet, "sheet-renamed"), (row_inserted_above_table, "layout-moved"), (row_inserted_inside_table, "layout-moved"),
    (column_inserted, "layout-moved"), (rows_sorted, "rows-sorted"), (rows_sorted_table_only, "rows-sorted"),
    (far_cell_last_of_sheet, None),
    (far_cell_last_row, None), (never_recalculated, "not-recalculated"),
]


def _run(tmp_path: Path, specs, make):
    returns = tmp_path / "returns"
    returns.mkdir()
    _return(specs, returns, GOOD)
    make(returns, specs)
    before = _digests(returns)
    result, paths = consolidate([returns], tmp_path / "out", specs, workers=1)
    assert _digests(returns) == before  # inputs are never written to
    good = [r for r in result.records if r.employee_id == GOOD.employee_id]
    assert len(good) == 1 and good[0].total == 80 and good[0].status == "ok"
    assert not [i for i in result.issues if i.employee_id == GOOD.employee_id]
    return result, paths


@pytest.mark.parametrize(("make", "code"), READ_RIGHT, ids=[m.__name__ for m, _ in READ_RIGHT])
def test_an_edited_return_is_read_right_and_reported_once(tmp_path, specs, make, code):
    result, paths = _run(tmp_path, specs, make)
    (victim,) = [r for r in result.records if r.employee_id == VICTIM.employee_id]
    assert victim.total == 80 and victim.grade == "良好" and victim.status == "ok", [i.row("en") for i in result.issues]
    mine = [i for i in result.issues if i.employee_id == VICTIM.employee_id or i.file == victim.file]
    assert [(i.code, i.severity) for i in mine] == ([(code, "info")] if code else []), [i.row("en")["message"] for i in mine]
    assert "cached-mismatch" not in {i.code for i in result.issues}


def test_an_inserted_row_names_where_the_table_went(tmp_path, specs):
    result, _ = _run(tmp_path, specs, row_inserted_above_table)
    (moved,) = [i for i in result.issues if i.code == "layout-moved"]
    message = moved.row("zh")["message"]
    assert "2" in message and ("行" in message), message


def test_a_return_from_a_version_without_every_name_is_still_placed(tmp_path, specs):
    """Workbooks issued before the info, target, grade and review names existed: the names they have place them."""
    def older(d, specs):
        path = _victim(d, specs)
        edit.drop_names(path, ("KPI_INFO_", "KPI_TARGET_", "KPI_WEIGHT_", "KPI_GRADE_MIN_", "KPI_COMMENT", "KPI_REVIEW_"))
        edit.insert_rows(path, at=2)

    result, _ = _run(tmp_path, specs, older)
    (victim,) = [r for r in result.records if r.employee_id == VICTIM.employee_id]
    assert (victim.total, victim.status) == (80, "ok")
    assert [i.code for i in result.issues] == ["layout-moved"]


def test_a_repointed_name_is_tampering_not_a_move(tmp_path, specs):
    def repointed(d, specs):
        edit.repoint_name(_victim(d, specs), "KPI_ACTUAL_SALES_RATE", "H9")

    result, _ = _run(tmp_path, specs, repointed)
    (victim,) = [r for r in result.records if r.employee_id == VICTIM.employee_id]
    codes = {i.code: i for i in result.issues if i.file == victim.file}
    assert "name-repointed" in codes and codes["name-repointed"].severity == "error"
    assert victim.status == "tampered"


@pytest.mark.parametrize(("actuals", "indicator"), [(dict(SEED, new_customers=-3), "new_customers"),
                                                    (dict(SEED, sales_rate=-0.2), "sales_rate")])
def test_an_actual_outside_its_range_is_an_error_and_never_scored(tmp_path, specs, actuals, indicator):
    result, _ = _run(tmp_path, specs, lambda d, s: _victim(d, s, actuals))
    (victim,) = [r for r in result.records if r.employee_id == VICTIM.employee_id]
    (found,) = [i for i in result.issues if i.file == victim.file]
    assert (found.code, found.severity) == ("out-of-range", "error")
    assert victim.status == "invalid" and victim.actuals[indicator] is None


def test_negative_errors_on_a_deduction_indicator_never_score_above_its_start(tmp_path, specs):
    service = specs["customer_service"]
    person = Person("E300", "赵服", "客服部", "客服专员", "钱五", "customer_service")
    returns = tmp_path / "returns"
    returns.mkdir()
    from xl_kpi.workbook import BuildOptions, build_employee_workbook

    good = {"response_time": 9, "complaint_rate": 0.01, "satisfaction": 4.9, "valid_complaints": 1}
    build_employee_workbook(returns / "bad.xlsx", service, person, BuildOptions(actuals={"E300": dict(good, valid_complaints=-3)}))
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1)
    (record,) = result.records
    assert record.status == "invalid" and record.actuals["valid_complaints"] is None
    assert {i.code for i in result.issues} == {"out-of-range"}
    assert record.total is None or record.total <= score_card(service, good).total


def _zip_with_raw_names(path: Path, members: dict[bytes, bytes]) -> Path:
    """An archive whose names are raw bytes without the UTF-8 flag, as Windows in Chinese (GBK)
    or an old zip tool (CP437) writes them."""
    placeholders = {f"{i:0{len(raw) - 5}d}.xlsx".encode(): raw for i, raw in enumerate(members)}
    with zipfile.ZipFile(path, "w") as zf:
        for (ph, raw), data in zip(placeholders.items(), members.values(), strict=True):
            assert len(ph) == len(raw)
            zf.writestr(ph.decode(), data)
    blob = path.read_bytes()
    for ph, raw in placeholders.items():
        assert blob.count(ph) == 2  # local header and central directory
        blob = blob.replace(ph, raw)
    path.write_bytes(blob)
    return path


def test_zip_names_are_shown_as_the_archive_wrote_them(tmp_path, specs):
    src = tmp_path / "src"
    src.mkdir()
    a = _return(specs, src, GOOD).read_bytes()
    b = _return(specs, src, VICTIM, dict(SEED, sales_rate=1.2)).read_bytes()
    gbk, cp437, utf8 = "销售一部_李好.xlsx", "Müller_Straße.xlsx", "王测.xlsx"
    archive = _zip_with_raw_names(tmp_path / "returns.zip", {gbk.encode("gbk"): a, cp437.encode("cp437"): b})
    labels = sorted(s.display.split("!", 1)[1] for s in discover([archive]))
    assert labels == sorted([gbk, cp437])
    flagged = tmp_path / "utf8.zip"
    with zipfile.ZipFile(flagged, "w") as zf:
        zf.writestr(utf8, b)
    unflagged = _zip_with_raw_names(tmp_path / "linux.zip", {utf8.encode("utf-8"): a})
    assert [s.display.split("!", 1)[1] for s in discover([flagged, unflagged])] == [utf8, utf8]

    before = _digests(tmp_path)
    result, paths = consolidate([archive], tmp_path / "out", specs, workers=1)
    assert {r.file for r in result.records} == {f"{archive}!{gbk}", f"{archive}!{cp437}"}
    assert {r.employee_id: r.total for r in result.records} == {"E100": 80, "E200": score_card(specs["sales_rep"], dict(SEED, sales_rate=1.2)).total}
    scores = paths["scores"].read_text(encoding="utf-8-sig")
    assert gbk in scores and cp437 in scores
    assert all(_digests(tmp_path)[k] == v for k, v in before.items())


def test_a_renamed_sheet_in_a_renamed_copy_is_still_its_person(tmp_path, specs):
    """Renamed sheet and renamed file together: the person is found by the id in the metadata."""
    returns = tmp_path / "returns"
    returns.mkdir()
    path = _return(specs, returns, VICTIM)
    edit.rename_sheet(path, SHEET_NAME, "Sheet1")
    shutil.move(path, returns / "最终版(2).xlsx")
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1)
    (record,) = result.records
    assert (record.employee_id, record.total, record.status) == ("E200", 80, "ok")
