"""Send back what is wrong: annotated copies of people's own returns, checked against a corpus of faulty returns.

The corpus (tests/faulty_returns.py) types mistakes into correctly filled workbooks and remembers which
cells it broke; the send-back never sees that. Each annotated copy must comment exactly those cells,
differ from the return only in the parts an annotation needs, be valid OOXML, recalculate in LibreOffice
to the return's own values, and — once its owner types the right values — consolidate with no problem.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator

import xl_kpi
from xl_kpi.followup.annotate import MARK_BORDER, MARK_FILL, Mark, SheetMarks, annotate
from xl_kpi.spec.model import Person

from .conftest import TEMPLATES
from .faulty_returns import correct, make_corpus, returned

TEMPLATE_CYCLE = ["sales_rep", "sales_rep_en", "sales_supervisor", "sales_supervisor_en"]
ANNOTATION_PARTS = {"[Content_Types].xml", "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/_rels/sheet1.xml.rels"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    specs = xl_kpi.load_templates(TEMPLATES)
    root = tmp_path_factory.mktemp("corpus")
    people = [Person(f"E{k:02d}", f"员工{k}", f"部门{k % 2}", "岗位", "王经理", TEMPLATE_CYCLE[k % 4], bonus_base=6000.0)
              for k in range(24)]
    cases, build = make_corpus(specs, root, people, seed=2026)
    cases = returned(cases, root / "returns")
    run = xl_kpi.sendback(root / "returns", root / "back", specs, people, issued=build / "issued.sqlite", workers=1)
    return specs, people, cases, build, run, root


def _comments(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if re.fullmatch(r"xl/comments\d+\.xml", n)]
        text = "".join(zf.read(n).decode() for n in names)
    return {m.group(1): re.sub(r"<[^>]+>", "", m.group(2))
            for m in re.finditer(r'<comment ref="([A-Z]+\d+)"[^>]*>(.*?)</comment>', text, re.S)}


def _styles(path: Path) -> tuple[list[str], list[str], list[str]]:
    with zipfile.ZipFile(path) as zf:
        styles = zf.read("xl/styles.xml").decode()
    xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", re.search(r"<cellXfs.*?</cellXfs>", styles, re.S).group(0), re.S)
    fills = re.findall(r"<fill>.*?</fill>", styles, re.S)
    borders = re.findall(r"<border>.*?</border>", styles, re.S)
    return xfs, fills, borders


def _style_of(path: Path, cell: str) -> int:
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    m = re.search(rf'<c r="{cell}"[^>]*?\ss="(\d+)"', sheet)
    return int(m.group(1)) if m else 0


def test_the_corpus_has_mistakes_of_every_kind(corpus):
    _, _, cases, _, _, _ = corpus
    faults = {fault for case in cases for fault in case.broken.values()}
    assert len([c for c in cases if c.broken]) >= 12 and len([c for c in cases if not c.broken]) >= 3
    assert faults >= {"blank", "words", "unknown-level", "half-a-complaint", "maybe-veto", "percent-as-text"}


def test_each_annotated_copy_comments_exactly_the_cells_the_person_got_wrong(corpus):
    _, _, cases, _, run, _ = corpus
    by_person = {item.employee_id: item for item in run.items}
    for case in cases:
        item = by_person.get(case.person.employee_id)
        if not case.broken:
            assert item is None, f"{case.person.employee_id} returned a correct card and is sent nothing"
            continue
        assert item.action == "fix" and item.attach is not None and item.attach.exists()
        comments = _comments(item.attach)
        assert set(comments) == set(case.broken), case.person.employee_id
        xfs, fills, borders = _styles(item.attach)
        for cell in case.broken:
            xf = xfs[_style_of(item.attach, cell)]
            fill = fills[int(re.search(r'fillId="(\d+)"', xf).group(1))]
            border = borders[int(re.search(r'borderId="(\d+)"', xf).group(1))]
            assert f"FF{MARK_FILL}" in fill and f"FF{MARK_BORDER}" in border, (case.person.employee_id, cell)


def test_comments_speak_the_workbooks_language_and_say_how_to_fix(corpus):
    _, _, cases, _, run, _ = corpus
    for item in run.items:
        case = next(c for c in cases if c.person.employee_id == item.employee_id)
        texts = _comments(item.attach).values()
        if case.spec.language == "zh":
            assert all("问题:" in t and "修改:" in t for t in texts), texts
        else:
            assert all("Problem: " in t and "To fix: " in t for t in texts), texts


def test_an_annotated_copy_differs_from_the_return_only_where_annotations_go(corpus):
    _, _, cases, _, run, _ = corpus
    for item in run.items:
        case = next(c for c in cases if c.person.employee_id == item.employee_id)
        with zipfile.ZipFile(case.path) as a, zipfile.ZipFile(item.attach) as b:
            before, after = set(a.namelist()), set(b.namelist())
            assert before <= after
            added = after - before
            assert {re.sub(r"\d+", "N", n) for n in added} == {"xl/commentsN.xml", "xl/drawings/vmlDrawingN.vml"}
            changed = {n for n in before if a.read(n) != b.read(n)}
            assert changed <= ANNOTATION_PARTS, changed
            assert b.namelist()[: len(before)] == a.namelist()  # the members keep their order
            # identity and protection as sent
            for part in before - ANNOTATION_PARTS:
                assert a.read(part) == b.read(part)
            sheet_a, sheet_b = a.read("xl/worksheets/sheet1.xml").decode(), b.read("xl/worksheets/sheet1.xml").decode()
            assert re.search(r"<sheetProtection[^>]*>", sheet_a).group(0) == re.search(r"<sheetProtection[^>]*>", sheet_b).group(0)


def test_annotated_copies_are_valid_ooxml(corpus):
    _, _, _, _, run, _ = corpus
    validator = OpenXmlValidator()
    for item in run.items:
        result = validator.validate(str(item.attach))
        assert result.is_valid, (item.attach.name, result.errors[:3])


def test_sendback_list_names_each_file_to_send(corpus):
    _, _, cases, _, run, root = corpus
    text = (root / "back" / "sendback.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("employee_id,name,department,manager,file")
    assert len(text.strip().splitlines()) == 1 + len([c for c in cases if c.broken])


def test_once_corrected_every_copy_consolidates_with_no_problem(corpus, tmp_path):
    specs, people, cases, build, run, _ = corpus
    folder = tmp_path / "corrected"
    folder.mkdir()
    fixed = []
    for item in run.items:
        case = next(c for c in cases if c.person.employee_id == item.employee_id)
        target = folder / item.attach.name
        target.write_bytes(item.attach.read_bytes())
        correct(case, target)
        fixed.append(item.employee_id)
    result = xl_kpi.consolidate(folder, tmp_path / "out", specs, issued=build / "issued.sqlite", workers=1)
    problems = [i for i in result.run.issues if i.severity != "info"]
    assert not problems, [i.render() for i in problems[:5]]
    assert {r.employee_id for r in result.run.records if r.status == "ok"} == set(fixed)


@pytest.mark.libreoffice
def test_annotated_copies_recalculate_in_libreoffice_to_the_returns_values(corpus, tmp_path):
    from python_calamine import CalamineWorkbook

    from xl_kpi.office.libreoffice import convert

    _, _, cases, _, run, _ = corpus
    items = run.items[:6]
    originals = [next(c for c in cases if c.person.employee_id == i.employee_id).path for i in items]
    before = convert(originals, tmp_path / "before")
    after = convert([i.attach for i in items], tmp_path / "after")
    for a, b in zip(before, after):
        wa, wb = CalamineWorkbook.from_path(str(a)), CalamineWorkbook.from_path(str(b))
        for name in wa.sheet_names:
            rows_a, rows_b = wa.get_sheet_by_name(name).to_python(), wb.get_sheet_by_name(name).to_python()
            if name == wa.sheet_names[0]:  # the note is the one cell an annotation writes: row 2
                rows_a = [r for k, r in enumerate(rows_a) if k != 1]
                rows_b = [r for k, r in enumerate(rows_b) if k != 1]
            assert rows_a == rows_b, (a.name, name)


def test_a_second_send_back_replaces_its_own_comments_and_note(tmp_path, corpus):
    _, _, cases, _, run, _ = corpus
    item = next(i for i in run.items if len(i.cells) >= 2)
    once = item.attach.read_bytes()
    again = annotate(once, [SheetMarks(item.sheet, (Mark(item.cells[0], "still wrong"),), note="【退回修改】1 处")])
    path = tmp_path / "again.xlsx"
    path.write_bytes(again)
    assert set(_comments(path)) == {item.cells[0]}
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("【退回修改】") == 1 and sheet.count("<legacyDrawing") == 1
    assert sheet.count('<mergeCell ref="A2:') == 1


def test_comments_written_by_others_are_kept(tmp_path):
    import xlsxwriter

    path = tmp_path / "theirs.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Sheet1")
    ws.write("B2", 5)
    ws.write_comment("D4", "mine, keep it", {"author": "Li"})
    wb.close()
    out = tmp_path / "out.xlsx"
    out.write_bytes(annotate(path.read_bytes(), [SheetMarks("Sheet1", (Mark("B2", "look here"),))]))
    comments = _comments(out)
    assert set(comments) == {"B2", "D4"} and "mine, keep it" in comments["D4"]
    assert OpenXmlValidator().validate(str(out)).is_valid


def test_an_annotated_copy_reads_exactly_as_the_return_it_annotates(corpus, tmp_path):
    specs, _, _, build, run, root = corpus
    copies = tmp_path / "copies"
    copies.mkdir()
    for item in run.items:
        (copies / item.attach.name).write_bytes(item.attach.read_bytes())
    sent = xl_kpi.consolidate(root / "returns", tmp_path / "a", specs, issued=build / "issued.sqlite", workers=1)
    annotated = xl_kpi.consolidate(copies, tmp_path / "b", specs, issued=build / "issued.sqlite", workers=1)
    people = {i.employee_id for i in run.items}
    seen = lambda result: sorted((i.employee_id, i.cell, i.code) for i in result.run.issues if i.employee_id in people)  # noqa: E731
    assert seen(annotated) == seen(sent)


@pytest.mark.libreoffice
def test_a_copy_saved_by_libreoffice_is_annotated_again_with_only_the_problems_left(corpus, tmp_path):
    from xl_kpi.office.libreoffice import convert

    _, _, _, _, run, _ = corpus
    item = next(i for i in run.items if len(i.cells) >= 2)
    (saved,) = convert([item.attach], tmp_path / "saved")  # the person opened and saved it in LibreOffice: authors dropped, strings shared
    again = annotate(saved.read_bytes(), [SheetMarks(item.sheet, (Mark(item.cells[-1], "still wrong"),), note="【退回修改】还有 1 处")])
    path = tmp_path / "again.xlsx"
    path.write_bytes(again)
    assert set(_comments(path)) == {item.cells[-1]}
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "还有 1 处" in sheet and re.search(r'<c r="A2"[^>]*t="inlineStr"', sheet)  # the old note replaced in place, not beside it
    assert "A1" not in _comments(path)


def test_a_raters_own_workbook_with_a_rating_to_correct_goes_back_annotated(tmp_path):
    """Ratings issued separately: a supervisor's unreadable rating (S for A–D) is in their own workbook, so that is the
    file marked and sent back — not nothing, as if every return were fine."""
    import openpyxl

    people = [Person(f"S0{k}", f"员工{k}", "销售部", "销售主管", "M01", "sales_supervisor", bonus_base=8000.0) for k in (1, 2)]
    people.append(Person("M01", "王经理", "销售部", "销售经理", "", "sales_rep", bonus_base=9000.0))
    built = xl_kpi.build(xl_kpi.load_templates(TEMPLATES), people, tmp_path / "out", ratings="separate")
    (book,) = [p for p in built if p.parent.name == "评分表"]
    returns = tmp_path / "returns"
    returns.mkdir()
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    ws["F8"], ws["G8"], ws["H8"] = "S", "B", "B"  # S01: an unreadable level
    ws["F9"], ws["G9"], ws["H9"] = "A", "B", "B"
    wb.save(returns / book.name)
    run = xl_kpi.sendback([returns], tmp_path / "back", issued=tmp_path / "out" / "issued.sqlite")
    (item,) = [i for i in run.items if i.action == "fix"]
    assert (item.employee_id, item.file.endswith(book.name), item.cells) == ("S01", True, ("F8",))
    assert item.attach is not None and item.attach.is_file()
    with zipfile.ZipFile(item.attach) as z:
        comments = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/comments"))
    assert "F8" in comments and "S" in comments
