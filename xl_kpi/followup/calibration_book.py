"""The calibration workbook (绩效校准表): one sheet per grade scale of a department or the company.

Each sheet shows the grade distribution before and after calibration, the distribution guideline with
live over/under counts, the performance × potential nine-box when potentials are given, and every
person with their total, the scores behind it and their grade. The department heads pick a calibrated
grade — only their own card's grades are offered — with a reason and their name; everything else is
locked. The formulas are native Excel 2010 functions (COUNTIF, COUNTIFS, INDEX, MATCH, ROUNDUP,
ROUNDDOWN) and translate :mod:`.guideline` and :mod:`.ninebox`; tests recalculate them in LibreOffice.
A very hidden sheet records who and what was issued, so :mod:`.calibration_collect` can check every change.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..consolidation.summary_scores import STATUS
from ..core.refs import a1
from ..core.text import Lang
from ..sheet.printing import page_setup, row_height
from ..workbook.book import ScorecardWorkbook
from ..workbook.styles import Styles
from .books import finish_book, new_book
from .calibration import Candidate, Excluded, Group
from .calibration_layout import CalibrationLayout, word
from .guideline import Rule
from .ninebox import BOX_NAMES, LEVEL_WORDS, performance_levels

__all__ = ["write_calibration_book", "META_SHEET", "FORMAT"]

META_SHEET = "_xlkpi_calibration"
FORMAT = "xl-kpi calibration"
WIDTHS = {"no": 5, "employee_id": 11, "name": 10, "department": 12, "template": 14, "total": 8, "details": 34, "original": 9,
          "potential": 7, "perf": 9, "box": 12, "calibrated": 11, "final": 10, "change": 8, "points": 11, "coefficient": 8,
          "bonus_base": 10, "pay": 10, "reason": 30, "calibrator": 10, "check": 16}


def _level_format(lang: Lang) -> str:
    low, mid, high = LEVEL_WORDS[lang]
    return f'[=3]"{high}";[=2]"{mid}";"{low}"'


class _Sheet:
    def __init__(self, wb: ScorecardWorkbook, styles: Styles, group: Group, rules: Sequence[Rule], lang: Lang, potential: bool,
                 levels: dict[str, int], name: str) -> None:
        self.wb, self.s, self.group, self.rules, self.lang = wb, styles, group, rules, lang
        self.lay = CalibrationLayout(len(group.scale.labels), len(rules), len(group.people), potential,
                                     any(p.spec.has_coefficients for p in group.people))
        self.ws = wb.add_worksheet(name)
        self.levels = levels
        self.fmt = {"pct": styles.get("value", "0.0%"), "num": styles.get("value", "0.00"), "int": styles.get("value", "0"),
                    "money": styles.get("value", "#,##0.00"), "move": styles.get("value", "+0;-0;0"),
                    "level": styles.get("value", _level_format(lang)), "formula": styles.get("formula"),
                    "formula_num": styles.get("formula", "0.00"), "formula_money": styles.get("formula", "#,##0.00"),
                    "formula_move": styles.get("formula", "+0;-0;0"), "formula_level": styles.get("formula", _level_format(lang))}

    def w(self, key: str) -> str:
        return word(key, self.lang)

    def put(self, row: int, cols: tuple[int, int], value: Any, fmt: Any) -> None:
        first, last = cols
        if first != last:
            self.ws.merge_range(row, first, row, last, "", fmt)
        if isinstance(value, str) and value.startswith("="):
            self.ws.write_formula(row, first, value, fmt)
        elif isinstance(value, str):
            self.ws.write_string(row, first, value, fmt)
        elif value is None:
            self.ws.write_blank(row, first, None, fmt)
        else:
            self.ws.write_number(row, first, value, fmt)

    # --- blocks --------------------------------------------------------------------------------
    def title(self, scope: str, period: str) -> None:
        lay, ws = self.lay, self.ws
        where = self.w("company") if scope == "*" else scope
        ws.merge_range(lay.TITLE_ROW, 0, lay.TITLE_ROW, lay.last_visible, f"{self.w('title')} — {where} — {period} — {self.group.scale.describe()}",
                       self.s.get("title"))
        ws.set_row(lay.TITLE_ROW, 26)
        ws.merge_range(lay.INTRO_ROW, 0, lay.INTRO_ROW, lay.last_visible, self.w("intro"), self.s.get("note"))
        ws.set_row(lay.INTRO_ROW, 32)

    def distribution(self) -> None:
        lay, s = self.lay, self.s
        ws = self.ws
        ws.write_string(lay.DIST_TITLE_ROW, 0, self.w("distribution"), s.get("section"))
        heads = {"grade": "grade", "min": "min", "before": "before", "before_share": "before_share", "after": "after",
                 "after_share": "after_share"} | ({"level": "level"} if lay.potential else {})
        for key, text in heads.items():
            self.put(lay.dist_header_row, lay.DIST[key], self.w(text), s.get("header"))
        first = self.group.people[0].spec if self.group.people else None
        for rank, label in enumerate(self.group.scale.labels, start=1):
            r = lay.dist_row(rank)
            self.put(r, lay.DIST["grade"], label, s.get("label"))
            self.put(r, lay.DIST["min"], first.grades[rank - 1].min if first else None, self.fmt["num"])
            self.put(r, lay.DIST["before"], f"=COUNTIF({lay.span('orig_rank')},{rank})", self.fmt["formula"])
            self.put(r, lay.DIST["before_share"], f"=IF({lay.people_cell}=0,0,{a1(r, lay.DIST['before'][0])}/{lay.people_cell})",
                     self.s.get("formula", "0.0%"))
            self.put(r, lay.DIST["after"], f"=COUNTIF({lay.span('final_rank')},{rank})", self.fmt["formula"])
            self.put(r, lay.DIST["after_share"], f"=IF({lay.people_cell}=0,0,{a1(r, lay.DIST['after'][0])}/{lay.people_cell})",
                     self.s.get("formula", "0.0%"))
            if lay.potential:
                self.put(r, lay.DIST["level"], self.levels[label], self.fmt["level"])
        r = lay.people_count_row
        self.put(r, lay.DIST["grade"], self.w("people"), s.get("label"))
        self.put(r, lay.DIST["before"], f"=COUNTA({lay.span('employee_id')})", self.fmt["formula"])

    def _ranks(self, rule: Rule) -> list[int]:
        ranks = {label: k for p in self.group.people for k, label in enumerate((g.label for g in p.spec.grades), start=1)}
        ranks.update({label: k for k, label in enumerate(self.group.scale.labels, start=1)})
        return sorted({ranks[g] for g in rule.grades if g in ranks})

    def guideline(self) -> None:
        lay, s, ws = self.lay, self.s, self.ws
        ws.write_string(lay.guide_title_row, 0, self.w("guideline"), s.get("section"))
        for key in ("rule", "before", "count", "least", "most", "over", "under", "result"):
            self.put(lay.guide_header_row, lay.GUIDE[key], self.w(key), s.get("header"))
        if not self.rules:
            self.put(lay.guide_row(0), (0, 10), self.w("no_guideline"), s.get("note"))
            return
        n = lay.people_cell
        for k, rule in enumerate(self.rules):
            r = lay.guide_row(k)
            ranks = self._ranks(rule)
            cell = lambda key, row=r: a1(row, lay.GUIDE[key][0])  # noqa: E731
            self.put(r, lay.GUIDE["rule"], rule.describe(), s.get("label"))
            self.put(r, lay.GUIDE["before"], "=" + "+".join(f"COUNTIF({lay.span('orig_rank')},{rk})" for rk in ranks) if ranks else 0,
                     self.fmt["formula"])
            self.put(r, lay.GUIDE["count"], "=" + "+".join(f"COUNTIF({lay.span('final_rank')},{rk})" for rk in ranks) if ranks else 0,
                     self.fmt["formula"])
            least, most = _bound_formulas(rule, n)
            self.put(r, lay.GUIDE["least"], least, self.fmt["formula"])
            self.put(r, lay.GUIDE["most"], most, self.fmt["formula"])
            self.put(r, lay.GUIDE["over"], f'=IF({cell("most")}="",0,MAX(0,{cell("count")}-{cell("most")}))', self.fmt["formula"])
            self.put(r, lay.GUIDE["under"], f'=IF({cell("least")}="",0,MAX(0,{cell("least")}-{cell("count")}))', self.fmt["formula"])
            persons = self.w("persons")
            self.put(r, lay.GUIDE["result"],
                     f'=IF(AND({cell("over")}=0,{cell("under")}=0),"{self.w("met")}",IF({cell("over")}>0,"{self.w("over_by")}"&{cell("over")}'
                     f'&"{persons}","{self.w("under_by")}"&{cell("under")}&"{persons}"))', self.fmt["formula"])
        first, last = lay.guide_row(0), lay.guide_row(len(self.rules) - 1)
        ws.conditional_format(first, lay.GUIDE["result"][0], last, lay.GUIDE["result"][0],
                              {"type": "formula", "criteria": f'=LEFT({a1(first, lay.GUIDE["result"][0])},1)<>"✓"',
                               "format": s.fill("#FFC7CE", "#9C0006", bold=True)})

    def ninebox(self) -> None:
        lay, s, ws = self.lay, self.s, self.ws
        ws.write_string(lay.nine_title_row, 0, self.w("ninebox"), s.get("section"))
        self.put(lay.nine_header_row, lay.NINE_LABEL, self.w("axes"), s.get("header"))
        for perf in (1, 2, 3):
            col = lay.nine_col(perf)
            ws.merge_range(lay.nine_header_row, col, lay.nine_header_row, col + 1, LEVEL_WORDS[self.lang][perf - 1], s.get("header"))
        for pot in (3, 2, 1):
            r = lay.nine_row(pot)
            self.put(r, lay.NINE_LABEL, LEVEL_WORDS[self.lang][pot - 1], s.get("label"))
            for perf in (1, 2, 3):
                col = lay.nine_col(perf)
                number = (pot - 1) * 3 + perf
                fill = "#C6EFCE" if number in (6, 8, 9) else "#FFC7CE" if number in (1, 4) else "#FFF2CC"
                name_fmt = self.wb.add_format({"border": 1, "bg_color": fill, "bold": True, "valign": "vcenter", "text_wrap": True})
                count_fmt = self.wb.add_format({"border": 1, "bg_color": fill, "align": "center", "valign": "vcenter"})
                ws.write_string(r, col, BOX_NAMES[self.lang][number - 1], name_fmt)
                ws.write_formula(r, col + 1, f"=COUNTIFS({lay.span('perf')},{perf},{lay.span('potential')},{pot})", count_fmt, 0)
            ws.set_row(r, 22)

    def people(self) -> None:
        lay, s, ws = self.lay, self.s, self.ws
        ws.write_string(lay.people_title_row, 0, self.w("people_title"), s.get("section"))
        for key in lay.columns[: lay.first_hidden]:
            ws.write_string(lay.header_row, lay.col(key), self.w(key), s.get("header"))
        ws.set_row(lay.header_row, 30)
        for key, width in WIDTHS.items():
            if key in lay.columns:
                ws.set_column(lay.col(key), lay.col(key), width)
        ws.set_column(lay.first_hidden, len(lay.columns) - 1, 8, None, {"hidden": True})
        unlocked = self.wb.add_format({"border": 1, "bg_color": "#DDEBF7", "locked": False, "valign": "top", "text_wrap": True})
        for k, p in enumerate(self.group.people):
            self._person(lay.first_row + k, k + 1, p, unlocked)
        if self.group.people:
            self._validation(unlocked)

    def _person(self, r: int, no: int, p: Candidate, unlocked: Any) -> None:
        lay, s, ws = self.lay, self.s, self.ws
        c = lambda key: lay.cell(key, r)  # noqa: E731
        text, value = s.get("text"), s.get("value")
        ws.write_number(r, lay.col("no"), no, value)
        for key, v in (("employee_id", p.employee_id), ("name", p.name), ("department", p.department), ("template", p.spec.title),
                       ("details", p.details), ("original", p.grade)):
            ws.write_string(r, lay.col(key), v, text if key in ("details", "template") else value)
        ws.write_number(r, lay.col("total"), p.total, self.fmt["num"])
        ws.set_row(r, row_height([(p.details, WIDTHS["details"]), (p.spec.title, WIDTHS["template"])], minimum=18))
        grades = p.spec.grades
        for k in range(1, lay.grades + 1):
            g = grades[k - 1] if k <= len(grades) else None
            ws.write_string(r, lay.col(f"label_{k}"), g.label if g else "")
            if g is not None:
                ws.write_number(r, lay.col(f"min_{k}"), g.min)
                if lay.coefficients and g.coefficient is not None:
                    ws.write_number(r, lay.col(f"coef_{k}"), g.coefficient)
        ws.write_number(r, lay.col("orig_rank"), p.rank)
        labels, mins = lay.row_span("label", r), lay.row_span("min", r)
        ws.write_string(r, lay.col("calibrated"), p.calibrated, unlocked)
        ws.write_string(r, lay.col("reason"), p.reason, unlocked)
        ws.write_string(r, lay.col("calibrator"), p.calibrator, unlocked)
        final = grades[p.spec.grade_ranks[p.calibrated] - 1].label if p.calibrated in p.spec.grade_ranks else p.grade
        ws.write_formula(r, lay.col("final"), f'=IF({c("calibrated")}="",{c("original")},{c("calibrated")})', self.fmt["formula"], final)
        ws.write_formula(r, lay.col("final_rank"), f"=IF(ISNUMBER(MATCH({c('final')},{labels},0)),MATCH({c('final')},{labels},0),\"\")")
        ws.write_formula(r, lay.col("change"), f'=IF(OR({c("calibrated")}="",{c("final_rank")}=""),"",{c("orig_rank")}-{c("final_rank")})',
                         self.fmt["formula_move"], "")
        ws.write_formula(r, lay.col("points"),
                         f'=IF(OR({c("change")}="",{c("change")}=0),"",IF({c("change")}<0,{c("total")}-INDEX({mins},{c("final_rank")}-1),'
                         f'{c("total")}-INDEX({mins},{c("final_rank")})))', self.fmt["formula_num"], "")
        if lay.coefficients:
            coefs = lay.row_span("coef", r)
            ws.write_formula(r, lay.col("coefficient"), f'=IF({c("final_rank")}="","",IF(INDEX({coefs},{c("final_rank")})="","",'
                                                        f'INDEX({coefs},{c("final_rank")})))', self.fmt["formula_num"], "")
            if p.bonus_base is not None:
                ws.write_number(r, lay.col("bonus_base"), p.bonus_base, self.fmt["money"])
            else:
                ws.write_blank(r, lay.col("bonus_base"), None, value)
            ws.write_formula(r, lay.col("pay"), f'=IF(OR({c("coefficient")}="",{c("bonus_base")}=""),"",ROUND({c("bonus_base")}*{c("coefficient")},2))',
                             self.fmt["formula_money"], "")
        if lay.potential:
            if p.potential is not None:
                ws.write_number(r, lay.col("potential"), p.potential, self.fmt["level"])
            else:
                ws.write_blank(r, lay.col("potential"), None, value)
            ws.write_formula(r, lay.col("perf"), f'=IF({c("final_rank")}="","",INDEX({lay.dist_span("level")},{c("final_rank")}))',
                             self.fmt["formula_level"], "")
            ws.write_formula(r, lay.col("box"), f'=IF(OR({c("perf")}="",{c("potential")}=""),"",INDEX({lay.nine_grid},4-{c("potential")},'
                                                f'2*{c("perf")}-1))', self.fmt["formula"], "")
        ws.write_formula(r, lay.col("check"),
                         f'=IF(OR({c("calibrated")}="",{c("calibrated")}={c("original")}),"",IF({c("final_rank")}="","{self.w("not_own")}",'
                         f'IF(OR(LEN(TRIM({c("reason")}))<2,LEN(TRIM({c("calibrator")}))=0),"{self.w("missing")}","{self.w("ok")}")))',
                         self.fmt["formula"], "")

    def _validation(self, unlocked: Any) -> None:
        lay, ws = self.lay, self.ws
        first, last = lay.first_row, lay.last_row
        ws.data_validation(first, lay.col("calibrated"), last, lay.col("calibrated"),
                           {"validate": "list", "source": "=" + lay.row_span("label", first), "input_title": self.w("calibrated")[:32],
                            "input_message": self.w("pick")[:255], "error_title": self.w("calibrated")[:32],
                            "error_message": self.w("not_own")[:255]})
        ws.data_validation(first, lay.col("reason"), last, lay.col("reason"),
                           {"validate": "length", "criteria": ">=", "value": 2, "input_title": self.w("reason")[:32],
                            "input_message": self.w("reason_tip"), "error_message": self.w("reason_tip")})
        ws.data_validation(first, lay.col("calibrator"), last, lay.col("calibrator"),
                           {"validate": "length", "criteria": ">=", "value": 1, "input_title": self.w("calibrator")[:32],
                            "input_message": self.w("calibrator_tip"), "error_message": self.w("calibrator_tip")})
        check = lay.col("check")
        ws.conditional_format(first, check, last, check, {"type": "formula", "criteria": f'=AND({a1(first, check)}<>"",{a1(first, check)}<>"✓")',
                                                          "format": self.s.fill("#FFC7CE", "#9C0006", bold=True)})
        ws.conditional_format(first, lay.col("change"), last, lay.col("change"),
                              {"type": "cell", "criteria": "<", "value": 0, "format": self.s.fill("#FCE4D6")})
        ws.conditional_format(first, lay.col("change"), last, lay.col("change"),
                              {"type": "cell", "criteria": ">", "value": 0, "format": self.s.fill("#E2EFDA")})

    def finish(self, password: str) -> None:
        lay, ws = self.lay, self.ws
        ws.freeze_panes(lay.first_row, 3)
        ws.protect(password, {"autofilter": True, "format_columns": True, "format_rows": True})
        page_setup(ws, self.lang, landscape=True, area=(0, 0, lay.last_row, lay.last_visible), repeat=(lay.header_row, lay.header_row),
                   who=(word("title", self.lang), self.group.scope))


def _bound_formulas(rule: Rule, n: str) -> tuple[str | None, str | None]:
    """The sheet's translation of :func:`.guideline.bounds`: (least, most) as formulas over the people count ``n``."""
    def x(value: float) -> str:
        return f"ROUND({value!r}*{n},6)" if rule.share else f"{value:g}"

    if rule.op == "<=":
        return None, f"=ROUNDDOWN({x(rule.low)},0)"
    if rule.op == "<":
        return None, f"=ROUNDUP({x(rule.low)},0)-1"
    if rule.op == ">=":
        return f"=ROUNDUP({x(rule.low)},0)", None
    if rule.op == ">":
        return f"=ROUNDDOWN({x(rule.low)},0)+1", None
    if rule.op == "=":
        return f"=ROUND({x(rule.low)},0)", f"=ROUND({x(rule.low)},0)"
    return f"=ROUNDUP({x(rule.low)},0)", f"=ROUNDDOWN({x(rule.high or 0.0)},0)"


