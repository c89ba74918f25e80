"""``xl-kpi demo``: the whole loop on the bundled templates and sample roster.

Build the workbooks, simulate people filling them in (fixed seed: most fine, some late,
some typing mistakes, one tampered file, one sent twice, one wrong attachment), consolidate
the returns, and show the results.
"""

from __future__ import annotations

import random
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .consolidate import consolidate
from .consolidate.runner import Consolidation
from .model import Bands, Deduction, Indicator, Linear, Rating, Spec
from .roster import Person, load_roster
from .spec import load_specs
from .workbook import BuildOptions, build_all

__all__ = ["build_bundled", "run_demo", "DemoResult", "simulate_actual"]

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
SEED_EXAMPLE = {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95}
REVIEWS = {
    "goal_review": "Q3核心目标:销售额完成率100%,新客户10个。",
    "key_actions": "分析客户数据,发现中小企业客户对性价比敏感,推出套餐优惠活动,带动新客户签约11家。",
    "results": "销售额完成率105%,新客户11个,复购率32%,销售费用控制在预算的95%。",
    "gaps": "大客户开发仅完成3家,下季度计划参加2场行业展会拓展资源。",
}
VAGUE_REVIEW = {"goal_review": "努力完成各项工作。", "key_actions": "积极配合团队,做出重大贡献。",
                "results": "业绩极大提升,客户满意度显著提高。", "gaps": "继续努力。"}


@dataclass
class DemoResult:
    result: Consolidation
    paths: dict[str, Path]
    workbooks: Path
    department: Path
    returns: Path


def simulate_actual(ind: Indicator, rng: random.Random) -> Any:
    """A plausible actual around the target (rounded as people type them)."""
    sc = ind.scoring
    if isinstance(sc, Rating):
        return rng.choice([lv.label for lv in sc.levels[:3]])
    if isinstance(sc, Deduction):
        return rng.choice([0, 0, 0, 1, 1, 2])
    target = float(ind.target or 1)
    if target == 0:
        return rng.choice([0, 1])
    factor = rng.uniform(0.85, 1.2) if ind.direction == "higher" else rng.uniform(0.8, 1.15)
    value = target * factor
    if ind.is_percent:
        return round(value, 3)
    if isinstance(sc, (Bands, Linear)) and float(target).is_integer() and target >= 2:
        return round(value)
    return round(value, 2)


def _rewrite_part(path: Path, part: str, change: Any) -> None:
    """Rewrite one XML part of a workbook (the demo's tampering: what a user could do by hand)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    tmp.replace(path)


def _tamper(path: Path) -> None:
    """Lower the top threshold of the first indicator (M8) and overwrite its score formula (I8)."""
    def change(xml: str) -> str:
        xml = re.sub(r'(<c r="M8"[^>]*>)<v>[^<]*</v>', r"\g<1><v>0.5</v>", xml, count=1)
        return re.sub(r'(<c r="I8"[^>]*?)(?: t="str")?><f>.*?</f><v>[^<]*</v>', r"\g<1>><v>100</v>", xml, count=1)

    _rewrite_part(path, "xl/worksheets/sheet1.xml", change)


def _returns(specs: dict[str, Spec], people: list[Person], outdir: Path, seed: int) -> None:
    rng = random.Random(seed)
    late = {people[5].employee_id, people[17].employee_id}
    actuals: dict[str, dict[str, Any]] = {}
    texts: dict[str, dict[str, str]] = {}
    for person in people:
        if person.employee_id in late:
            continue
        spec = specs[person.template]
        actuals[person.employee_id] = {ind.id: simulate_actual(ind, rng) for ind in spec.indicators}
        texts[person.employee_id] = dict(REVIEWS if person.template.startswith("sales") else VAGUE_REVIEW,
                                         comment="销售额完成率及新客户开发表现良好,建议下季度提升客户复购率。")
    first = people[0].employee_id
    if people[0].template == "sales_rep":
        actuals[first] = dict(SEED_EXAMPLE)  # the seed's worked example: 80 → 良好
    # What people really type: text numbers, "105%", full-width digits, a stray word, a blank.
    typed = {1: ("sales_rate", "105%"), 2: ("new_customers", "１１"), 3: ("sales_rate", 112), 4: ("new_customers", "十一"),
             11: ("response_time", " 14 "), 21: ("delivery_rate", None)}
    for index, (iid, value) in typed.items():
        eid = people[index].employee_id
        if eid in actuals and iid in actuals[eid]:
            actuals[eid][iid] = value
    options = BuildOptions(actuals=actuals, texts=texts)
    returned = [p for p in people if p.employee_id not in late]
    paths = build_all(specs, returned, outdir, options)
    _tamper(paths[6])
    shutil.copy(paths[8], paths[8].with_name(paths[8].stem + " (1).xlsx"))  # sent twice
    (paths[2].parent / f"~${paths[2].name}").write_bytes(b"lock")  # Excel's lock file: skipped silently
    (outdir / "报销单.xlsx").write_text("这不是考核表", encoding="utf-8")  # the wrong attachment


def build_bundled(outdir: Path, templates: Path | None = None, roster: Path | None = None
                  ) -> tuple[dict[str, Spec], list[Person], list[Path]]:
    """Every bundled template for the sample roster: outdir/workbooks (one per person) and
    outdir/department (one per department); both folders are recreated."""
    templates = templates or PACKAGE_ROOT / "workbook_templates"
    roster = roster or templates / "sample_roster.csv"
    specs = load_specs(templates)
    people = load_roster(roster, specs)
    for sub in ("workbooks", "department"):
        shutil.rmtree(outdir / sub, ignore_errors=True)
    written = build_all(specs, people, outdir / "workbooks")
    written += build_all(specs, people, outdir / "department", BuildOptions(layout="department"))
    return specs, people, written


def run_demo(outdir: Path, seed: int = 2026, templates: Path | None = None, roster: Path | None = None,
             workers: int | None = None) -> DemoResult:
    """Run the loop into ``outdir``: workbooks/, department/, returns/, results/ (recreated)."""
    specs, people, _ = build_bundled(outdir, templates, roster)
    for sub in ("returns", "results"):
        shutil.rmtree(outdir / sub, ignore_errors=True)
    _returns(specs, people, outdir / "returns", seed)
    result, paths = consolidate([outdir / "returns"], outdir / "results", specs, people, workers=workers,
                                history=outdir / "results" / "history.sqlite", target_distribution="20,70,10")
    return DemoResult(result, paths, outdir / "workbooks", outdir / "department", outdir / "returns")

