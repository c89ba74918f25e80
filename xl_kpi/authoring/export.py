"""A spec as a workbook HR edits in Excel: an info block, the indicators table (method, direction
and kind as drop-downs, the standard as the sentence the scorecards print), the grade table and
— when the spec has them — sections, raters, bonus and penalty items and veto items, each on its
own sheet, and a short instructions sheet. ``xl-kpi import`` reads it back to the same spec."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..methods import REGISTRY
from ..methods.grammar import number_text
from ..spec.model import Indicator, Spec
from ..xlsx_text import TextWorkbook
from .review import Inference, review_rows

__all__ = ["export_spec", "HEADERS", "SHEETS"]

# column key → (zh, en); every header is written in both languages so either reads back
HEADERS: dict[str, tuple[str, str]] = {
    "seq": ("序号", "No."), "id": ("标识", "ID"), "section": ("考核维度", "Section"), "name": ("指标名称", "Indicator"),
    "definition": ("指标定义", "Definition"), "unit": ("单位", "Unit"), "target": ("目标值", "Target"),
    "weight": ("权重", "Weight"), "points": ("分值", "Points"), "direction": ("方向", "Direction"), "method": ("计分类型", "Method"),
    "standard": ("评分标准", "Scoring standard"), "source": ("数据来源", "Data source"), "kind": ("指标类型", "Kind"),
    "raters": ("评分人", "Raters"), "range": ("取值范围", "Range"),
}
SHEETS = {"main": ("考核表", "Scorecard"), "grades": ("等级", "Grades"), "sections": ("维度", "Sections"),
          "raters": ("评分人", "Raters"), "adjustments": ("加减分", "Adjustments"), "veto": ("否决项", "Veto"),
          "instructions": ("说明", "Instructions"), "review": ("核对", "Review")}
INFO = (("id", "规格标识", "Spec ID"), ("title", "标题", "Title"), ("position", "岗位", "Position"), ("period", "考核周期", "Period"),
        ("language", "语言", "Language"), ("version", "版本", "Version"), ("responsibilities", "岗位职责", "Responsibilities"),
        ("scale", "计分制", "Scoring"))
SCALES = {False: ("百分制(各项按100分评分,按权重加权)", "per 100 (each row scored out of 100, weighted)"),
          True: ("分值制(各项按本项分值评分,相加)", "points (each row scored in its own points, added up)")}
def _methods() -> dict[str, tuple[str, str]]:
    """Each registered method's word in the drop-down: its Chinese word (``Method.words``) and its name."""
    return {name: (method.words[0] if method.words else name, name) for name, method in REGISTRY.items()}
DIRECTIONS = {"higher": ("越高越好", "higher"), "lower": ("越低越好", "lower")}
KINDS = {"result": ("结果", "result"), "process": ("过程", "process")}
ROLES = {"self": ("本人", "self"), "supervisor": ("上级", "supervisor"), "reviewer": ("复核", "reviewer")}
WIDTHS = {"seq": 5, "id": 16, "section": 10, "name": 16, "definition": 24, "unit": 7, "target": 9, "weight": 8, "points": 7, "direction": 10,
          "method": 10, "standard": 46, "source": 12, "kind": 8, "raters": 12, "range": 10}


def _both(pair: tuple[str, str], lang: str) -> str:
    first, second = (pair[0], pair[1]) if lang == "zh" else (pair[1], pair[0])
    return f"{first}\n{second}"


def _word(pair: tuple[str, str], lang: str) -> str:
    """A drop-down choice: "分档 bands" — the sheet's word first, the key after (either reads back)."""
    return f"{pair[0]} {pair[1]}" if lang == "zh" else pair[1]