def _excluded(wb: ScorecardWorkbook, styles: Styles, excluded: Sequence[Excluded], lang: Lang, password: str) -> None:
    ws = wb.add_worksheet(word("excluded", lang)[:31])
    for c, key in enumerate(("employee_id", "name", "department", "status")):
        ws.write_string(0, c, word(key, lang), styles.get("header"))
    for r, e in enumerate(excluded, start=1):
        status = STATUS.get(e.status, (e.status, e.status))[0 if lang == "zh" else 1]  # in words: 有错误, not invalid
        for c, v in enumerate((e.employee_id, e.name, e.department, status)):
            ws.write_string(r, c, v, styles.get("text"))
    ws.set_column(0, 3, 16)
    ws.protect(password)


def write_calibration_book(path: Path, scope: str, sheets: Sequence[Group], rules_of: dict[str, list[Rule]], period: str, lang: Lang,
                           excluded: Sequence[Excluded] = (), potential: bool = False, level_map: dict[str, int] | None = None,
                           guideline: str = "", password: str = "") -> Path:
    """Write one calibration workbook (``rules_of``: the guideline's rules for each sheet's scale key)."""
    wb, tmp = new_book(path, lang)
    styles = Styles(wb)
    session = uuid.uuid4().hex
    meta: list[list[str]] = [["format", FORMAT], ["format_version", "1"], ["session", session], ["period", period], ["scope", scope],
                             ["guideline", guideline], ["lang", lang],
                             ["generated", datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")]]
    taken: set[str] = set()
    for k, group in enumerate(sheets, start=1):
        name = word("title", lang)[:24] if len(sheets) == 1 else f"{word('title', lang)[:24]} {k}"
        while name.casefold() in taken:
            name += "'"
        taken.add(name.casefold())
        sheet = _Sheet(wb, styles, group, rules_of.get(group.scale.key, []), lang, potential,
                       _levels(group, level_map), name)
        sheet.title(scope, period)
        sheet.distribution()
        sheet.guideline()
        if potential:
            sheet.ninebox()
        sheet.people()
        sheet.finish(password)
        lay = sheet.lay
        meta.append(["sheet", name, group.scale.key, json.dumps({key: lay.col(key) for key in lay.columns}), str(lay.first_row),
                     str(lay.last_row)])
        for p in group.people:
            meta.append(["person", name, p.employee_id, p.template, repr(p.total), p.grade])
    if excluded:
        _excluded(wb, styles, excluded, lang, password)
    return finish_book(wb, tmp, path, META_SHEET, meta, password)


def _levels(group: Group, mapping: dict[str, int] | None) -> dict[str, int]:
    return performance_levels(group.scale.labels, mapping)
