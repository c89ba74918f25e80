"""A team that rates as HR's form says (issue 26): 3 supervisors, 1 reviewer, 12 people, 2 peers each, on the
360 card ``tests/data/sales_360.yaml`` (自评 20% / 上级 40% / 复核 20% / 同事互评 20%); what each party types,
and how they type it into their own file — the value written into the cell's XML, as a user's keystroke leaves it."""

from __future__ import annotations

import json
import random
import re
import zipfile
from pathlib import Path
from typing import Any

from xl_kpi.core.refs import parse_a1
from xl_kpi.spec import load_spec
from xl_kpi.spec.model import Person

from .zipedit import rewrite_part

ROOT = Path(__file__).resolve().parent.parent
SPEC_360 = load_spec(ROOT / "tests" / "data" / "sales_360.yaml")
SUPERVISORS = ("李经理", "王经理", "赵经理")
REVIEWER = "孙总"
NAMES = "张三 王芳 刘洋 陈静 杨磊 赵敏 黄伟 周杰 吴敏 徐强 孙丽 马超".split()
LEVELS = ("A", "B", "C", "D")


def team_people() -> list[Person]:
    """Twelve people in three teams of four; each rated by their team's supervisor, 孙总 and two teammates."""
    people = []
    for k, name in enumerate(NAMES):
        team = k // 4
        mates = [f"E{team * 4 + j + 1:02d}" for j in range(4) if team * 4 + j != k]
        people.append(Person(f"E{k + 1:02d}", name, f"销售{'一二三'[team]}部", "销售主管", SUPERVISORS[team], "sales_360",
                             bonus_base=6000.0 + 500 * team, reviewer=REVIEWER, peers=(mates[k % 3], mates[(k + 1) % 3])))
    return people


def roster_csv(path: Path, people: list[Person]) -> Path:
    lines = ["工号,姓名,部门,岗位,直接上级,模板,复核人,互评人,绩效奖金基数"]
    lines += [f'{p.employee_id},{p.name},{p.department},{p.position},{p.manager},{p.template},{p.reviewer},"{",".join(p.peers)}",'
              f"{p.bonus_base:g}" for p in people]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def card_inputs(person: Person, seed: int = 26) -> dict[str, Any]:
    """Everything typed for one person, in the engine's terms: actuals, each rater's level (``peers_1``, ``peers_2``:
    the first and second peer as the roster lists them), adjustment counts and veto marks."""
    rng = random.Random(f"{seed}-{person.employee_id}")
    k = int(person.employee_id[1:])
    spec = SPEC_360
    out: dict[str, Any] = {"team_sales_rate": round(rng.uniform(0.85, 1.2), 3), "new_customers": rng.randint(20, 40),
                           "expense_rate": round(rng.uniform(0.85, 1.12), 3)}
    for ind in spec.indicators:
        if ind.rated:
            raters = [r for r in ind.raters if r != "peers"] + (["peers_1", "peers_2"] if "peers" in ind.raters else [])
            out[ind.id] = {r: rng.choice(LEVELS[:3]) for r in raters}
    out["adj:praise"] = k % 3
    out["adj:complaint"] = 1 if k % 5 == 0 else 0
    out["veto:safety"] = "否"
    out["veto:fraud"] = "是" if k == 11 else "否"
    return out


def self_review(person: Person) -> dict[str, str]:
    return {"goal_review": f"{person.name}:季度销售目标完成情况回顾。", "key_actions": "每周拜访重点客户 5 家。",
            "results": "新增有效客户 30 个。", "gaps": "费用控制需加强。"}


# --- typing into a file, as a user's keystrokes leave the cell ------------------------------------------------------
def _cell_xml(ref: str, style: str, value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}"{style} t="inlineStr"><is><t>{text}</t></is></c>'