class _Book:
    def __init__(self, path: Path, lang: str) -> None:
        self.wb = TextWorkbook(str(path))
        self.lang = lang
        font = "Microsoft YaHei" if lang == "zh" else "Calibri"
        base = {"font_name": font, "font_size": 10, "valign": "top", "text_wrap": True, "border": 1}
        self.title = self.wb.add_format({"font_name": font, "bold": True, "font_size": 14})
        self.header = self.wb.add_format({**base, "bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF", "align": "center"})
        self.label = self.wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2"})
        self.text = self.wb.add_format(base)
        self.number = self.wb.add_format({**base, "num_format": "General"})
        self.percent = self.wb.add_format({**base, "num_format": "0.##########%"})
        self.note = self.wb.add_format({"font_name": font, "font_size": 10, "text_wrap": True, "valign": "top"})

    def sheet(self, key: str) -> Any:
        ws = self.wb.add_worksheet(SHEETS[key][0] if self.lang == "zh" else SHEETS[key][1])
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&C&P / &N")
        return ws

    def table(self, ws: Any, row: int, headers: list[tuple[str, str]], rows: list[list[Any]], widths: list[int]) -> int:
        for c, (pair, width) in enumerate(zip(headers, widths)):
            ws.write_string(row, c, _both(pair, self.lang), self.header)
            ws.set_column(c, c, width)
        ws.set_row(row, 30)
        for r, values in enumerate(rows, start=row + 1):
            for c, value in enumerate(values):
                self.cell(ws, r, c, value)
        ws.repeat_rows(row)
        return row + len(rows)

    def cell(self, ws: Any, r: int, c: int, value: Any, fmt: Any = None) -> None:
        if isinstance(value, bool) or value is None:
            ws.write_blank(r, c, None, fmt or self.text)
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, fmt or self.number)
        else:
            ws.write_string(r, c, str(value), fmt or self.text)


