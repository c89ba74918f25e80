"""The goals workbook (目标设定表): one per person, protected and validated like the scorecard.

The role's indicators with their definition, source and HR's weight; per indicator the history's mean,
baseline and challenge (and the resource-limited target), the employee's proposed target, goal sentence and the
reason when it is below the baseline; rows for personal indicators within HR's bounds (kind, scoring method and
direction from drop-downs); live checks in native formulas (a target, a number and a period in the sentence, a
reason below the baseline; weights total, indicator count, a process indicator); the split of each additive agreed
target; the supervisor's agreement per goal and the sign-off (目标确认). A very hidden, protected sheet records
what was issued (signed with HR's key when one is given), so :mod:`.collect` can check the return.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.refs import a1
from ..followup.books import finish_book, new_book
from ..sheet.printing import page_setup, row_height
from ..spec.model import Indicator, Person, Spec
from ..workbook.styles import Styles, number_format
from .layout import DIGITS, TIME_WORDS, GoalsLayout, word
from .rules import AGREEMENT_WORDS, PERSONAL_METHODS, GoalRules, History, card_weight, proposes_target, sheet_check

__all__ = ["GoalsIssue", "write_goals_book", "write_goals_sheet", "add_udfs", "META_SHEET", "FORMAT", "signature", "numeric"]

META_SHEET = "_xlkpi_goals"
FORMAT = "xl-kpi goals"
WIDTHS = {"no": 4, "ind_name": 14, "kind": 6, "definition": 18, "source": 14, "unit": 5, "hr_weight": 7, "weight": 7, "mean": 9,
          "baseline": 9, "challenge": 9, "limited": 9, "proposed": 10, "text": 30, "reason": 20, "check": 18, "agreement": 8,
          "sup_target": 10, "agreed": 10, "sup_note": 16}


@dataclass(frozen=True)
class GoalsIssue:
    """What one goals workbook issued (for the register)."""

    workbook_id: str
    person: Person
    spec: Spec
    period: str
    file: str
    lang: str
    history: dict[str, History]
    rules: GoalRules
    party: str = "employee"  # or "supervisor": the supervisor's own workbook (:mod:`.supervisor`), one entry per person
    rater: str = ""  # the supervisor, on a supervisor's workbook
    place: int = 0  # the person's place in it
    separate: bool = False  # an employee's workbook whose supervisor agrees in their own
    sheet: str = ""  # the person's sheet in a department's goals workbook ("": the one goals sheet of their own)
    shown: bool = False  # a supervisor's workbook built from the returns: the proposals shown beside the cells to fill


def numeric(ind: Indicator) -> bool:
    """Whether the indicator takes a numeric target the employee proposes."""
    return proposes_target(ind)


def signature(rows: Sequence[Sequence[str]], key: bytes) -> str:
    """HMAC-SHA256 over every metadata row but the signature's own (the last)."""
    cut = [list(r)[: max((k + 1 for k, v in enumerate(r) if v), default=0)] for r in rows]  # as read back: no trailing blanks
    body = json.dumps([r for r in cut if r and r[0] != "signature"], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def _quarterly(period: str) -> bool:
    p = period.upper()
    return "Q" in p or "季" in period


def _array(words: Sequence[str]) -> str:
    return "{" + ",".join('"' + w.replace('"', '""') + '"' for w in words) + "}"


class _Sheet:
    def __init__(self, wb: Any, styles: Styles, spec: Spec, person: Person, period: str, lang: str, rules: GoalRules,
                 history: Mapping[str, History], sources: Mapping[str, str], separate: bool = False, name: str = "",
                 udf: bool = False) -> None:
        self.separate = separate  # the supervisor agrees in their own workbook: their cells here are locked, blank
        self.udf = udf  # xlwings functions: the check adds SMARTCHECK's verdict on the goal sentence
        self.wb, self.s, self.spec, self.person, self.period, self.lang = wb, styles, spec, person, period, lang
        self.rules, self.history, self.sources = rules, history, sources
        self.quarterly = _quarterly(period)
        self.lay = GoalsLayout(len(spec.indicators), max(rules.personal_max, 0), 3 if self.quarterly else 4)
        self.ws = wb.add_worksheet(name or word("sheet", lang))
        self.review = styles.get("review_text_open")
        self.review_num = styles.get("review_open")
        self.check_fmt = wb.add_format({"border": 1, "valign": "vcenter", "align": "center", "bg_color": "#F7F7F7", "text_wrap": True,
                                        "font_size": 9})

    def w(self, key: str) -> str:
        return word(key, self.lang)

    def title(self) -> None:
        lay, ws, s = self.lay, self.ws, self.s
        ws.merge_range(lay.TITLE_ROW, 0, lay.TITLE_ROW, lay.last_visible,
                       f"{self.w('title')} — {self.spec.title} — {self.period}", s.get("title"))
        ws.set_row(lay.TITLE_ROW, 26)
        ws.merge_range(lay.INTRO_ROW, 0, lay.INTRO_ROW, lay.last_visible, self.w("intro_separate" if self.separate else "intro"), s.get("note"))
        ws.set_row(lay.INTRO_ROW, 58)
        p = self.person
        info = [("employee_id", p.employee_id), ("name", p.name), ("department", p.department),
                ("position", p.position or self.spec.position), ("manager", p.manager_shown), ("period", self.period)]
        for k, (key, value) in enumerate(info):
            r, c = lay.INFO_ROW + k // 3, (k % 3) * 4
            ws.merge_range(r, c, r, c + 1, self.w(key), s.get("label"))
            ws.merge_range(r, c + 2, r, c + 3, value, s.get("text"))

    def headers(self, row: int, personal: bool) -> None:
        names = {"source": "method", "hr_weight": "direction", "mean": None, "baseline": None, "challenge": None, "limited": None,
                 "reason": None} if personal else {}
        for key in self.lay.columns[: self.lay.last_visible + 1]:
            text = self._split_name(key) if key.startswith("split_") else self.w(names.get(key, key) or "") if names.get(key, key) else ""
            if self.separate and key in ("agreement", "sup_target", "sup_note", "agreed"):
                text = self.w(f"{key}_separate")
            self.ws.write_string(row, self.lay.col(key), text, self.s.get("header"))
        self.ws.set_row(row, 32)

    def _split_name(self, key: str) -> str:
        k = int(key.split("_")[1])
        if self.quarterly:
            return f"{k}月" if self.lang == "zh" else f"Month {k}"
        return f"Q{k}"

    # --- one goal row ---------------------------------------------------------------------------
    def role(self, k: int, ind: Indicator) -> None:
        lay, ws, s = self.lay, self.ws, self.s
        r = lay.role_row(k)
        c = lambda key: lay.cell(key, r)  # noqa: E731
        fmt = number_format(ind)
        hist = self.history.get(ind.id, History())
        ws.write_number(r, lay.col("no"), k + 1, s.get("value"))
        for key, value in (("ind_name", ind.name), ("kind", self.w(ind.kind)), ("definition", ind.definition),
                           ("source", self._source(ind)), ("unit", ind.unit)):
            ws.write_string(r, lay.col(key), value, s.get("text"))
        weight = card_weight(self.spec, ind)
        ws.write_number(r, lay.col("hr_weight"), weight, s.get("value", "0%"))
        lo, hi = self.rules.weight_bounds(weight)
        if lo == hi:
            ws.write_formula(r, lay.col("weight"), f"={c('hr_weight')}", s.get("formula", "0%"), weight)
        else:
            ws.write_number(r, lay.col("weight"), weight, s.get("input", "0%"))
            self._between(r, "weight", lo, hi, self.w("tip_weight").format(lo=f"{lo:.0%}", hi=f"{hi:.0%}"))
        for key, number in (("mean", hist.mean), ("baseline", hist.baseline), ("challenge", hist.challenge), ("limited", hist.limited)):
            if number is None:
                ws.write_blank(r, lay.col(key), None, s.get("param", fmt))
            else:
                ws.write_number(r, lay.col(key), number, s.get("param", fmt))
        if hist.extra and hist.limited is not None:  # in the workbook's language
            ws.write_comment(r, lay.col("limited"), self.w("extra_process_target"), {"x_scale": 2})
        ws.write_string(r, lay.col("text"), "", s.get("input_text"))
        ws.write_string(r, lay.col("reason"), "", s.get("input_text"))
        self._supervisor_cells(r, fmt if numeric(ind) else None)
        if numeric(ind):
            ws.write_blank(r, lay.col("proposed"), None, s.get("input", fmt))
            lo_t, hi_t = ind.input_range
            self._between(r, "proposed", lo_t, hi_t, self.w("tip_target"))
            if not self.separate:
                self._between(r, "sup_target", lo_t, hi_t, self.w("tip_target"))
            self._agreed(r, fmt)
            self._splits(r, ind)
        else:
            for key in ("proposed", "agreed"):
                ws.write_string(r, lay.col(key), "—", s.get("formula"))
            if not self.separate:
                ws.write_string(r, lay.col("sup_target"), "—", s.get("formula"))
        self._check(r, hist.baseline if numeric(ind) else None, ind.direction, numeric(ind))
        ws.set_row(r, row_height([(ind.definition, WIDTHS["definition"]), (self._source(ind), WIDTHS["source"]),
                                  (ind.name, WIDTHS["ind_name"])], minimum=30))

    def _source(self, ind: Indicator) -> str:
        dept = self.sources.get(ind.id, "")
        return f"{ind.source};{dept}" if ind.source and dept else ind.source or dept

    def personal(self, k: int) -> None:
        lay, ws, s = self.lay, self.ws, self.s
        r = lay.personal_row(k)
        ws.write_number(r, lay.col("no"), lay.role + k + 1, s.get("value"))
        for key in ("ind_name", "definition", "unit", "text"):
            ws.write_string(r, lay.col(key), "", s.get("input_text"))
        for key, choices in (("kind", [self.w("result"), self.w("process")]),
                             ("source", [PERSONAL_METHODS[m][0 if self.lang == "zh" else 1] for m in self.rules.methods]),
                             ("hr_weight", [self.w("higher"), self.w("lower")])):
            ws.write_string(r, lay.col(key), choices[0] if key != "source" else "", s.get("input_text"))
            ws.data_validation(r, lay.col(key), r, lay.col(key), {"validate": "list", "source": choices})
        ws.write_blank(r, lay.col("weight"), None, s.get("input", "0%"))
        lo, hi = self.rules.personal_weight
        self._between(r, "weight", lo, hi, self.w("tip_weight").format(lo=f"{lo:.0%}", hi=f"{hi:.0%}"))
        for key in ("mean", "baseline", "challenge", "limited", "reason"):
            ws.write_blank(r, lay.col(key), None, s.get("param"))
        ws.write_blank(r, lay.col("proposed"), None, s.get("input", "General"))
        self._supervisor_cells(r, "General")
        self._agreed(r, "General")
        self._check(r, None, "higher", True, personal=True)
        ws.set_row(r, 30)

    def _between(self, r: int, key: str, lo: float, hi: float, tip: str) -> None:
        col = self.lay.col(key)
        rule: dict[str, Any] = ({"validate": "decimal", "criteria": "between", "minimum": lo, "maximum": hi} if hi != float("inf")
                                else {"validate": "decimal", "criteria": ">=", "value": lo})
        self.ws.data_validation(r, col, r, col, rule | {"input_message": tip[:255], "error_message": tip[:255]})

    def _supervisor_cells(self, r: int, fmt: str | None) -> None:
        """The supervisor's word on a goal: open in their colour, or — they agree in their own workbook — locked and grey."""
        ws, lay, s = self.ws, self.lay, self.s
        if self.separate:
            for key in ("agreement", "sup_target", "sup_note"):
                ws.write_blank(r, lay.col(key), None, s.get("param", fmt) if key == "sup_target" and fmt else s.get("param"))
            if fmt is None:
                ws.write_string(r, lay.col("sup_target"), "—", s.get("formula"))
            return
        ws.write_string(r, lay.col("agreement"), "", self.review_num)
        ws.write_string(r, lay.col("sup_note"), "", self.review)
        if fmt is not None:
            ws.write_blank(r, lay.col("sup_target"), None, s.get("review_open", fmt))

    def _agreed(self, r: int, fmt: str) -> None:
        lay = self.lay
        c = lambda key: lay.cell(key, r)  # noqa: E731
        if self.separate:  # the proposal, to be agreed in the supervisor's workbook: its split shown meanwhile
            self.ws.write_formula(r, lay.col("agreed"), f'=IF(ISNUMBER({c("proposed")}),{c("proposed")},"")', self.s.get("formula", fmt), "")
            return
        adjust, agree = AGREEMENT_WORDS["adjust"][0 if self.lang == "zh" else 1], AGREEMENT_WORDS["agree"][0 if self.lang == "zh" else 1]
        self.ws.write_formula(r, lay.col("agreed"), f'=IF({c("agreement")}="{adjust}",IF(ISNUMBER({c("sup_target")}),{c("sup_target")},""),'
                                                    f'IF({c("agreement")}="{agree}",IF(ISNUMBER({c("proposed")}),{c("proposed")},""),""))',
                              self.s.get("formula", fmt), "")
        words = [AGREEMENT_WORDS[k][0 if self.lang == "zh" else 1] for k in ("agree", "adjust", "disagree")]
        self.ws.data_validation(r, lay.col("agreement"), r, lay.col("agreement"),
                                {"validate": "list", "source": words, "input_message": self.w("tip_agree")})

    def _splits(self, r: int, ind: Indicator) -> None:
        """Each additive agreed target split into months of its quarter (equal parts) or quarters of its year (the
        seed's 25/30/25/20), in the indicator's whole units; the last part takes what rounding left, so they add up."""
        lay, ws = self.lay, self.ws
        if not ind.is_additive:
            return
        agreed, n, dec = lay.cell("agreed", r), lay.splits, ind.decimals
        shares = [1 / 3] * 3 if self.quarterly else [0.25, 0.30, 0.25, 0.20]
        fmt = self.s.get("formula", number_format(ind))
        for k in range(1, n):
            ws.write_formula(r, lay.col(f"split_{k}"), f'=IF(ISNUMBER({agreed}),ROUND({agreed}*{shares[k - 1]!r},{dec}),"")', fmt, "")
        parts = ",".join(lay.cell(f"split_{k}", r) for k in range(1, n))
        ws.write_formula(r, lay.col(f"split_{n}"), f'=IF(ISNUMBER({agreed}),ROUND({agreed}-SUM({parts}),{dec}),"")', fmt, "")

    def _check(self, r: int, baseline: float | None, direction: str, has_target: bool, personal: bool = False) -> None:
        """The live check (:func:`~xl_kpi.goals.rules.sheet_check` computes the same)."""
        lay, lang = self.lay, self.lang
        c = lambda key: lay.cell(key, r)  # noqa: E731
        w = self.w
        text = c("text")
        target = f'IF(ISNUMBER({c("proposed")}),"","{w("no_target")}")' if has_target else '""'
        sentence = (f'IF(LEN(TRIM({text}))=0,"{w("no_text")}",IF(SUMPRODUCT(ISNUMBER(FIND({_array(DIGITS)},{text}))*1)=0,"{w("no_number")}","")'
                    f'&IF(SUMPRODUCT(ISNUMBER(SEARCH({_array(TIME_WORDS[lang])},{text}))*1)=0,"{w("no_time")}",""))')
        below = '""'
        if baseline is not None:
            op = "<" if direction == "higher" else ">"
            below = (f'IF(AND(ISNUMBER({c("proposed")}),ISNUMBER({c("baseline")})),IF({c("proposed")}{op}{c("baseline")},'
                     f'IF(LEN(TRIM({c("reason")}))<4,"{w("below")}",""),""),"")')
        issues = f"={target}&{sentence}&{below}"
        if personal:  # an empty personal row is not a goal
            issues = f'=IF(LEN(TRIM({c("ind_name")}))=0,"",{target}&{sentence})'
        cached = "" if personal else sheet_check(None, "", "", baseline, direction, lang, has_target)
        self.ws.write_formula(r, lay.col("issues"), issues, None, cached)
        shown = (f'=IF({c("issues")}="","{w("ok")}",{c("issues")})' if not personal
                 else f'=IF(LEN(TRIM({c("ind_name")}))=0,"",IF({c("issues")}="","{w("ok")}",{c("issues")}))')
        if self.udf:  # the engine's SMART verdict, live, below the native check (xlwings: SMARTCHECK)
            shown = f'=({shown[1:]})&IF(LEN(TRIM({text}))=0,"",CHAR(10)&SMARTCHECK({text},"{lang}"))'
        self.ws.write_formula(r, lay.col("check"), shown, self.check_fmt, cached)

    def totals(self) -> None:
        lay, ws, s = self.lay, self.ws, self.s
        r = lay.totals_row
        weights = lay.span("weight")
        ws.merge_range(r, 0, r, lay.col("weight") - 1, self.w("weight_total"), s.get("subtotal_label"))
        total = sum(card_weight(self.spec, ind) for ind in self.spec.indicators)
        ws.write_formula(r, lay.col("weight"), f"=SUM({weights})", s.get("subtotal", "0%"), total)
        ws.merge_range(r, lay.col("mean"), r, lay.col("challenge"), "", s.get("formula"))
        ws.write_formula(r, lay.col("mean"), f'=IF(ROUND(SUM({weights}),6)=1,"{self.w("ok")}","{self.w("should_be_100")}")', s.get("formula"),
                         self.w("ok") if round(total, 6) == 1 else self.w("should_be_100"))
        last = lay.personal_row(max(lay.personal, 1) - 1)
        names = f"{a1(lay.personal_row(0), lay.col('ind_name'), True)}:{a1(last, lay.col('ind_name'), True)}"
        kinds = f"{a1(lay.personal_row(0), lay.col('kind'), True)}:{a1(last, lay.col('kind'), True)}"
        role_kinds = f"{a1(lay.role_row(0), lay.col('kind'), True)}:{a1(lay.role_row(lay.role - 1), lay.col('kind'), True)}"
        process = self.w("process")
        personal = f"SUMPRODUCT((LEN(TRIM({names}))>0)*1)" if lay.personal else "0"
        personal_process = f'SUMPRODUCT((LEN(TRIM({names}))>0)*({kinds}="{process}"))' if lay.personal else "0"
        lo, hi = self.rules.min_indicators, self.rules.max_indicators
        checks = (("count", f"={lay.role}+{personal}", f"AND({{v}}>={lo},{{v}}<={hi})"),
                  ("process_count", f'=COUNTIF({role_kinds},"{process}")+{personal_process}', "{v}>=1" if self.rules.need_process else "TRUE"))
        processes = sum(ind.kind == "process" for ind in self.spec.indicators)
        cached = {"count": (lay.role, lo <= lay.role <= hi), "process_count": (processes, processes >= 1 or not self.rules.need_process)}
        for k, (key, formula, check) in enumerate(checks):
            row = r + 1 + k
            ws.merge_range(row, 0, row, lay.col("weight") - 1, self.w(key), s.get("subtotal_label"))
            value, fine = cached[key]
            ws.write_formula(row, lay.col("weight"), formula, s.get("subtotal"), value)
            v = a1(row, lay.col("weight"))
            bad = (self.w("should_be_count").format(lo=lo, hi=hi) if key == "count" else self.w("need_process"))
            ws.merge_range(row, lay.col("mean"), row, lay.col("challenge"), "", s.get("formula"))
            ws.write_formula(row, lay.col("mean"), f'=IF({check.format(v=v)},"{self.w("ok")}","{bad}")', s.get("formula"),
                             self.w("ok") if fine else bad)

    def signoff(self) -> None:
        lay, ws, s = self.lay, self.ws, self.s
        ws.write_string(lay.signoff_title, 0, self.w("signoff"), s.get("section"))
        for who, key in (("employee", "employee_sign"), ("supervisor", "supervisor_sign")):
            r = lay.signoff_row(who)
            if who == "supervisor" and self.separate:
                ws.merge_range(r, 0, r, lay.SIGN_COL - 1, self.w(key), s.get("label"))
                ws.merge_range(r, lay.SIGN_COL, r, lay.DATE_COL + 1, self.w("supervisor_sign_separate"), s.get("param"))
                ws.set_row(r, 24)
                continue
            ws.merge_range(r, 0, r, lay.SIGN_COL - 1, self.w(key), s.get("label"))
            ws.merge_range(r, lay.SIGN_COL, r, lay.DATE_COL - 2, "", s.get("input_text") if who == "employee" else self.review)
            ws.write_string(r, lay.DATE_COL - 1, self.w("date"), s.get("label"))
            ws.merge_range(r, lay.DATE_COL, r, lay.DATE_COL + 1, "", s.get("input_text") if who == "employee" else self.review)
            ws.set_row(r, 24)

    def finish(self, password: str) -> None:
        lay, ws = self.lay, self.ws
        for key, width in WIDTHS.items():
            ws.set_column(lay.col(key), lay.col(key), width)
        ws.set_column(lay.col("split_1"), lay.last_visible, 8)
        if self.udf:
            ws.set_column(lay.col("check"), lay.col("check"), 30)
        ws.set_column(lay.col("issues"), lay.col("issues"), 8, None, {"hidden": True})
        blocks = [(lay.role_row(0), lay.role_row(lay.role - 1))] + ([(lay.personal_row(0), lay.personal_row(lay.personal - 1))]
                                                                    if lay.personal else [])
        for first, last in blocks:
            ref = a1(first, lay.col("check"))
            ws.conditional_format(first, lay.col("check"), last, lay.col("check"),
                                  {"type": "formula", "criteria": f'=AND({ref}<>"",{ref}<>"{self.w("ok")}")',
                                   "format": self.s.fill("#FFC7CE", "#9C0006")})
        ws.freeze_panes(lay.role_header + 1, 2)
        ws.protect(password, {"format_columns": True, "format_rows": True})
        page_setup(ws, self.lang, landscape=True, area=(0, 0, lay.last_row, lay.last_visible), repeat=(lay.role_header, lay.role_header),
                   who=(self.w("title"), f"{self.person.name} {self.person.employee_id}"))


def add_udfs(wb: Any) -> None:
    """What xlwings needs to find SMARTCHECK in a goals workbook (.xlsm): the scorecard's VBA project and conf sheet."""
    from ..workbook.build import BuildOptions, _udf_setup

    _udf_setup(wb, BuildOptions(formulas="udf"))


def write_goals_sheet(wb: Any, styles: Styles, spec: Spec, person: Person, period: str, lang: str, rules: GoalRules,
                      history: Mapping[str, History], sources: Mapping[str, str] | None = None, password: str = "",
                      separate: bool = False, name: str = "", udf: bool = False) -> GoalsLayout:
    """One person's goals sheet in ``wb`` (named ``name``, else 目标设定 / Goals); returns its layout (``udf``: the
    live check adds SMARTCHECK's verdict)."""
    sheet = _Sheet(wb, styles, spec, person, period, lang, rules, history, sources or {}, separate, name, udf)
    sheet.title()
    lay = sheet.lay
    sheet.ws.write_string(lay.ROLE_TITLE_ROW, 0, word("role_title", lang), styles.get("section"))
    sheet.headers(lay.role_header, personal=False)
    for k, ind in enumerate(spec.indicators):
        sheet.role(k, ind)
    if lay.personal:
        sheet.ws.write_string(lay.personal_title, 0, word("personal_title", lang), styles.get("section"))
        sheet.headers(lay.personal_header, personal=True)
        for k in range(lay.personal):
            sheet.personal(k)
    sheet.totals()
    sheet.signoff()
    sheet.finish(password)
    return lay


def write_goals_book(path: Path, spec: Spec, person: Person, period: str, lang: str, rules: GoalRules,
                     history: Mapping[str, History], sources: Mapping[str, str] | None = None, password: str = "",
                     key: bytes | None = None, separate: bool = False, udf: bool = False) -> GoalsIssue:
    """Write one person's goals workbook at ``path``; returns what it issued (``separate``: the supervisor agrees in
    their own workbook, :mod:`.supervisor`; their cells here are locked)."""
    wb, tmp = new_book(path, "en" if lang == "en" else "zh")
    lay = write_goals_sheet(wb, Styles(wb), spec, person, period, lang, rules, history, sources, password, separate, udf=udf)
    if udf:
        add_udfs(wb)
    wid = uuid.uuid4().hex
    rows = [["format", FORMAT], ["format_version", "1"], ["workbook_id", wid], ["period", period], ["lang", lang],
            ["sheet", word("sheet", lang)], ["employee_id", person.employee_id], ["name", person.name], ["template", spec.id],
            ["spec_hash", spec.hash], ["rules", json.dumps(rules.as_dict())], ["layout", json.dumps(lay.as_dict())],
            ["goals", json.dumps([[ind.id, ind.name, card_weight(spec, ind), history.get(ind.id, History()).as_list()] for ind in spec.indicators],
                                 ensure_ascii=False)],
            ["generated", datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")]]
    if key is not None:
        rows.append(["signature", signature(rows, key)])
    finish_book(wb, tmp, path, META_SHEET, rows, password)
    return GoalsIssue(wid, person, spec, period, path.name, lang, dict(history), rules, separate=separate)
