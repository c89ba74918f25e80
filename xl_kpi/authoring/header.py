"""The indicator table's header as HR writes it: which row it is (a title, an info block or a grade
table may sit above it), which rows below it still belong to it (得分 merged over 自评 | 上级 | 结果,
绩效评估标准 over 优秀(100分) | 良好(80分) | …), and what each column holds.

A header word may play more than one part — 考核项目 is the indicator where nothing else names it and
the section where something does; 考核内容 is the standard where no column is called 评分标准 — so
the columns are resolved together, with the data rows below as a witness (a column merged down
several rows is a section, not an indicator). When no header is found, :func:`likeliest` names the
row that came closest and the words it did not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..methods.grammar import normalize
from .columns import ROLES, label_key
from .grid import Grid

__all__ = ["TableHeader", "find_header", "likeliest", "WEAK", "IGNORED", "RATER_WORD", "level_column", "scale_row"]

# words that may name a column's part only where no stronger word does (role → names)
WEAK: dict[str, tuple[str, ...]] = {
    "name": ("考核项目", "项目", "工作项目", "考核要素", "要素", "考评分项", "考核事项", "area", "objective", "kra", "parameter",
             "criteria", "criterion"),
    "standard": ("考核内容及标准", "评分内容及标准", "考核内容(评判标准)", "考核内容", "内容", "考核标准及计算方法", "计算方法", "计算方式",
                 "计算公式", "指标要求", "工作要求", "考核要点", "绩效目标值", "标准/目标", "标准", "description", "measure"),
    "points": ("score",),
}
# columns read as nothing: results, remarks, the computed columns
IGNORED = frozenset(label_key(w) for w in (
    "得分", "完成情况", "扣分", "扣分值", "评分", "实际完成", "实际", "备注", "说明", "考核结果", "评价分数", "考核得分", "最终得分", "数据",
    "平均分", "本栏平均", "考核方式", "考核目的", "考核周期", "考核人", "结果", "加权得分", "得分情况", "完成值", "实际值", "考核金额",
    "achieve", "actual", "weightage score", "weighted score", "weighted rating", "comments", "comments(optional)", "remarks", "result",
    "documentation required", "emp remarks", "app score", "employee comment", "manager comment"))
RATER_WORD = re.compile(r"^(?P<name>(?:员工|本人)?自评(?:得分|分)?|(?:直接)?上级(?:评分|评价|评)?|上司评分|初评|复评|考评分|总经理评分|领导|主管|"
                        r"部门负责人评分|考核人评分|复核(?:评分)?|隔级(?:上级)?评分|self(?: rating| ass\.?| assessment)?|"
                        r"ass\.? ?ro|supervisor(?: rating)?|manager(?: rating)?|employee|reviewer|appraiser)"
                        r"\s*(?:得分)?\s*(?:\(?\s*(?:占|weight)?\s*(?P<w>\d+(?:\.\d+)?)\s*%?\s*\)?)?$", re.I)
_LEVEL_HEAD = re.compile(r"^(?P<label>优秀|良好|一般|合格|可接受|较差|差|好|中|较好|很好|unacceptable|weak|fair|good|very good|excellent|"
                         r"poor|satisfactory|outstanding|needs improvement)\s*(?:\(?\s*(?P<p>\d+(?:\.\d+)?)\s*(?:分|pts?|points?)?\s*\)?)?$", re.I)


def level_column(text: str) -> tuple[str, float | None] | None:
    """A column named after a level (``优秀(100分)``, ``好``, ``Excellent 5``): its label and points (None when not given)."""
    m = _LEVEL_HEAD.match(re.sub(r"\s+", " ", normalize(text)).strip())
    if m is None:
        return None
    return m["label"], float(m["p"]) if m["p"] else None


def _roles(text: str) -> tuple[list[str], list[str]]:
    """The parts a header cell may play: strong (its words name the part) and weak ones."""
    if not text:
        return [], []
    parts = [label_key(p) for p in re.split(r"[\n/|]", text)] + [label_key(text)]
    parts = [p for p in parts if p]
    strong = [role for role, names in ROLES.items() if any(p in names for p in parts)]
    weak = [role for role, names in WEAK.items() if any(p in {label_key(n) for n in names} for p in parts)]
    return strong, [w for w in weak if w not in strong]


@dataclass
class TableHeader:
    """A resolved header: its rows, each part's column, the raters' and the levels' columns."""

    row: int  # the header's first row
    last: int  # its last row (a second header row below the first)
    col: dict[str, int]
    percent: bool = False  # the weight column says (%)
    raters: list[tuple[int, str, float | None]] = field(default_factory=list)  # (column, name, weight in %)
    levels: list[tuple[int, str, float | None]] = field(default_factory=list)  # (column, label, points)
    notes: list[str] = field(default_factory=list)


def _cells(grid: Grid, r: int) -> list[str]:
    return [grid.text(r, c) for c in range(grid.width)]


def _candidate(grid: Grid, r: int) -> dict[int, tuple[list[str], list[str]]]:
    return {c: _roles(t) for c, t in enumerate(_cells(grid, r)) if t}


