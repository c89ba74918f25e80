"""A team that rates as HR's form says (issue 26): 3 supervisors, 1 reviewer, 12 people, 2 peers each, on the
360 card ``tests/data/sales_360.yaml`` (自评 20% / 上级 40% / 复核 20% / 同事互评 20%); what each party types,
and how they type it into their own file — the value written into the cell's XML, as a user's keystroke leaves it."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path
from typing import Any

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
    a number is stored as a number, text as text — what a spreadsheet saves after typing."""
    def change(xml: str) -> str:
        for ref, value in values.items():
            pattern = re.compile(rf'<c r="{ref}"( s="\d+")?[^>]*?(?:/>|>.*?</c>)', re.S)
            found = pattern.search(xml)
            assert found is not None, f"{path.name}: no cell {ref}"
            xml = xml[: found.start()] + _cell_xml(ref, found.group(1) or "", value) + xml[found.end():]
        return xml

    rewrite_part(path, part, change)


def sheet_parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return sorted(n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
