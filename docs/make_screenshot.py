"""Render what users see, as LibreOffice prints it, into docs/: the seed's worked example (张三, total
80 → 良好) and its English twin, the practice card's print form (打印表), a department summary, the first page
(the overview) of a consolidation's summary.xlsx, and a supervisor's rating workbook (docs/raters.md).

Needs LibreOffice (soffice) and poppler (pdftoppm). Run: .venv/bin/python docs/make_screenshot.py
(``--only rating`` renders the rating workbook alone).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("XL_KPI_LANG", "zh")

from xl_kpi.consolidation import consolidate  # noqa: E402
from xl_kpi.demo import REVIEWS, SEED_EXAMPLE, simulate_card  # noqa: E402
from xl_kpi.office.libreoffice import convert  # noqa: E402
from xl_kpi.spec import load_specs  # noqa: E402
from xl_kpi.spec.model import Person  # noqa: E402
from xl_kpi.workbook import BuildOptions, build_department_workbook, build_employee_workbook  # noqa: E402

COMMENT = "销售额完成率及新客户开发表现良好,建议下季度提升客户复购率,重点关注高价值客户维护。"


def _png(book: Path, target: str, tmp: Path, page: int = 1) -> None:
    (pdf,) = convert([book], tmp, to="pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(tmp / "page")], check=True)
    shutil.copy(tmp / "page.png", ROOT / "docs" / target)
    print(ROOT / "docs" / target)


def rating() -> None:
    """A supervisor's team rating sheet for the bundled 销售主管 card, filled in as a supervisor would."""
    from xl_kpi import api

    specs = load_specs(ROOT / "workbook_templates")
    names = ["钱进", "孙悦", "周航", "吴琳"]
    people = [Person(f"E03{k}", name, "销售一部", "销售主管", "李四", "sales_supervisor") for k, name in enumerate(names, 1)]
    levels = [("A", "B", "A"), ("B", "B", "C"), ("A", "A", "B"), ("C", "B", "B")]
    actuals = {p.employee_id: {"coaching": {"supervisor": c}, "planning": {"supervisor": pl}, "teamwork": {"supervisor": t},
                               "adj:praise": k % 2, "adj:complaint": 1 if k == 3 else 0, "veto:safety": "否", "veto:fraud": "否"}
               for k, (p, (c, pl, t)) in enumerate(zip(people, levels))}
    texts = {p.employee_id: {"comment": comment} for p, comment in zip(people, (
        "带队完成季度目标,辅导扎实;下季度加强新客户开发。", "计划跟踪到位,团队协作需主动一些。",
        "新人带教成效明显,可承担更多区域。", "费用控制偏松,需按周复盘。"))}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        api.build(specs["sales_supervisor"], people, tmp / "w", actuals=actuals, texts=texts)
        _png(tmp / "w" / "评分表" / "上级评分_李四.xlsx", "rating.png", tmp)


def main() -> None:
    if "--only" in sys.argv and sys.argv[-1] == "rating":
        rating()
        return
    rating()
    specs = load_specs(ROOT / "workbook_templates")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        zh = Person("E001", "张三", "销售一部", "销售代表", "李四(销售经理)", "sales_rep")
        en = Person("E008", "Emily Clark", "销售一部", "Sales Representative", "李四", "sales_rep_en")
        texts = dict(REVIEWS, comment=COMMENT)
        options = BuildOptions(actuals={"E001": SEED_EXAMPLE, "E008": SEED_EXAMPLE}, texts={"E001": texts})
        card = build_employee_workbook(tmp / "E001.xlsx", specs["sales_rep"], zh, options)
        _png(card, "scorecard.png", tmp)
        _png(build_employee_workbook(tmp / "E008.xlsx", specs["sales_rep_en"], en, options), "scorecard_en.png", tmp)
        lead = Person("E031", "钱进", "销售一部", "销售主管", "李四", "sales_supervisor", bonus_base=9000.0)
        practice = {"E031": simulate_card(specs["sales_supervisor"], random.Random(31))}
        _png(build_employee_workbook(tmp / "E031.xlsx", specs["sales_supervisor"], lead,
                                     BuildOptions(actuals=practice, texts={"E031": texts})), "scorecard_practice.png", tmp, page=2)  # its print form
        members = [(zh, specs["sales_rep"]), (en, specs["sales_rep_en"])]
        members += [(Person(f"E1{k:02d}", f"员工{k}", "销售一部", "销售代表", "李四", "sales_rep"), specs["sales_rep"]) for k in range(10)]
        actuals = {p.employee_id: dict(SEED_EXAMPLE, sales_rate=0.85 + 0.03 * k) for k, (p, _) in enumerate(members)}
        _png(build_department_workbook(tmp / "dept.xlsx", "销售一部", members, BuildOptions(actuals=actuals)), "department.png", tmp)
        returns = tmp / "returns"
        for person, spec in members:
            build_employee_workbook(returns / f"{person.employee_id}.xlsx", spec, person, BuildOptions(actuals=actuals))
        _, paths = consolidate([returns], tmp / "results", specs, [p for p, _ in members] +
                               [Person("E900", "未交者", "销售二部", "销售代表", "王五", "sales_rep")], workers=1)
        _png(paths["summary"], "summary.png", tmp)


if __name__ == "__main__":
    main()
