"""The target plan: annual → quarterly → monthly split with planned vs actual (seed 000).

Quarter shares default to the seed's 25/30/25/20 and sit in visible input cells; every
planned figure is a formula of the annual target and the shares: the largest-remainder split
(:func:`xl_kpi.advice.splits.split_exact`) in whole units of the indicator's precision.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..advice.splits import UnitSplit, annual_plan, unit_split
from ..core.refs import a1
from ..core.rounding import excel_round
from ..sheet.layouts import PlanLayout
from ..sheet.printing import fit_width, page_setup, pages_wide, row_height
from ..sheet.split_formulas import floor_formula, month_formula, quarter_formula, remainder_formula, short_formula, units_formula
from ..spec.model import Indicator, Person, Spec
from .labels import label
from .styles import Styles, number_format

SEED_QUARTER_SHARES = (0.25, 0.30, 0.25, 0.20)
NOTE_WIDTH = 64  # characters: the plan's first seven columns, where a note is written


def annual_target(spec: Spec, ind: Indicator, period: str) -> float:
    """The spec's target is per period: a quarterly period's target × 4 gives the year."""
    return float(ind.target) * (4 if "Q" in (period or spec.period).upper() else 1)  # type: ignore[arg-type]


def _write_split_helpers(ws: Worksheet, lay: PlanLayout, r: int, ann: str, annual: float, decimals: int,
                         shares: tuple[float, ...]) -> None:
    """The hidden cells of the largest-remainder split, with the engine's values cached."""
    try:
        cut = unit_split(annual, shares, decimals)
    except ValueError:  # no shares, or a target too large for whole units: the sheet computes it anyway
        cut = UnitSplit(0.0, [0] * 4, [0.0] * 4, 0.0)
    ws.write_formula(r, lay.units_col, units_formula(ann, decimals), None, excel_round(abs(annual) * 10**decimals, 0))
    for q in range(4):
        ws.write_formula(r, lay.floor_col(q), floor_formula(lay, r, q), None, cut.floors[q])
        ws.write_formula(r, lay.remainder_col(q), remainder_formula(lay, r, q), None, cut.remainders[q])
    ws.write_formula(r, lay.short_col, short_formula(lay, r), None, cut.short)


