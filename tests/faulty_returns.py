"""A corpus of faulty returns, made the way people make them: a workbook built and filled correctly, then
cells typed over in the sheet's XML — left blank, words where a number goes, a negative count, a level
the list does not have, half a complaint, "maybe" for a veto. Each case records the cells it broke:
the ground truth the send-back is held to, known to this module and never to the code under test.

Values are typed as Excel stores them (a number as ``<v>``, text as a string, the cell's format kept).
"""

from __future__ import annotations

import random
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xl_kpi.core.refs import parse_a1
from xl_kpi.spec.model import Person, Spec
from xl_kpi.workbook import BuildOptions, build_all

from .zipedit import rewrite_part

# (fault, which input it applies to, the value typed); None = the value deleted
FAULTS: dict[str, tuple[str, Any]] = {
    "blank": ("any", None),
    "words": ("number", "见附件"),
    "negative": ("count", -3),
    "below-zero-rate": ("rate", -0.2),
    "percent-as-text": ("rate", "5"),
    "unknown-level": ("level", "E"),
    "half-a-complaint": ("adjustment", 1.5),
    "maybe-veto": ("veto", "可能"),
}


@dataclass
class Case:
    """One person's return: its file, sheet, good inputs, and the faults typed in (cell → fault)."""

    person: Person
    spec: Spec
    path: Path | None = None
    sheet: str = ""
    broken: dict[str, str] = field(default_factory=dict)  # cell → fault name
    names: dict[str, str] = field(default_factory=dict)  # defined name → cell


def good_inputs(spec: Spec) -> dict[str, Any]:
    """Inputs a careful person would type: the target itself (or the first level), counts 0, no veto."""
    out: dict[str, Any] = {}
    for ind in spec.indicators:
        value: Any = ind.method.choices(ind)[1][0] if ind.takes_label else ind.target
        if ind.rated:
            out[ind.id] = {r: value for r in ind.raters}
        else:
            out[ind.id] = value
    return out


def _kinds(spec: Spec, name: str) -> set[str]:
    """Which faults fit the input behind a defined name."""
    if name.startswith("KPI_ADJ_"):
        return {"adjustment"}
    if name.startswith("KPI_VETO_"):
        return {"veto"}
    iid = name.split("_", 2)[2].lower()
    ind = next((i for i in spec.indicators if name.startswith(f"KPI_RATING_{i.id.upper()}_") or i.id == iid), None)
    if ind is None:
        return set()
    if ind.takes_label:
        return {"any", "level"}
    kinds = {"any", "number"}
    kinds |= {"rate"} if ind.is_percent else ({"count"} if ind.is_count else set())
    return kinds


def _names(path: Path) -> tuple[str, dict[str, str]]:
    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
    sheet = re.search(r'<sheet name="([^"]+)"', workbook).group(1)
    names = {m.group(1): m.group(2).split("!")[-1].replace("$", "")
             for m in re.finditer(r'<definedName name="([^"]+)" localSheetId="0">([^<]+)</definedName>', workbook)}
    return sheet, names


def type_value(path: Path, cell: str, value: Any, part: str = "xl/worksheets/sheet1.xml") -> None:
    """Type ``value`` into ``cell`` of the first sheet (or ``part``) as Excel stores it (the cell's format kept)."""
    def edit(xml: str) -> str:
        m = re.search(rf'<c r="{cell}"([^>]*?)(/>|>.*?</c>)', xml, re.S)
        style = re.search(r'\ss="\d+"', m.group(1))
        attrs = f' r="{cell}"' + (style.group(0) if style else "")
        if value is None:
            new = f"<c{attrs}/>"
        elif isinstance(value, str):
            text = value.replace("&", "&amp;").replace("<", "&lt;")
            new = f'<c{attrs} t="inlineStr"><is><t>{text}</t></is></c>'
        else:
            new = f"<c{attrs}><v>{value!r}</v></c>"
        return xml[: m.start()] + new + xml[m.end():]

    rewrite_part(path, part, edit)


def make_corpus(specs: dict[str, Spec], folder: Path, people: list[Person], seed: int, faulty_share: float = 0.7) -> tuple[list[Case], Path]:
    """Build a workbook per person (filled correctly), then type 1–3 faults into most of them (seeded).

    Returns the cases and the build folder (with its register). Every person's good inputs are kept, so a
    test can correct a return the way its owner would.
    """
    rng = random.Random(seed)
    actuals = {p.employee_id: good_inputs(specs[p.template]) for p in people}
    build = folder / "issued"
    built = build_all(specs, people, build, BuildOptions(actuals=actuals))
    cases = []
    for person, path in zip(people, built):
        spec = specs[person.template]
        sheet, names = _names(path)
        case = Case(person, spec, path, sheet, names=names)
        inputs = [n for n in names if n.startswith(("KPI_ACTUAL_", "KPI_RATING_", "KPI_ADJ_", "KPI_VETO_"))]
        if rng.random() < faulty_share:
            for name in rng.sample(inputs, min(len(inputs), rng.randint(1, 3))):
                fitting = [f for f, (kind, _) in FAULTS.items() if kind in _kinds(spec, name)]
                if not fitting:
                    continue
                fault = rng.choice(fitting)
                case.broken[names[name]] = fault
        cases.append(case)
    return cases, build


def returned(cases: list[Case], folder: Path) -> list[Case]:
    """Each case's workbook copied to ``folder`` as returned, its faults typed in."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for case in cases:
        target = folder / case.path.name
        target.write_bytes(case.path.read_bytes())
        for cell, fault in sorted(case.broken.items(), key=lambda kv: parse_a1(kv[0])):
            type_value(target, cell, FAULTS[fault][1])
        out.append(Case(case.person, case.spec, target, case.sheet, case.broken, case.names))
    return out


def correct(case: Case, path: Path) -> None:
    """Type the right values back into every broken cell of ``path`` (what the person does with the annotated
    copy), saved as a program that does not recalculate (no cached results: consolidation recomputes)."""
    inputs = good_inputs(case.spec)
    by_cell = {cell: name for name, cell in case.names.items()}
    for cell in case.broken:
        type_value(path, cell, _value_of(case.spec, by_cell[cell], inputs))
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(r"(</f>)<v>[^<]*</v>", r"\1", xml))


def _value_of(spec: Spec, name: str, inputs: dict[str, Any]) -> Any:
    if name.startswith("KPI_ADJ_"):
        return 0
    if name.startswith("KPI_VETO_"):
        return None
    for ind in spec.indicators:
        if name == f"KPI_ACTUAL_{ind.id.upper()}":
            return inputs[ind.id]
        for rater in ind.raters:
            if name == f"KPI_RATING_{ind.id.upper()}_{rater.upper()}":
                return inputs[ind.id][rater]
    raise KeyError(name)
