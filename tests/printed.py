"""Workbooks on paper, measured: LibreOffice prints a workbook to PDF and ``pdftotext -bbox`` gives
every word's box on every page, from which the tests read pages per person (the footer names
whose sheet a page is) and the smallest glyph a body text prints at (a word box's height, in
points: yMax − yMin).

The footer (printed at 8 pt on purpose, below the bottom margin) is not body text and is left out;
so is a chart's text (a chart is drawn as one picture, its words are not in the text layer).
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Word", "Page", "read_pdf", "body_words", "smallest_glyph", "pages_of"]

FOOTER_BAND = 0.62 * 72  # the bottom margin (0.65 in) less a hair: words below it are the footer's


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return round(self.y1 - self.y0, 2)


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def footer(self) -> str:
        return " ".join(w.text for w in self.words if w.y0 > self.height - FOOTER_BAND)

    @property
    def body(self) -> list[Word]:
        return [w for w in self.words if w.y0 <= self.height - FOOTER_BAND]

    @property
    def landscape(self) -> bool:
        return self.width > self.height


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)


def read_pdf(pdf: Path) -> list[Page]:
    """Every page of a PDF with its words' boxes."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for width, height, body in _PAGE.findall(out):
        words = tuple(Word(html.unescape(t), float(a), float(b), float(c), float(d)) for a, b, c, d, t in _WORD.findall(body))
        pages.append(Page(float(width), float(height), words))
    return pages


def body_words(pages: list[Page]) -> list[Word]:
    return [w for p in pages for w in p.body]


def smallest_glyph(pages: list[Page]) -> float:
    """The smallest body word's height on these pages, in points."""
    return min(w.height for w in body_words(pages))


def pages_of(pages: list[Page], *footer_words: str) -> list[Page]:
    """The pages whose footer holds every one of ``footer_words`` (a person's name and id)."""
    return [p for p in pages if all(word in p.footer for word in footer_words)]


# --- the cards measured: every bundled template, the practice card with 8 indicators, an imported card -------------
IMPORTED_ROWS = [  # a KPI table as HR keeps it: seven indicators, rules written out (read by `xl-kpi import`)
    ["考核指标", "权重", "目标值", "评分标准", "数据来源"],
    ["销售额完成率", "20%", "100%", "得分=实际/目标×100,最高120分", "财务部"],
    ["回款率", "15%", "95%", "≥95%得100分;90%-95%得80分;<90%得0分", "财务部"],
    ["新客户开发数", "15%", "3", "≥3个得100分;2个得80分;<2个得0分", "CRM系统"],
    ["客户满意度", "15%", "90", "≥90得100分;80-90得80分;<80得0分", "客服部回访"],
    ["销售费用率", "10%", "8%", "≤8%得100分;8%-10%得80分;>10%得0分", "财务部"],
    ["市场信息反馈", "10%", "4", "≥4份得100分;2-3份得60分;<2份得0分", "市场部"],
    ["培训参与率", "15%", "100%", "≥100%得100分;80%-100%得80分;<80%得0分", "人力资源部"],
]


def imported_spec(folder: Path) -> Any:
    """The imported card: :data:`IMPORTED_ROWS` written to a workbook and read by the importer."""
    import openpyxl

    from xl_kpi.authoring import import_tables

    wb = openpyxl.Workbook()
    for row in IMPORTED_ROWS:
        wb.active.append(row)
    path = folder / "销售岗KPI表.xlsx"
    wb.save(path)
    imported, problems = import_tables([path])
    errors = [p for p in problems if p.severity == "error"]
    assert imported and not errors, [p.render("en") for p in errors]
    return imported[0].spec


def eight_indicator_practice(template: Path) -> Any:
    """The practice card (sections, raters, adjustments, veto, coefficients) with two more results: eight indicators."""
    import yaml

    from xl_kpi.spec.rules import parse_spec

    data = yaml.safe_load(template.read_text(encoding="utf-8"))
    first = data["sections"][0]["id"]
    results = [ind for ind in data["indicators"] if ind.get("section") == first]
    zh = data.get("language", "zh") == "zh"
    for ind in results[:2]:
        data["indicators"].append({**ind, "id": f"{ind['id']}_2", "name": f"{ind['name']}(二)" if zh else f"{ind['name']} (2)"})
    weights = ["25%", "15%", "10%", "25%", "25%"]
    for ind, weight in zip([i for i in data["indicators"] if i.get("section") == first], weights):
        ind["weight"] = weight
    data["id"] = f"{data['id']}_8"
    spec, findings = parse_spec(data)
    assert spec is not None, [f.render("en") for f in findings]
    return spec


@dataclass(frozen=True)
class Card:
    """One card built to be measured: which template, whose, and where the workbook is."""

    template: str
    name: str
    employee_id: str
    indicators: int
    book: Path
    lang: str = "zh"
    grades: tuple[str, ...] = ()
    spec: Any = None


NAMES = {"zh": ("张三", "销售一部", "李四"), "en": ("Emily Clark", "Sales East", "Grace Liu")}
REVIEW = {"zh": {"goal_review": "季度销售额目标 100 万元,实际完成 105 万元,完成率 105%。新客户目标 10 家,实际 11 家。",
                 "key_actions": "每周拜访 8 家重点客户,推出中小企业套餐,新增有效客户 11 家。",
                 "results": "回款 98 万元,销售费用控制在预算的 95%。", "gaps": "复购率 32%,下季度提升到 35%。"},
          "en": {"goal_review": "Quarterly sales target 1.0 m, achieved 1.05 m (105%). New customers: 11 against 10.",
                 "key_actions": "Visited eight key accounts a week; launched a small-business bundle.",
                 "results": "Collected 0.98 m; selling expenses at 95% of budget.", "gaps": "Repeat purchase 32%; 35% next quarter."}}


