"""Colour means who fills it (issue 27, item 2), for every input cell of every bundled template.

One rule, read from the workbook and checked against the card's own legend (the instructions sheet):
a cell the employee may type in is the legend's light blue; a cell in a rater's range ("allow users
to edit ranges": the supervisor's, the reviewer's, a peer's) is the legend's light yellow, and it is
in that rater's own range; every other cell is read-only and neither. The cell map (what the scorer
reads, independent of any style) says whose each input is, and the workbook must agree.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

from xl_kpi.core.refs import a1, parse_a1
from xl_kpi.sheet.person import PersonLayout
from xl_kpi.spec.model import Person, Spec
from xl_kpi.workbook import BuildOptions, build_employee_workbook
from xl_kpi.workbook.labels import label

from .conftest import TEMPLATES
from .printed import build_cards, eight_indicator_practice, imported_spec

_RANGE = re.compile(r'<protectedRange\b[^>]*?\bsqref="([^"]+)"[^>]*?\bname="([^"]+)"|<protectedRange\b[^>]*?\bname="([^"]+)"[^>]*?\bsqref="([^"]+)"')


def _ranges(book: Path, sheet_index: int = 0) -> dict[str, str]:
    """Cell → the name of the protected range ("allow users to edit") holding it, from the sheet's XML."""
    with zipfile.ZipFile(book) as z:
        xml = z.read(f"xl/worksheets/sheet{sheet_index + 1}.xml").decode()
    out: dict[str, str] = {}
    for m in _RANGE.finditer(xml):
        sqref, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        for ref in sqref.split():
            first, _, last = ref.partition(":")
            (r0, c0), (r1, c1) = parse_a1(first), parse_a1(last or first)
            out.update({a1(r, c): name for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)})
    return out


def _legend(wb: Any, lang: str) -> dict[str, str]:
    """The colours the card's own legend names: the employee's and the raters' (from the instructions sheet)."""
    ws = wb[label("instructions", lang)]
    out = {}
    for row in ws.iter_rows():
        for cell in row:
            text = str(cell.value or "")
            for who, starts in (("employee", ("浅蓝", "Light blue")), ("rater", ("浅黄", "Light yellow"))):
                if text.startswith(starts):
                    out[who] = cell.fill.fgColor.rgb[-6:]
    assert out.keys() == {"employee", "rater"}, out
    return out


def _owners(spec: Spec, cells: dict[str, Any], awaiting: frozenset[str]) -> dict[str, str]:
    """Whose each input cell is, from the cell map and the spec alone: ``employee`` or a rater's role."""
    out = {ref: "employee" for ref in [*cells["actual"].values(), *cells["review"].values(), *cells["signoff"]["employee"].values()]}
    for by_rater in cells.get("rating", {}).values():
        for rater_id, ref in by_rater.items():
            rater = spec.rater(rater_id)
            out[ref] = "employee" if rater.by_employee else rater.role
    out.update({ref: "supervisor" for ref in [cells["comment"], *cells.get("adjustment", {}).get("count", {}).values(),
                                              *cells.get("veto", {}).values()]})
    if not awaiting:  # raters who rate in workbooks of their own sign those; here a pen signs the printout
        out.update({ref: "supervisor" for ref in cells["signoff"]["supervisor"].values()})
        out.update({ref: "reviewer" for role in ("reviewer", "hr") for ref in cells["signoff"][role].values()})
    return {ref: who for ref, who in out.items() if who == "employee" or who not in awaiting}


