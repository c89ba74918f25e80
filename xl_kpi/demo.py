"""``xl-kpi demo``: the whole loop on the bundled templates and sample roster, as an application
of the public API (:mod:`xl_kpi.api`).

Build the workbooks, simulate people filling them in (fixed seed: most fine, some late, some
typing mistakes, one tampered file, one sent twice, one wrong attachment), consolidate the
returns, and show the results.
"""

from __future__ import annotations

import random
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import api
from .sheet.register import REGISTER_NAME
from .spec.model import Indicator, Person, Spec

__all__ = ["build_bundled", "run_demo", "DemoResult", "simulate_actual", "simulate_card", "SEED_EXAMPLE", "REVIEWS",
           "VAGUE_REVIEW"]

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
    result: api.ConsolidationResult
    paths: dict[str, Path]
    workbooks: Path
    department: Path
    returns: Path


def simulate_actual(ind: Indicator, rng: random.Random) -> Any:
    """A plausible actual, typed as a person would (each method says what is plausible)."""
    return ind.method.simulate(ind, rng)


def simulate_card(spec: Spec, rng: random.Random) -> dict[str, Any]:
    """Plausible inputs for a whole card: actuals, each rater's input of the rated indicators, and a
    few adjustment events (the flat mapping ``score_card`` and ``build`` take)."""
    card: dict[str, Any] = {}
    for ind in spec.indicators:
        card[ind.id] = {r: simulate_actual(ind, rng) for r in ind.raters} if ind.rated else simulate_actual(ind, rng)
    for item in spec.adjustments.items if spec.adjustments else ():
        card[f"adj:{item.id}"] = rng.choice([0, 0, 0, 1, 2])
    return card


def _rewrite_sheet(path: Path, change: Callable[[str], str], part: str = "xl/worksheets/sheet1.xml") -> None:
    """Rewrite one XML part of a workbook: the demo's tampering, as a user could do by hand."""
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

    _rewrite_sheet(path, change)


def _returns(specs: dict[str, Spec], people: list[Person], outdir: Path, seed: int) -> None:
    rng = random.Random(seed)
    late = {people[5].employee_id, people[17].employee_id}
    actuals: dict[str, dict[str, Any]] = {}
    texts: dict[str, dict[str, str]] = {}
    for person in people:
        if person.employee_id in late:
            continue
        spec = specs[person.template]
        actuals[person.employee_id] = simulate_card(spec, rng)
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
    vetoed = next((p.employee_id for p in people[::-1] if specs[p.template].veto and p.employee_id in actuals), None)
    if vetoed:  # one supervisor's falsified data: the veto sets the total to zero
        actuals[vetoed]["veto:" + specs[next(p.template for p in people if p.employee_id == vetoed)].veto[-1].id] = "是"
    returned = [p for p in people if p.employee_id not in late]
    paths = api.build(specs, returned, outdir, actuals=actuals, texts=texts)
    (outdir / REGISTER_NAME).replace(outdir.parent / REGISTER_NAME)  # HR keeps the register, away from the returns
    _tamper(paths[6])
    shutil.copy(paths[8], paths[8].with_name(paths[8].stem + " (1).xlsx"))  # sent twice
    (paths[2].parent / f"~${paths[2].name}").write_bytes(b"lock")  # Excel's lock file: skipped
    (outdir / "报销单.xlsx").write_text("这不是考核表", encoding="utf-8")  # the wrong attachment


def build_bundled(outdir: Path, templates: Path | None = None, roster: Path | None = None
                  ) -> tuple[dict[str, Spec], list[Person], list[Path]]:
    """Every bundled template for the sample roster: outdir/workbooks (one per person) and
    outdir/department (one per department); both folders are recreated."""
    templates = templates or api.bundled_templates()
    roster = roster or templates / "sample_roster.csv"
    specs = api.load_templates(templates)
    people = api.load_people(roster, specs)
    for sub in ("workbooks", "department"):
        shutil.rmtree(outdir / sub, ignore_errors=True)
    written = api.build(specs, people, outdir / "workbooks")
    written += api.build(specs, people, outdir / "department", layout="department")
    return specs, people, written


def run_demo(outdir: Path, seed: int = 2026, templates: Path | None = None, roster: Path | None = None,
             workers: int | None = None) -> DemoResult:
    """Run the loop into ``outdir``: workbooks/, department/, returns/, results/ (recreated)."""
    specs, people, _ = build_bundled(outdir, templates, roster)
    for sub in ("returns", "results"):
        shutil.rmtree(outdir / sub, ignore_errors=True)
    _returns(specs, people, outdir / "returns", seed)
    result = api.consolidate([outdir / "returns"], outdir / "results", specs, people, workers=workers,
                             history=outdir / "results" / "history.sqlite", target_distribution="20,60,15,5",
                             issued=outdir / REGISTER_NAME)
    return DemoResult(result, result.paths, outdir / "workbooks", outdir / "department", outdir / "returns")