def build_cards(folder: Path) -> list[Card]:
    """A card of every bundled template, the practice card with eight indicators (zh and en) and an imported
    card, each filled in as the demo fills it (actuals, ratings, a few adjustments, the self-review)."""
    import random

    from xl_kpi.demo import simulate_card
    from xl_kpi.spec import load_specs
    from xl_kpi.spec.model import Person
    from xl_kpi.workbook import BuildOptions, build_employee_workbook

    templates = Path(__file__).resolve().parent.parent / "workbook_templates"
    specs = dict(load_specs(templates))
    specs["sales_supervisor_8"] = eight_indicator_practice(templates / "sales_supervisor.yaml")
    specs["sales_supervisor_en_8"] = eight_indicator_practice(templates / "sales_supervisor_en.yaml")
    specs["imported"] = imported_spec(folder)
    cards = []
    for k, (key, spec) in enumerate(sorted(specs.items())):
        name, department, manager = NAMES[spec.language]
        eid = f"E{k + 1:03d}"
        person = Person(eid, name, department, spec.position, manager, spec.id, spec.period or "2026-Q3", 6000.0)
        inputs = simulate_card(spec, random.Random(k))
        book = build_employee_workbook(folder / f"{key}.xlsx", spec, person,
                                       BuildOptions(actuals={eid: inputs}, texts={eid: REVIEW[spec.language]}))
        cards.append(Card(key, name, eid, len(spec.indicators), book, spec.language, tuple(g.label for g in spec.grades), spec))
    return cards


def measure(folder: Path) -> list[tuple[Card, list[Page]]]:
    """Every card of :func:`build_cards` printed by LibreOffice: its form's pages (a practice or points card's print form:
    the card's own pages, its indicator details, are left out)."""""
    from xl_kpi.office.libreoffice import convert
    from xl_kpi.workbook.print_form import DETAILS

    cards = build_cards(folder)
    pdfs = convert([c.book for c in cards], folder / "pdf", to="pdf")
    return [(card, [p for p in pages_of(read_pdf(pdf), card.name, card.employee_id) if DETAILS[card.lang] not in p.footer])
            for card, pdf in zip(cards, pdfs)]


def row_budget(card: Card) -> dict[str, float]:
    """A card's printed rows in points, as built (the workbook's row heights): title and info, the KPI table (its
    header to its last row), everything below it to the sign-off, in all; what one page holds at the smallest
    scale a card is laid out for (:data:`~xl_kpi.workbook.card_print.MIN_SCALE`), portrait or landscape as it prints;
    and the print form's rows (0 for a card without one: it holds 1,072 portrait)."""
    import openpyxl

    from xl_kpi.sheet.person import PersonLayout
    from xl_kpi.sheet.printing import A4_PRINTABLE
    from xl_kpi.workbook.card_print import MIN_SCALE
    from xl_kpi.workbook.print_form import FORM_SHEET

    wb = openpyxl.load_workbook(card.book)
    ws = wb.worksheets[0]
    layout = PersonLayout.for_spec(card.spec)
    height = lambda sheet, rows: sum(sheet.row_dimensions[r + 1].height or 15.0 for r in rows)  # noqa: E731
    paper = "landscape" if ws.page_setup.orientation == "landscape" else "portrait"
    form = wb[FORM_SHEET[card.lang]] if FORM_SHEET[card.lang] in wb.sheetnames else None
    return {"info": height(ws, range(layout.HEADER_ROW)), "table": height(ws, range(layout.HEADER_ROW, layout.last_row + 1)),
            "below": height(ws, range(layout.last_row + 1, layout.last_signoff_row + 1)),
            "total": height(ws, range(layout.last_signoff_row + 1)), "page": A4_PRINTABLE[paper][1] / MIN_SCALE,
            "form": height(form, range(form.max_row)) if form is not None else 0.0}


def main(argv: list[str]) -> int:
    """``python -m tests.printed [FOLDER]``: the print figures of docs/workbook.md, a row per card: pages per person,
    the smallest glyph (of the print form, for a card that has one), the card sheet's rows' heights in points (title and
    info, KPI table, below it, in all) against a page, and the print form's rows in all (0: no form)."""
    import tempfile
    import warnings

    warnings.filterwarnings("ignore", module="openpyxl")
    folder = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="xlkpi-print-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'template':24} {'indicators':>10} {'paper':>9} {'pages':>5} {'smallest pt':>11} "
          f"{'info':>6} {'table':>6} {'below':>6} {'rows':>6} {'a page':>6} {'form':>6}")
    for card, pages in measure(folder):
        paper = "landscape" if pages and pages[0].landscape else "portrait"
        rows = row_budget(card)
        print(f"{card.template:24} {card.indicators:>10} {paper:>9} {len(pages):>5} {smallest_glyph(pages) if pages else 0:>11.1f} "
              + " ".join(f"{rows[k]:>6.0f}" for k in ("info", "table", "below", "total", "page", "form")))
    print(f"(workbooks and PDFs in {folder})")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv))
