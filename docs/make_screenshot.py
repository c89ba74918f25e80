"""Render the seed's worked example (张三, total 80 → 良好) as LibreOffice shows it: docs/scorecard.png.

Needs LibreOffice (soffice) and poppler (pdftoppm). Run: .venv/bin/python docs/make_screenshot.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xl_kpi.demo import REVIEWS, SEED_EXAMPLE  # noqa: E402
from xl_kpi.office.libreoffice import convert  # noqa: E402
from xl_kpi.spec import load_spec  # noqa: E402
from xl_kpi.spec.model import Person  # noqa: E402
from xl_kpi.workbook import BuildOptions, build_employee_workbook  # noqa: E402


def main() -> None:
    spec = load_spec(ROOT / "workbook_templates" / "sales_rep.yaml")
    person = Person("E001", "张三", "销售一部", "销售代表", "李四(销售经理)", "sales_rep")
    texts = dict(REVIEWS, comment="销售额完成率及新客户开发表现良好,建议下季度提升客户复购率,重点关注高价值客户维护。")
    with tempfile.TemporaryDirectory() as tmp:
        book = build_employee_workbook(Path(tmp) / "E001.xlsx", spec, person,
                                       BuildOptions(actuals={"E001": SEED_EXAMPLE}, texts={"E001": texts}))
        (pdf,) = convert([book], Path(tmp), to="pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(Path(tmp) / "page")], check=True)
        shutil.copy(Path(tmp) / "page.png", ROOT / "docs" / "scorecard.png")
    print(ROOT / "docs" / "scorecard.png")


if __name__ == "__main__":
    main()
