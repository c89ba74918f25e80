"""Digests of every part of the workbooks a build writes, for every bundled template and every spec under
``tests/data``: a refactoring of the writer proves itself by giving the same digests before and after.

    python -m tests.build_fingerprint before.json          # on the old code
    python -m tests.build_fingerprint after.json           # on the new code
    python -m tests.build_fingerprint --compare before.json after.json

Each spec is built as HR builds it (its own language, pre-filled with the first of
:func:`tests.workbook_cases.cases` and review texts), in the other language, in UDF mode, with a reviewer
password, with its ratings issued separately (cards with raters), and in a department workbook of two
people; the parts are read from the .xlsx (zip) and hashed, so a difference names the part.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

from xl_kpi.api import bundled_templates, load_spec
from xl_kpi.spec.model import Person, Spec
from xl_kpi.spec.raters import PersonRaters, RaterRef
from xl_kpi.workbook import build_department_workbook, build_employee_workbook
from xl_kpi.workbook.build import BuildOptions

from .workbook_cases import cases

DATA = Path(__file__).parent / "data"
TEXTS = {"comment": "完成良好,继续保持。", "goal_review": "目标达成", "key_actions": "拜访客户", "results": "超额", "gaps": "回款慢"}


def spec_files(tmp: Path) -> list[Path]:
    """The bundled templates, the specs under tests/data, and the seed's sales card with only adjustments, with only
    veto items, and with both (blocks no bundled template has alone)."""
    files = sorted(bundled_templates().glob("*.yaml")) + sorted(DATA.glob("*.yaml"))
    sales = yaml.safe_load((bundled_templates() / "sales_rep.yaml").read_text(encoding="utf-8"))
    supervisor = yaml.safe_load((bundled_templates() / "sales_supervisor.yaml").read_text(encoding="utf-8"))
    for name, keys in (("adjustments_only", ("adjustments",)), ("veto_only", ("veto",)), ("both", ("adjustments", "veto"))):
        path = tmp / f"sales_{name}.yaml"
        path.write_text(yaml.safe_dump({**sales, **{k: supervisor[k] for k in keys}, "id": f"sales_{name}"}, allow_unicode=True),
                        encoding="utf-8")
        files.append(path)
    return files


def _parts(path: Path) -> dict[str, str]:
    """Each part's digest; docProps/core.xml is left out: it holds the time of the build and nothing else of ours."""
    with zipfile.ZipFile(path) as z:
        return {info.filename: hashlib.sha256(z.read(info.filename)).hexdigest()[:16] for info in z.infolist()
                if info.filename != "docProps/core.xml"}


def _variants(spec: Spec) -> list[tuple[str, BuildOptions]]:
    people = ("E1", "E2")
    case = cases(spec)[0]
    actuals = {e: {**case, "bonus_base": 6000} for e in people}
    texts = {e: TEXTS for e in people}
    out = [("plain", BuildOptions()),
           ("filled", BuildOptions(actuals=actuals, texts=texts)),
           ("other_lang", BuildOptions(lang="en" if spec.language == "zh" else "zh", actuals=actuals)),
           ("udf", BuildOptions(formulas="udf", actuals=actuals)),
           ("locked", BuildOptions(password="pw", reviewer_password="rv", actuals=actuals, texts=texts))]
    if spec.raters:
        raters = {e: PersonRaters(RaterRef("M1", "李四"), RaterRef("R1", "赵六"), (RaterRef("P1", "钱七"), RaterRef("P2", "孙八"))) for e in people}
        out.append(("separate", BuildOptions(ratings="separate", raters=raters, actuals=actuals, texts=texts)))
    return out


def fingerprint() -> dict[str, Any]:
    """Every workbook's parts by ``folder/spec/variant``; each workbook's random id (its metadata) drawn from a seeded
    generator, so two runs of the same code agree."""
    out: dict[str, Any] = {}
    rng = random.Random(24)
    with tempfile.TemporaryDirectory() as tmp, mock.patch("uuid.uuid4", lambda: uuid.UUID(int=rng.getrandbits(128))):
        for file in spec_files(Path(tmp)):
            spec = load_spec(file)
            people = [Person(e, n, "销售一部", "销售代表", "李四", spec.id, bonus_base=6000, peers=("P1", "P2"))
                      for e, n in (("E1", "张三"), ("E2", "王芳"))]
            for name, options in _variants(spec):
                target = Path(tmp) / f"{file.stem}_{name}{options.suffix}"
                build_employee_workbook(target, spec, people[0], options)
                out[f"{_folder(file)}/{file.stem}/{name}"] = _parts(target)
            target = Path(tmp) / f"{file.stem}_dept.xlsx"
            build_department_workbook(target, "销售一部", [(p, spec) for p in people], BuildOptions(actuals=_variants(spec)[1][1].actuals))
            out[f"{_folder(file)}/{file.stem}/department"] = _parts(target)
    return out


def _folder(file: Path) -> str:
    return file.parent.name if file.parent.name in ("workbook_templates", "templates", "data") else "derived"


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Every workbook and part that differs (or is missing on one side)."""
    diffs = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a is None or b is None:
            diffs.append(f"{key}: only {'after' if a is None else 'before'}")
            continue
        diffs += [f"{key}: {part}" for part in sorted(set(a) | set(b)) if a.get(part) != b.get(part)]
    return diffs


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compare"]:
        before, after = (json.loads(Path(p).read_text()) for p in argv[1:3])
        diffs = compare(before, after)
        print("\n".join(diffs) or f"identical: {len(before)} workbooks, {sum(len(v) for v in before.values())} parts")
        return 1 if diffs else 0
    Path(argv[0]).write_text(json.dumps(fingerprint(), indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