def check_colours(book: Path, spec: Spec, lang: str, awaiting: frozenset[str] = frozenset()) -> list[str]:
    """Every cell of every sheet but the legend's own against the rule (the card, the PDCA ledger, the target
    plan); and every input of the card that the cell map lists, its owner's."""
    wb = openpyxl.load_workbook(book)
    legend = _legend(wb, lang)
    role_of = {label(f"range_{role}", lang): role for role in ("supervisor", "reviewer", "peer")}
    wrong: list[str] = []
    seen: dict[str, str] = {}
    for index, ws in enumerate(wb.worksheets):
        if ws.sheet_state != "visible" or ws.title == label("instructions", lang):
            continue
        ranges = _ranges(book, index)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell):
                    continue
                ref = cell.coordinate
                colour = cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else ""
                who = role_of[ranges[ref]] if ref in ranges else "employee" if not cell.protection.locked else "read-only"
                if index == 0:
                    seen[ref] = who
                want = legend["employee"] if who == "employee" else legend["rater"] if who != "read-only" else None
                if want is not None and colour != want:
                    wrong.append(f"{ws.title}!{ref} is the {who}'s but {colour or 'uncoloured'}")
                if want is None and colour in legend.values():
                    as_whose = "employee" if colour == legend["employee"] else "rater"
                    wrong.append(f"{ws.title}!{ref} is read-only but coloured {colour} as the legend's {as_whose}")
    for ref, owner in _owners(spec, PersonLayout.for_spec(spec).cell_map(spec), awaiting).items():
        if seen.get(ref) != owner:
            wrong.append(f"{ref} is the {owner}'s input but the workbook makes it the {seen.get(ref)}'s")
    return wrong


@pytest.fixture(scope="module")
def cards(tmp_path_factory):
    return build_cards(tmp_path_factory.mktemp("cards"))


def test_every_cell_of_every_card_is_coloured_by_who_fills_it(cards):
    from xl_kpi.spec import load_specs

    specs = dict(load_specs(TEMPLATES))
    assert len(cards) >= 14
    for card in cards:
        spec = specs.get(card.template)
        if spec is None:  # the eight-indicator practice cards and the imported card: rebuilt as build_cards built them
            folder = card.book.parent / "again"
            folder.mkdir(exist_ok=True)
            spec = (imported_spec(folder) if card.template == "imported"
                    else eight_indicator_practice(TEMPLATES / f"{card.template[:-2]}.yaml"))
        assert not check_colours(card.book, spec, card.lang), (card.template, check_colours(card.book, spec, card.lang))


@pytest.mark.parametrize("template", ["sales_supervisor", "sales_supervisor_en", "cashier", "production_director"])
@pytest.mark.parametrize("how", ["reviewer password", "rater workbooks"])
def test_a_rated_card_colours_each_raters_cells_as_theirs_locked_or_awaited(tmp_path, specs, template, how):
    spec = specs[template]
    person = Person("E001", "张三", "销售一部", spec.position, "李四", template, "2026-Q3")
    if how == "reviewer password":
        book = build_employee_workbook(tmp_path / "card.xlsx", spec, person, BuildOptions(reviewer_password="上级"))
        awaiting: frozenset[str] = frozenset()
    else:
        options = BuildOptions(ratings="separate", books="employees")
        book = build_employee_workbook(tmp_path / "card.xlsx", spec, person, options)
        awaiting = options.awaiting(spec, person)
    assert not check_colours(book, spec, spec.language, awaiting)


def test_the_rule_finds_a_read_only_cell_in_the_employees_colour(tmp_path, specs):
    """The check can fail: a section heading painted the input blue is reported (what it once was)."""
    spec = specs["sales_supervisor"]
    book = build_employee_workbook(tmp_path / "card.xlsx", spec, Person("E001", "张三", "销售一部", "", "李四", spec.id, "2026-Q3"))
    wb = openpyxl.load_workbook(book)
    from openpyxl.styles import PatternFill

    heading = PersonLayout.for_spec(spec).section_heading_row(spec.sections[0].id)
    legend = _legend(wb, "zh")
    wb.worksheets[0].cell(heading + 1, 1).fill = PatternFill("solid", fgColor="FF" + legend["employee"])
    wb.save(tmp_path / "painted.xlsx")
    assert any(f"!A{heading + 1} is read-only" in w for w in check_colours(tmp_path / "painted.xlsx", spec, "zh"))