def type_into(path: Path, values: dict[str, Any], part: str = "xl/worksheets/sheet1.xml") -> None:
    """Type ``values`` ({cell: value}) into one sheet of a workbook: each cell keeps its format (its style),
    a number is stored as a number, text as text — what a spreadsheet saves after typing. A cell the sheet
    does not hold yet (a row below the table) is added in its place."""
    def change(xml: str) -> str:
        for ref, value in values.items():
            pattern = re.compile(rf'<c r="{ref}"( s="\d+")?[^>]*?(?:/>|>.*?</c>)', re.S)
            found = pattern.search(xml)
            if found is not None:
                xml = xml[: found.start()] + _cell_xml(ref, found.group(1) or "", value) + xml[found.end():]
            else:
                xml = _add_cell(xml, ref, _cell_xml(ref, "", value))
        return xml

    rewrite_part(path, part, change)


def _add_cell(xml: str, ref: str, cell: str) -> str:
    """``cell`` put into its row (made when missing), after the cells of the columns before it."""
    row, col = parse_a1(ref)
    number = row + 1
    found = re.search(rf'<row r="{number}"[^>]*?(/>|>(.*?)</row>)', xml, re.S)
    if found is None:
        later = next((m for m in re.finditer(r'<row r="(\d+)"', xml) if int(m.group(1)) > number), None)
        at = later.start() if later else xml.index("</sheetData>")
        return xml[:at] + f'<row r="{number}">{cell}</row>' + xml[at:]
    if found.group(1) == "/>":
        opened = found.group(0)[:-2] + ">"
        return xml[: found.start()] + opened + cell + "</row>" + xml[found.end():]
    body = found.group(2)
    cells = list(re.finditer(r'<c r="([A-Z]+)\d+"', body))
    after = next((m for m in cells if parse_a1(m.group(1) + "1")[1] > col), None)
    at = found.start(2) + (after.start() if after else len(body))
    return xml[:at] + cell + xml[at:]


def sheet_parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return sorted(n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))


# --- each party fills their own file --------------------------------------------------------------------------------
def employee_cells(person: Person, values: dict[str, Any], review: dict[str, str]) -> dict[str, Any]:
    """What the employee types into their own workbook: actuals, their own ratings, the self-review ({cell: value})."""
    from xl_kpi.sheet.person import PersonLayout

    cells = PersonLayout.for_spec(SPEC_360).cell_map(SPEC_360)
    out: dict[str, Any] = {cells["actual"][iid]: v for iid, v in values.items() if iid in cells["actual"]}
    out |= {cells["rating"][iid]["self"]: given["self"] for iid, given in values.items() if isinstance(given, dict) and "self" in given}
    out |= {cells["review"][k]: text for k, text in review.items()}
    return out


def rater_cells(path: Path, role: str, rater_id: str, people: list[Person], inputs: dict[str, dict[str, Any]],
                comments: dict[str, str]) -> dict[str, Any]:
    """What a rater types into their own workbook: on each person's row (found by the id it holds), their inputs
    for that person — a peer the rating of their slot (their place in the person's list of peers)."""
    import openpyxl

    from xl_kpi.core.refs import a1
    from xl_kpi.sheet.rating_layout import RatingLayout

    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    rows = {str(r[1].value): r[1].row - 1 for r in ws.iter_rows(min_row=RatingLayout.FIRST_ROW + 1) if len(r) > 1 and r[1].value}
    by_id = {p.employee_id: p for p in people}
    meta = [[c.value for c in row] for row in wb["_xlkpi_meta"].iter_rows()]
    header = next(row for row in meta if row[0] == "sheet")
    shown = json.loads(next(row for row in meta[meta.index(header) + 1:] if row[0])[header.index("cellmap")])
    layout = RatingLayout(SPEC_360, role, len(rows), shown["prior"], tuple(shown["shown"]))
    out: dict[str, Any] = {}
    for eid, r in rows.items():
        if eid not in by_id:
            continue
        given = inputs[eid]
        slot = by_id[eid].peers.index(rater_id) + 1 if role == "peer" else 0
        for col in layout.inputs:
            kind, _, rest = col.key.partition(":")
            if kind == "rating":
                iid, _, rater = rest.partition(":")
                value = given[iid][f"{rater}_{slot}" if role == "peer" else rater]
            elif kind in ("adj", "veto"):
                value = given.get(col.key)
            else:
                value = comments.get(eid)
            if value not in (None, ""):
                out[a1(r, col.col)] = value
    return out