def write_plan(ws: Worksheet, styles: Styles, lang: str, rows: list[tuple[Person, Spec]], password: str = "",
               with_employee: bool = False, shares: tuple[float, ...] = SEED_QUARTER_SHARES) -> None:
    """The plan sheet; ``shares`` are the quarter shares (fractions summing to 1) in the input cells."""
    zh = lang == "zh"
    s = styles
    lay = PlanLayout(with_employee)
    ws.merge_range(lay.TITLE_ROW, 0, lay.TITLE_ROW, lay.last_col, label("plan", lang), s.get("title_left"))
    ws.set_row(lay.TITLE_ROW, 24)
    note = ("年度目标按季度比例分解到季度,再平均分解到月,均取整到指标的最小单位(个数取整数,金额到0.01),各部分之和恰好等于总数;比例可修改,合计应为100%。" if zh else
            "The annual target is split by the quarter shares, then evenly by month, in whole units of the indicator (counts whole, amounts to 0.01) that add up exactly; edit the shares, they must total 100%.")
    _note(ws, lay, lay.NOTE_ROW, note, s.get("note"))
    ws.write_string(lay.SHARE_ROW, lay.SHARE_LABEL_COL, label("quarter_share", lang), s.get("label"))
    for q, share in enumerate(shares):
        ws.write_string(lay.SHARE_HEADER_ROW, lay.share_col(q), f"Q{q + 1}", s.get("header"))
        ws.write_number(lay.SHARE_ROW, lay.share_col(q), share, s.get("input", "0%"))
    ws.write_string(lay.SHARE_HEADER_ROW, lay.SHARE_TOTAL_COL, "合计" if zh else "Total", s.get("header"))
    ws.write_formula(lay.SHARE_ROW, lay.SHARE_TOTAL_COL, f"=SUM({lay.share_span})", s.get("formula", "0%"), sum(shares))
    ws.data_validation(lay.SHARE_ROW, lay.share_col(0), lay.SHARE_ROW, lay.share_col(3),
                       {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1, "error_message": "0%–100%"})
    ws.conditional_format(lay.SHARE_ROW, lay.SHARE_TOTAL_COL, lay.SHARE_ROW, lay.SHARE_TOTAL_COL,
                          {"type": "cell", "criteria": "!=", "value": 1, "format": s.fill("#FFC7CE", "#9C0006")})
    hr = lay.HEADER_ROW
    lead = ["employee"] if with_employee else []
    headers = [label(k, lang) for k in lead] + [label("indicator", lang), label("unit", lang), label("annual", lang)]
    headers += [f"Q{q} {label('planned', lang)}" for q in range(1, 5)]
    headers += [f"{m}月" if zh else f"M{m}" for m in range(1, 13)]  # planned, as the quarters
    headers += [f"Q{q} {label('actual_short', lang)}" for q in range(1, 5)]
    headers += [label("actual_short", lang) + ("合计" if zh else " total"), label("completion", lang)]
    for c, h in enumerate(headers):
        ws.write_string(hr, c, h, s.get("header"))
    ws.set_row(hr, 30)
    names = [ind.name for _, spec in rows for ind in spec.indicators]
    people = [f"{p.name} ({p.employee_id})" for p, _ in rows]
    if with_employee:
        ws.set_column(0, 0, fit_width(people, 12, 22))
    ws.set_column(lay.indicator_col, lay.indicator_col, fit_width(names + [label("quarter_share", lang)], 12, 20))
    units = [ind.unit for _, spec in rows for ind in spec.indicators if ind.is_additive]
    ws.set_column(lay.unit_col, lay.unit_col, fit_width([*units, label("unit", lang)], 6, 14))  # a unit is shown whole
    ws.set_column(lay.annual_col, lay.quarter_col(3), 9)
    ws.set_column(lay.month_col(0), lay.month_col(11), 7)
    ws.set_column(lay.actual_col(0), lay.last_col - 1, 9)
    ws.set_column(lay.completion_col, lay.completion_col, fit_width(label("completion", lang).split(), 9, 14))  # its heading's words whole
    r = lay.FIRST_ROW
    for person, spec in rows:
        for ind in spec.indicators:
            if not ind.is_additive:
                continue
            fmt = number_format(ind)
            if with_employee:
                ws.write_string(r, 0, f"{person.name} ({person.employee_id})", s.get("text"))
            ws.write_string(r, lay.indicator_col, ind.name, s.get("text"))
            ws.write_string(r, lay.unit_col, ind.unit, s.get("value"))
            annual = annual_target(spec, ind, person.period)
            ws.write_number(r, lay.annual_col, annual, s.get("input", fmt))
            ann = a1(r, lay.annual_col)
            try:
                plan: dict[str, list[float]] | None = annual_plan(annual, shares, decimals=ind.decimals)
            except ValueError:
                plan = None
            _write_split_helpers(ws, lay, r, ann, annual, ind.decimals, shares)
            part_fmt = s.get("formula", "0" if ind.decimals == 0 else "0.##")
            for q in range(4):
                ws.write_formula(r, lay.quarter_col(q), quarter_formula(lay, r, q, ann, ind.decimals), part_fmt,
                                 plan["quarters"][q] if plan else 0)
            for m in range(12):
                ws.write_formula(r, lay.month_col(m), month_formula(a1(r, lay.quarter_col(m // 3)), m % 3, ind.decimals),
                                 part_fmt, plan["months"][m] if plan else 0)
            for q in range(4):
                ws.write_blank(r, lay.actual_col(q), None, s.get("input", fmt))
            span = f"{a1(r, lay.actual_col(0))}:{a1(r, lay.actual_col(3))}"
            ws.write_formula(r, lay.actual_total_col, f'=IF(COUNT({span})=0,"",SUM({span}))', s.get("formula", fmt), "")
            tot = a1(r, lay.actual_total_col)
            ws.write_formula(r, lay.completion_col, f'=IF(OR({tot}="",{ann}=0),"",{tot}/{ann})', s.get("formula", "0%"), "")
            r += 1
    if r == lay.FIRST_ROW:
        _note(ws, lay, r, "本岗位指标均为比率、评分或评级,不做时间分解。" if zh else
              "This role's indicators are rates, levels or ratings; they are not split over time.", s.get("note"))
    ws.set_column(lay.units_col, lay.short_col, None, None, {"hidden": True})
    ws.freeze_panes(lay.FIRST_ROW, lay.indicator_col + 1)
    widths = [(ws.col_info[c].width - 5) / 7 if c in ws.col_info else 8.43 for c in range(lay.last_col + 1)]  # pixels to characters
    wide = pages_wide(widths, lang, landscape=True)  # text at 8 pt or more: the months may take a second page, the indicator repeated
    if wide > 1:
        ws.repeat_columns(0, lay.indicator_col)
    page_setup(ws, lang, landscape=True, area=(lay.TITLE_ROW, 0, max(r, lay.FIRST_ROW), lay.last_col), repeat=(hr, hr),
               who=(label("plan", lang),), wide=wide)
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True})


def _note(ws: Worksheet, lay: PlanLayout, r: int, text: str, fmt: Any) -> None:
    """A note across the plan's first columns (what prints on the first page), as many lines high as it needs."""
    last = lay.quarter_col(3)
    ws.merge_range(r, 0, r, last, "", fmt)
    ws.write_string(r, 0, text, fmt)
    ws.set_row(r, row_height([(text, NOTE_WIDTH)], 15))