def _same_cell(grid: Grid, h: int, c: int, used: set[int]) -> bool:
    """Column ``c`` sits under the same merged header cell as a column already read (考核项目 over two
    columns): one part, whose columns the data rows tell apart (:func:`_witness`)."""
    area = grid.merged(h, c)
    return area is not None and area[1] < c and any(area[1] <= u <= area[3] for u in used)


def _short_names(found: dict[int, tuple[list[str], list[str]]], grid: Grid, r: int) -> list[int]:
    """Where no header word names the indicator: a 考核内容 (definition) column whose cells below are
    short names (目标计划达成, 执行力 满意度), not sentences."""
    if any("name" in s or "name" in w for s, w in found.values()):
        return []
    out = []
    for c, (s, _) in sorted(found.items()):
        cells = [grid.text(k, c) for k in range(r + 1, min(grid.height, r + 40)) if grid.text(k, c)]
        short = sum(1 for t in cells if len(t) <= 12 and not re.search(r"\d", t))
        if "definition" in s and short >= 2 and short * 5 >= len(cells) * 4:  # a note under the table may be long
            out.append(c)
    return out[:1]


def _is_header(found: dict[int, tuple[list[str], list[str]]], grid: Grid, r: int) -> bool:
    names = [c for c, (s, w) in found.items() if "name" in s or "name" in w] or _short_names(found, grid, r)
    scoring = [c for c, (s, w) in found.items() if {"weight", "standard", "points"} & set(s) or {"standard", "points"} & set(w)]
    strong = sum(1 for s, _ in found.values() if s)
    if names and strong and not scoring:  # an appraisal form: factors rated in the raters' or the levels' columns
        texts = _cells(grid, r)
        scoring = [c for c, t in enumerate(texts) if t and (RATER_WORD.match(normalize(t).strip()) or level_column(t))]
    return bool(names) and bool(set(scoring) - set(names[:1]) or len(names) > 1 and scoring) and strong >= 1


def find_header(grid: Grid, start: int = 0, limit: int = 200) -> TableHeader | None:
    """The first indicator header at or below ``start`` (within ``limit`` rows), resolved."""
    for r in range(start, min(grid.height, start + limit)):
        found = _candidate(grid, r)
        if found and _is_header(found, grid, r):
            return _resolve(grid, r, found)
    return None


def _sub_header(grid: Grid, r: int) -> bool:
    """The row below the header still belongs to it: every text in it is a header word, a rater or a
    level column, or sits under a cell of the header merged across several columns."""
    if r >= grid.height:
        return False
    texts = _cells(grid, r)
    if not any(texts):
        return False
    for c, text in enumerate(texts):
        if not text or text == grid.text(r - 1, c):
            continue
        area = grid.merged(r - 1, c)
        under_group = area is not None and area[1] < area[3] and area[0] <= r - 1 <= area[2]
        known = bool(_roles(text)[0]) or RATER_WORD.match(normalize(text)) or level_column(text) or label_key(text) in IGNORED
        if not (known or under_group):
            return False
    return True


def _resolve(grid: Grid, h: int, found: dict[int, tuple[list[str], list[str]]]) -> TableHeader:
    last = h
    while _sub_header(grid, last + 1) and last - h < 2:
        last += 1
        for c, roles in _candidate(grid, last).items():
            if grid.text(last, c) != grid.text(h, c):
                found[c] = roles
    head = TableHeader(h, last, {})
    used: set[int] = set()
    texts = {c: grid.text(last, c) if grid.text(last, c) != grid.text(h, c) and grid.text(last, c) else grid.text(h, c)
             for c in range(grid.width)}
    for c, text in texts.items():  # raters and levels first: their words are not parts
        plain = normalize(text).strip()
        m = RATER_WORD.match(plain)
        if m and not _roles(text)[0]:
            head.raters.append((c, m["name"], float(m["w"]) if m["w"] else None))
            used.add(c)
            continue
        lv = level_column(plain)
        if lv is not None:
            head.levels.append((c, *lv))
            used.add(c)
    for role in ROLES:  # strong words: the first column naming each part
        for c, (strong, _) in sorted(found.items()):
            if c not in used and role in strong and role not in head.col:
                head.col[role] = c
                used.add(c)
                break
    for role in WEAK:  # weak words where no strong one named the part
        for c, (_, weak) in sorted(found.items()):
            if c in used or role not in weak or _same_cell(grid, h, c, used):
                continue
            if role not in head.col:
                head.col[role] = c
                used.add(c)
            elif role == "name" and "section" not in head.col:
                head.col["section"] = c
                used.add(c)
    if "name" not in head.col:
        for c in _short_names(found, grid, h):
            head.col = {k: v for k, v in head.col.items() if v != c} | {"name": c}
            used.add(c)
    _witness(grid, head, "name" in found.get(head.col.get("name", -1), ([], []))[0])
    _standard(grid, head, [c for c, (strong, weak) in sorted(found.items()) if {"definition", "target"} & set(strong) or "standard" in weak])
    head.percent = "weight" in head.col and bool(re.search(r"%|％|百分比", grid.text(h, head.col["weight"])))
    return head


