"""HR's own KPI tables in, specs out (``xl-kpi import``), and specs as workbooks HR edits
(``xl-kpi export-spec``) that read back to the same spec."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import openpyxl
import pytest
import yaml

import xl_kpi
from xl_kpi.authoring import export_spec, import_tables
from xl_kpi.cli import run
from xl_kpi.core.errors import SpecError
from xl_kpi.office.libreoffice import convert
from xl_kpi.scoring.engine import grade_for, score_card
from xl_kpi.spec.loading import load_specs
from xl_kpi.spec.model import Person
from xl_kpi.spec.rules import parse_spec

from .conftest import TEMPLATES
from .import_corpus import CORPUS, REFUSED, SEED_ACTUALS, SEED_EXAMPLE, SEED_STANDARDS, Sheet, Table
from .oracle import ALL_METHODS


def _one(path: Path):
    imported, problems = import_tables([path])
    errors = [p.render("en") for p in problems if p.severity == "error"]
    assert not errors, errors
    return imported


def _scoring_fields(ind) -> dict:
    sc = ind.scoring
    out = {"method": sc.method, "target": ind.target, "weight": ind.weight, "unit": ind.unit, "direction": ind.direction,
           "section": ind.section, "raters": ind.raters}
    if sc.method == "bands":
        out |= {"bands": [[t, s] for t, s in zip(sc.thresholds, sc.scores)], "otherwise": sc.otherwise, "relative": sc.relative}
    elif sc.method == "rating":
        out["labels"] = [lv.label for lv in sc.levels]
    else:
        out |= {k: getattr(sc, k) for k in ("cap", "floor", "per_unit", "step", "above", "below", "start") if hasattr(sc, k)}
    return out


@pytest.mark.parametrize("table", CORPUS, ids=lambda t: t.name)
def test_each_corpus_table_imports_to_the_expected_spec(table, tmp_path):
    imported = _one(table.write(tmp_path))
    by_id = {item.spec.id: item for item in imported}
    for sid, expected in table.expect.items():
        item = by_id[sid] if sid != "*" else imported[0]
        spec = item.spec
        for key, want in expected.items():
            if key == "_spec":
                assert {k: getattr(spec, k) for k in want} == want
            elif key == "_sections":
                assert {s.id: s.weight for s in spec.sections} == pytest.approx(want)
            elif key == "_raters":
                assert {r.id: r.weight for r in spec.raters} == want
            elif key == "_grades":
                assert [(g.label, g.min, g.coefficient) for g in spec.grades] == want
            elif key == "_adjustments":
                assert [(i.name, i.points, i.max) for i in spec.adjustments.items] == want
            elif key == "_veto":
                assert [v.name for v in spec.veto] == want
            else:
                got = _scoring_fields(spec.indicator(key))
                assert {k: got[k] for k in want} == pytest.approx(want) if all(
                    isinstance(v, (int, float)) for v in want.values()) else {k: got[k] for k in want} == want, key
        # the YAML written says exactly what was imported, and `check` accepts it
        again, problems = parse_spec(yaml.safe_load(item.yaml), "again.yaml")
        assert again is not None, [p.render("en") for p in problems]
        assert again.canonical() == spec.canonical()


def test_the_seed_example_table_scores_the_seed_example(tmp_path):
    """The worked example as printed: 105% / 11个 / 32% / 95% → 80 each → 80 → 良好."""
    (item,) = _one(SEED_EXAMPLE.write(tmp_path))
    spec = item.spec
    result = score_card(spec, SEED_ACTUALS)
    assert list(result.scores.values()) == [80, 80, 80, 80]
    assert (result.total, result.grade.label) == (80, "良好")
    assert [ind.weight for ind in spec.indicators] == [0.4, 0.25, 0.2, 0.15]


def test_the_seed_standards_table_scores_80_on_its_80_bands(tmp_path):
    (item,) = _one(SEED_STANDARDS.write(tmp_path))
    ids = [ind.id for ind in item.spec.indicators]
    result = score_card(item.spec, dict(zip(ids, [1.05, 92, 11, 0.97])))
    assert (list(result.scores.values()), result.total, result.grade.label) == ([80, 80, 80, 80], 80, "良好")
    assert score_card(item.spec, dict(zip(ids, [1.1, 95, 12, 1.0]))).total == 100  # exactly on the top thresholds


@pytest.mark.libreoffice
def test_a_workbook_built_straight_from_the_seed_table_scores_80_in_libreoffice(tmp_path):
    table = SEED_EXAMPLE.write(tmp_path)
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name,department,position,manager,template\nE001,张三,销售一部,销售代表,李四,sales_rep\n",
                      encoding="utf-8")
    assert run(["build", str(table), "--roster", str(roster), "-o", str(tmp_path / "out")]) == 0
    (built,) = (tmp_path / "out").rglob("*.xlsx")
    wb = openpyxl.load_workbook(built)
    ws = wb.worksheets[0]
    for key, value in SEED_ACTUALS.items():
        ((sheet, cell),) = list(ws.defined_names[f"KPI_ACTUAL_{key.upper()}"].destinations)
        wb[sheet][cell.replace("$", "")].value = value
    wb.save(tmp_path / "filled.xlsx")
    (out,) = convert([tmp_path / "filled.xlsx"], tmp_path / "lo")
    recalculated = openpyxl.load_workbook(out, data_only=True)
    ((sheet, cell),) = list(recalculated.worksheets[0].defined_names["KPI_TOTAL"].destinations)
    assert recalculated[sheet][cell.replace("$", "")].value == 80
    ((sheet, cell),) = list(recalculated.worksheets[0].defined_names["KPI_GRADE"].destinations)
    assert recalculated[sheet][cell.replace("$", "")].value == "良好"


def test_every_corpus_role_builds_a_workbook(tmp_path):
    people = []
    specs = {}
    for table in CORPUS:
        for item in _one(table.write(tmp_path)):
            specs[item.spec.id + "_" + table.name] = item.spec
    for k, key in enumerate(specs):
        people.append(Person(f"E{k:03d}", f"员工{k}", "测试部", "", "", key, bonus_base=10000))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. XlsxWriter's "Can't merge single cell", which drops the label
        paths = xl_kpi.build(specs, people, tmp_path / "out")
    assert len(paths) == len(specs)
    for path in paths:
        assert openpyxl.load_workbook(path).sheetnames


@pytest.mark.parametrize("table", REFUSED, ids=lambda t: t.name)
def test_a_table_that_cannot_be_read_is_refused_naming_every_bad_cell(table, tmp_path, capsys):
    path = table.write(tmp_path)
    imported, problems = import_tables([path])
    errors = [p for p in problems if p.severity == "error"]
    assert not imported
    assert sorted(p.location for p in errors) == sorted(table.refuse)
    assert all(p.file == str(path) for p in errors)
    out = tmp_path / "specs"
    assert run(["import", str(path), "-o", str(out)]) == 1
    assert not out.exists()  # nothing half-imported
    out_text = capsys.readouterr().out  # with -o, the findings are the result: on stdout
    for cell in table.refuse:
        assert cell in out_text
    with pytest.raises(SpecError) as caught:
        xl_kpi.import_table(path)
    assert len(caught.value.findings) == len(table.refuse)


def test_refusals_quote_the_text_and_show_a_form_that_reads(tmp_path):
    gap = REFUSED[0].write(tmp_path)
    (problem,) = [p for p in import_tables([gap])[1] if p.severity == "error"]
    assert "100%-105%" in problem.message("zh") and "空档" in problem.message("zh")
    assert problem.hint is not None and "≥110%得100分" in problem.hint("zh")


def test_a_strict_boundary_is_read_as_reached_and_says_so(tmp_path):
    table = Table("strict.xlsx", [Sheet("表1", [["指标名称", "目标值", "权重", "评分标准"],
                                                ["销售额完成率", "100%", "100%", ">110%得100分;100%-110%得80分;<100%得0分"]])])
    imported, problems = import_tables([table.write(tmp_path)])
    (warning,) = [p for p in problems if p.code == "import-warning"]
    assert warning.location == "表1!D2" and "达到即得" in warning.message("zh")
    assert imported[0].spec.indicators[0].scoring.thresholds == (1.1, 1.0)


def test_import_cli_prints_writes_and_explains(tmp_path, capsys):
    seed = SEED_EXAMPLE.write(tmp_path)
    assert run(["import", str(seed)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# 销售代表岗季度KPI考核表") and "# 方向按评分标准推断" in printed
    assert run(["import", str(seed), "-o", str(tmp_path / "rep.yaml")]) == 0
    assert (tmp_path / "rep.yaml").read_text(encoding="utf-8") == printed
    assert run(["check", str(tmp_path / "rep.yaml")]) == 0
    two = [t for t in CORPUS if t.name == "销售部考核表.xlsx"][0].write(tmp_path)
    assert run(["import", str(two)]) == 2  # two roles: a folder is needed
    assert run(["import", str(two), "-o", str(tmp_path / "specs")]) == 0
    assert sorted(p.name for p in (tmp_path / "specs").iterdir()) == ["sales_assistant.yaml", "sales_rep.yaml"]
    capsys.readouterr()
    assert run(["import", str(seed), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["specs"][0]["id"] == "sales_rep"


def test_check_and_build_take_a_table_directly(tmp_path, capsys):
    seed = SEED_STANDARDS.write(tmp_path)
    assert run(["check", str(seed)]) == 0
    gap = REFUSED[0].write(tmp_path)
    assert run(["check", str(gap)]) == 1
    out = capsys.readouterr().out
    assert "表1!D2" in out and "UTF-8" not in out
    assert xl_kpi.check(gap)[0].code == "import-unreadable"
    assert xl_kpi.load_spec(seed).indicators[0].name == "销售额完成率"


def test_unreadable_files_are_named_and_nothing_is_written(tmp_path):
    noise = tmp_path / "noise.csv"
    noise.write_bytes(b"\xff\xfe\x00\x81" * 0 + bytes(range(128, 256)) * 4)
    _, problems = import_tables([noise])
    assert problems[0].code == "import-encoding" and problems[0].file == str(noise)
    assert run(["import", str(tmp_path / "missing.xlsx")]) == 2
    (tmp_path / "notes.docx").write_bytes(b"PK")
    assert run(["import", str(tmp_path / "notes.docx")]) == 2
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a workbook")
    assert run(["import", str(fake), "-o", str(tmp_path / "o")]) == 1
    assert not (tmp_path / "o").exists()


def test_ids_are_readable_and_stable_and_an_id_column_wins(tmp_path):
    first = _one(SEED_STANDARDS.write(tmp_path))[0].spec
    second = _one(SEED_STANDARDS.write(tmp_path))[0].spec
    assert [i.id for i in first.indicators] == [i.id for i in second.indicators] == [
        "sales_rate", "satisfaction", "new_customers", "on_time_collection"]
    table = Table("ids.csv", [Sheet("csv", [["标识", "指标名称", "目标值", "权重", "评分标准"],
                                           ["sales_rate", "销售额", "100%", "50%", "≥100%得100分;<100%得0分"],
                                           ["", "销售额", "100%", "50%", "≥100%得100分;<100%得0分"]])])
    spec = _one(table.write(tmp_path))[0].spec
    assert [i.id for i in spec.indicators] == ["sales_rate", "sales"]


def test_the_api_writes_yaml_when_asked(tmp_path):
    specs = xl_kpi.import_table(SEED_EXAMPLE.write(tmp_path), output=tmp_path / "out")
    assert list(specs) == ["sales_rep"]
    assert load_specs(tmp_path / "out")["sales_rep"].canonical() == specs["sales_rep"].canonical()


# --- spec → workbook → spec -------------------------------------------------------------------------
@pytest.mark.parametrize("spec", [*load_specs(TEMPLATES).values(), ALL_METHODS], ids=lambda s: s.id)
def test_a_spec_workbook_reads_back_to_the_same_spec(spec, tmp_path):
    path = export_spec(spec, tmp_path / f"{spec.id}.xlsx")
    (item,) = _one(path)
    assert item.spec.canonical() == spec.canonical()
    assert item.spec.hash == spec.hash  # workbooks issued from the original still match


def test_export_spec_cli_and_its_drop_downs(tmp_path):
    out = tmp_path / "role.xlsx"
    assert run(["export-spec", str(TEMPLATES / "sales_supervisor.yaml"), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["考核表", "等级", "维度", "评分人", "加减分", "否决项", "说明"]
    lists = [dv.formula1 for dv in wb["考核表"].data_validations.dataValidation if dv.type == "list"]
    assert '"越高越好 higher,越低越好 lower"' in lists and any("分档 bands" in f for f in lists)
    assert run(["export-spec", str(TEMPLATES / "sales_rep.yaml"), "-o", str(tmp_path / "x.csv")]) == 2


@pytest.mark.libreoffice
def test_xls_and_ods_tables_read_like_xlsx(tmp_path):
    """The same seed table saved by an office suite as .xls (Excel 97–2003) and .ods."""
    source = SEED_EXAMPLE.write(tmp_path)
    expected = _one(source)[0].spec.canonical()
    for suffix in ("xls", "ods"):
        (converted,) = convert([source], tmp_path / suffix, to=suffix)
        assert converted.suffix == f".{suffix}"
        assert _one(converted)[0].spec.canonical() == expected


@pytest.mark.parametrize("weights", [("30分", "30分", "20分", "20分"), ("30分", "30%", "20分", "20%")])
def test_weights_written_as_points_read_as_their_share_of_100(weights, tmp_path):
    rows = [["类别", "考核指标", "权重", "评分标准"],
            ["业绩指标", "回款完成率", weights[0], "≥110%得100分;100%-110%得80分;<100%得0分"],
            ["", "客户满意度", weights[1], "≥95%得100分;90%-95%得80分;<90%得0分"],
            ["过程指标", "投诉次数", weights[2], "每发生1次扣5分,扣完为止"],
            ["", "报表及时率", weights[3], "≥100%得100分;95%-100%得80分;<95%得0分"],
            ["合计", "", "100%", ""]]
    table = Table("points.xlsx", [Sheet("表1", rows, merges=[(1, 0, 2, 0), (3, 0, 4, 0)])])
    (imported,) = _one(table.write(tmp_path))
    assert [ind.weight for ind in imported.spec.indicators] == pytest.approx([0.3, 0.3, 0.2, 0.2])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_form_a_refusal_shows_reads_as_shown(lang):
    from xl_kpi.authoring.role import EXAMPLES, STANDARD_FORMS
    from xl_kpi.authoring.standards import read_rule
    from xl_kpi.methods.grammar import Context

    forms = [*STANDARD_FORMS(lang).split(" | "), EXAMPLES["standard"](lang)]
    for form in forms:
        read = [read_rule({"_standard": form}, Context(unit=unit, lang=lang), None) for unit in ("%", "次")
                if not ("%" in form) ^ (unit == "%")]
        assert read and read[0] is not None, form


def test_grades_in_whole_number_ranges_say_where_a_total_between_them_falls(tmp_path):
    rows = [["KPI", "Weightage", "Target", "Scoring"],
            ["Yearly Sales", "100%", 100000, "score = actual/target × 100, from 0 to 100"],
            [],
            ["Performance Category", "Score Range", "Preferred Action"],
            ["Outstanding", "91-100", "Increment With Promotion"], ["Superior", "81-90", "Increment"],
            ["Good", "71-80", "Increment"], ["Unsatisfactory", "1-70", "No Change"]]
    path = tmp_path / "appraisal.xlsx"
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    (item,) = _one(path)
    assert [(g.label, g.min) for g in item.spec.grades] == [("Outstanding", 91), ("Superior", 81), ("Good", 71), ("Unsatisfactory", 0)]
    assert "(such as 90.5) is in '81-90'" in item.yaml  # the inference, stated in the YAML (in the table's language)
    assert grade_for(90.5, item.spec.grades).label == "Superior" and grade_for(91, item.spec.grades).label == "Outstanding"