def export_spec(spec: Spec, path: str | Path, review: Sequence[Inference] = ()) -> Path:
    """Write ``spec`` as an editable workbook at ``path`` (.xlsx); returns the path. ``review``: what an
    import inferred, listed on a sheet of its own (核对) for people to check."""
    path = Path(path)
    lang = spec.language
    book = _Book(path, lang)
    ws = book.sheet("main")
    ws.write_string(0, 0, spec.title, book.title)
    ws.set_row(0, 24)
    keys = [k for k in HEADERS if _used(spec, k)]
    value_end = max(keys.index("definition"), 3)
    for r, (key, zh, en) in enumerate(INFO, start=2):
        ws.merge_range(r, 0, r, 1, f"{zh}\n{en}" if lang == "zh" else f"{en}\n{zh}", book.label)
        value = str({"language": spec.language, "version": spec.version,
                     "scale": SCALES[spec.by_points][0 if lang == "zh" else 1]}.get(key, getattr(spec, key, "")))
        ws.merge_range(r, 2, r, value_end, value, book.text)
        ws.set_row(r, max(28, 14 * (1 + len(value) // 60)))
    top = 3 + len(INFO)
    rows = [[_value(spec, ind, k, i) for k in keys] for i, ind in enumerate(spec.indicators)]
    last = book.table(ws, top, [HEADERS[k] for k in keys], rows, [WIDTHS[k] for k in keys])
    for r, ind in enumerate(spec.indicators, start=top + 1):
        if "target" in keys and isinstance(ind.target, float) and ind.is_percent:
            ws.write_number(r, keys.index("target"), ind.target, book.percent)
        if ind.points is None:
            ws.write_number(r, keys.index("weight"), ind.weight, book.percent)
        ws.set_row(r, max(30, 15 * (1 + len(ind.method.standard(ind, lang)) // 40)))
    _validate(ws, keys, top + 1, last, lang)
    ws.freeze_panes(top + 1, keys.index("name") + 1)
    ws.print_area(0, 0, last, len(keys) - 1)
    _grades(book, spec)
    _aux(book, spec)
    if review:
        _review(book, spec, review)
    _instructions(book, spec)
    book.wb.close()
    return path


def _review(book: _Book, spec: Spec, review: Sequence[Inference]) -> None:
    """What the import read into the rules without the table saying it outright, cell by cell."""
    ws = book.sheet("review")
    intro = ("导入时的推断:请逐条核对;若不符合本意,修改原表或本工作簿后重新导入" if spec.language == "zh" else
             "What the import inferred: check each one; where it is not what the table means, edit the table or this workbook and import again")
    ws.write_string(0, 0, intro, book.note)
    book.table(ws, 2, [("位置", "Cell"), ("对象", "Concerns"), ("推断", "What was read")], review_rows(list(review), spec.language),
               [14, 22, 80])


def _used(spec: Spec, key: str) -> bool:
    if key in ("weight", "points"):  # a card of points gives each row's points, any other its weights
        return (key == "points") == spec.by_points
    if key == "section":
        return bool(spec.sections)
    if key == "raters":
        return bool(spec.raters)
    if key == "range":
        return any(ind.range for ind in spec.indicators)
    return True


def _value(spec: Spec, ind: Indicator, key: str, i: int) -> Any:
    lang = spec.language
    if key == "seq":
        return i + 1
    if key == "section":
        return spec.section_of(ind.section).name if ind.section else ""
    if key == "target":
        return ind.target if ind.target is not None else ""
    if key == "weight":
        return ind.weight
    if key == "points":
        return ind.points
    if key == "direction":
        return _word(DIRECTIONS[ind.direction], lang)
    if key == "method":
        return _word(_methods().get(ind.method.name, (ind.method.name, ind.method.name)), lang)
    if key == "standard":
        return ind.method.standard(ind, lang)
    if key == "kind":
        return _word(KINDS[ind.kind], lang)
    if key == "raters":
        return "、".join(spec.rater(r).name for r in ind.raters)
    if key == "range":
        return f"{number_text(ind.range[0])}~{number_text(ind.range[1])}" if ind.range else ""
    return getattr(ind, key)


def _validate(ws: Any, keys: list[str], first: int, last: int, lang: str) -> None:
    if last < first:
        return
    lists = {"direction": DIRECTIONS, "method": _methods(), "kind": KINDS}
    for key, words in lists.items():
        c = keys.index(key)
        ws.data_validation(first, c, last, c, {"validate": "list", "source": [_word(w, lang) for w in words.values()],
                                               "error_title": "xl-kpi", "error_message": "请从下拉列表中选择" if lang == "zh" else
                                               "pick a value from the list"})
    if "weight" in keys:
        c = keys.index("weight")
        ws.data_validation(first, c, last, c, {"validate": "decimal", "criteria": "between", "minimum": 0.0, "maximum": 1.0,
                                               "input_title": "权重" if lang == "zh" else "Weight",
                                               "input_message": "如 40%;同一维度内合计 100%" if lang == "zh" else "e.g. 40%; 100% in all per section"})
    else:
        c = keys.index("points")
        ws.data_validation(first, c, last, c, {"validate": "decimal", "criteria": "between", "minimum": 0.0, "maximum": 150.0,
                                               "input_title": "分值" if lang == "zh" else "Points",
                                               "input_message": "该项满分,如 20" if lang == "zh" else "the item's full points, e.g. 20"})
    c = keys.index("standard")
    ws.data_validation(first, c, last, c, {"validate": "any", "input_title": "评分标准" if lang == "zh" else "Scoring standard",
                                           "input_message": "如 ≥110%得100分;100%-110%得80分;<90%得0分" if lang == "zh" else
                                           "e.g. ≥110%: 100 pts; 100%-110%: 80 pts; <90%: 0 pts"})


def _grades(book: _Book, spec: Spec) -> None:
    ws = book.sheet("grades")
    headers = [("等级", "Grade"), ("最低分", "Min score"), ("绩效系数", "Coefficient"), ("结果应用", "Application")]
    rows = [[g.label, g.min, g.coefficient if g.coefficient is not None else "", g.application] for g in spec.grades]
    last = book.table(ws, 0, headers, rows, [12, 10, 10, 36])
    ws.data_validation(1, 1, max(last, 1), 1, {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 150})


def _aux(book: _Book, spec: Spec) -> None:
    if spec.sections and spec.summed:  # a card of points: each section adds up its items' points
        ws = book.sheet("sections")
        book.table(ws, 0, [HEADERS["id"], ("维度名称", "Section"), HEADERS["points"]],
                   [[s.id, s.name, s.points] for s in spec.sections], [16, 16, 10])
    elif spec.sections:
        ws = book.sheet("sections")
        book.table(ws, 0, [HEADERS["id"], ("维度名称", "Section"), HEADERS["weight"]],
                   [[s.id, s.name, s.weight] for s in spec.sections], [16, 16, 10])
        for r, s in enumerate(spec.sections, start=1):
            ws.write_number(r, 2, s.weight, book.percent)
    if spec.raters:
        ws = book.sheet("raters")
        book.table(ws, 0, [HEADERS["id"], ("评分人", "Rater"), HEADERS["weight"], ("角色", "Role")],
                   [[r.id, r.name, r.weight, _word(ROLES[r.role], spec.language)] for r in spec.raters], [16, 16, 10, 16])
        for k, rater in enumerate(spec.raters, start=1):
            ws.write_number(k, 2, rater.weight, book.percent)
        ws.data_validation(1, 3, len(spec.raters), 3, {"validate": "list", "source": [_word(w, spec.language) for w in ROLES.values()]})
    if spec.adjustments:
        adj = spec.adjustments
        ws = book.sheet("adjustments")
        for r, (label, value) in enumerate(((("加减分合计下限", "Total min"), adj.min), (("加减分合计上限", "Total max"), adj.max))):
            ws.write_string(r, 0, _both(label, spec.language), book.label)
            ws.write_number(r, 1, value, book.number)
        book.table(ws, 3, [HEADERS["id"], ("加减分项", "Adjustment"), ("每次分值", "Points"), ("上限", "Max")],
                   [[i.id, i.name, i.points, i.max] for i in adj.items], [16, 24, 10, 10])
    if spec.veto:
        ws = book.sheet("veto")
        book.table(ws, 0, [HEADERS["id"], ("否决项", "Veto item")], [[v.id, v.name] for v in spec.veto], [16, 30])


INSTRUCTIONS = {
    "zh": ["如何编辑这份规格", "1. 在“考核表”中修改指标、目标值、权重和评分标准;每行一项指标,权重合计 100%(分维度时,每个维度内合计 100%)。",
           "2. 评分标准按原样书写,例如: ≥110%得100分;100%-110%得80分;90%-100%得60分;<90%得0分 / 得分=实际/目标×100,最高120分 / "
           "每发生1次扣20分,扣完为止 / 达到目标得100分;每低于目标1个百分点扣2分 / A得100分(说明);B得80分。",
           "3. “方向”“计分类型”“指标类型”从下拉列表中选择;“标识”只用小写英文字母、数字和下划线(留空则按名称生成)。",
           "4. 保存后运行: xl-kpi import 本文件 -o 规格.yaml,再 xl-kpi check 规格.yaml;也可直接 xl-kpi build 本文件。"],
    "en": ["How to edit this spec", "1. Edit indicators, targets, weights and standards on the Scorecard sheet; one indicator per row, "
           "weights total 100% (within each section when there are sections).",
           "2. Write standards as people do, e.g. ≥110%: 100 pts; 100%-110%: 80 pts; <90%: 0 pts / score = actual/target × 100, "
           "from 0 to 120 / start at 100, minus 20 per case, not below 0 / A: 100 pts (what it means); B: 80 pts.",
           "3. Pick Direction, Method and Kind from their drop-downs; IDs use lower-case letters, digits and _ (left blank, "
           "one is made from the name).",
           "4. Then run: xl-kpi import this-file -o spec.yaml and xl-kpi check spec.yaml — or xl-kpi build this-file directly."],
}


def _instructions(book: _Book, spec: Spec) -> None:
    ws = book.sheet("instructions")
    ws.set_column(0, 0, 110)
    ws.set_portrait()
    for r, line in enumerate(INSTRUCTIONS[spec.language]):
        ws.write_string(r, 0, line, book.title if r == 0 else book.note)