_SCORING = re.compile(r"\d\s*(?:分|pts?|points?)|扣|加分|得满分|不得分|评[好中差]|score", re.I)


def _data(grid: Grid, head: TableHeader, c: int) -> list[str]:
    return [grid.text(r, c) for r in range(head.last + 1, min(grid.height, head.last + 40)) if grid.text(r, c)]


def _standard(grid: Grid, head: TableHeader, others: list[int]) -> None:
    """Where the rules are when no column is called 评分标准: the column whose cells speak of points (考核内容,
    绩效目标值, 计算方式 — or the item's own cell); a 考核标准 column holding only ``100分`` gives the full
    score, and the rules are in the column that deducts from it."""
    col = head.col
    if "standard" in col:
        cells = _data(grid, head, col["standard"])
        if cells and all(re.fullmatch(r"\s*\d+(?:\.\d+)?\s*分\s*", t) for t in cells):
            for c in others:
                if c != col["standard"] and _speaks(_data(grid, head, c)):
                    col["full"] = col.pop("standard")
                    col["standard"] = c
                    for key in [k for k, v in col.items() if v == c and k not in ("standard",)]:
                        del col[key]
                    return
        return
    for key in ("definition", "target", "name"):
        if key in col and _speaks(_data(grid, head, col[key])):
            col["standard"] = col[key] if key == "name" else col.pop(key)
            return


def _speaks(cells: list[str]) -> bool:
    return bool(cells) and sum(1 for t in cells if _SCORING.search(normalize(t))) * 3 >= len(cells)


def _witness(grid: Grid, head: TableHeader, strong: bool) -> None:
    """The data rows decide between an indicator and a section column: one merged down several rows groups
    indicators; then the next column of texts names them. A column the header calls 指标/KPI is demoted
    only when its header spans the next column too (考核指标 over 能力指标85% | 帐表管理)."""
    if "name" not in head.col or {"level", "span"} & set(head.col):
        return  # with a level column, a name merged down several rows is one indicator's level rows (A | 85-100 | …)
    name = head.col["name"]
    area = grid.merged(head.row, name)
    reach = area[3] if strong and area is not None else (name if strong else grid.width - 1)
    rows: list[int] = []
    for r in range(head.last + 1, min(grid.height, head.last + 40)):
        if rows and len(set(_cells(grid, r)) - {""}) <= 1:
            break  # a total, a heading or a blank row: this table's rows end here (a second table may follow)
        if grid.text(r, name):
            rows.append(r)
    if len(rows) < 3:
        return
    grouped = sum(1 for r in rows if grid.continues(r, name))
    if grouped * 2 < len(rows) or "section" in head.col:
        return
    taken = {c for k, c in head.col.items() if k not in ("definition", "standard")} | {c for c, _, _ in head.raters} | \
        {c for c, _, _ in head.levels}
    for c in range(name + 1, reach + 1):
        if c in taken:
            continue
        texts = [grid.text(r, c) for r in rows]
        grouped_too = sum(1 for r in rows if grid.continues(r, c))
        if sum(1 for t in texts if t and not re.fullmatch(r"[\d.%\s分]+", t)) * 2 >= len(rows) and grouped_too * 2 < len(rows):
            head.col["section"] = name
            head.col["name"] = c
            if head.col.get("definition") == c:
                del head.col["definition"]
            head.notes.append("section")
            return


def likeliest(grid: Grid, limit: int = 60) -> tuple[int, list[str]] | None:
    """The row that looks most like a header (most known words), and the texts in it no part is known by."""
    best: tuple[int, int, list[str]] | None = None
    for r in range(min(grid.height, limit)):
        texts = [t for t in _cells(grid, r) if t]
        if len(texts) < 2:
            continue
        known = [t for t in texts if any(_roles(t)) or label_key(t) in IGNORED or RATER_WORD.match(normalize(t))]
        if known and (best is None or len(known) > best[1]):
            best = (r, len(known), [t for t in texts if t not in known])
    return (best[0], best[2]) if best else None


_SCALE_CELL = re.compile(r"^(?P<label>[A-Za-z\u4e00-\u9fff][A-Za-z\u4e00-\u9fff ]{0,20}?)\s*[-:=：]?\s*(?P<v>\d+(?:\.\d+)?)\s*(?:分)?$")


def scale_row(grid: Grid, above: int) -> list[tuple[str, float]] | None:
    """A rating scale in the rows above the header, one level a cell (``Poor 1 | Satisfactory 2 | Good 3 |
    Very Good 4``): the levels every factor without a rule of its own is rated in."""
    for r in range(max(0, above - 6), above):
        texts = [t for t in _cells(grid, r) if t]
        found = [_SCALE_CELL.match(normalize(t).strip()) for t in texts]
        if len(texts) >= 3 and all(found):
            levels = [(m["label"].strip(), float(m["v"])) for m in found if m]
            values = [v for _, v in levels]
            if len(set(values)) == len(values):
                return levels
    return None
