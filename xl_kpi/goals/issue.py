"""Issue the goals workbooks of a roster: history's targets per person, one workbook each, the register.

Like a scorecard build, every name is decided first, the workbooks are written into a hidden folder inside the
output folder, then the register is updated, then the workbooks are moved into place: a build that fails leaves
neither workbooks nor register rows of its own behind.
"""

from __future__ import annotations

import datetime
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..core.files import writing_to
from ..sheet.register import REGISTER_NAME, write_register
from ..spec.model import Person, Spec
from ..workbook.build import Built
from ..workbook.filenames import plan_files, plan_rating_files
from ..workbook.rating_book import RATING_FOLDER
from .book import GoalsIssue, write_goals_book
from .department import write_department_goals
from .layout import word
from .register import record_issued
from .rules import GoalRules, History, Member, rules_for
from .supervisor import SUPERVISOR_FILE, supervisor_named, write_supervisor_book

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["build_goals", "history_of"]


def _num(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def history_of(frame: pd.DataFrame | None, spec: Spec, people: Sequence[str]) -> dict[str, dict[str, History]]:
    """What history says per person and indicator (``xl-kpi targets`` with the resource-limited variant):
    ``{employee_id: {indicator_id: History}}``; nothing for a person or indicator without history."""
    if frame is None:
        return {}
    from ..advice.targets import suggest_targets

    out: dict[str, dict[str, History]] = {}
    for s in suggest_targets(frame, spec, resource_limited=True, people=people):
        if s.periods and "completion" not in s.flags:
            out.setdefault(s.employee_id, {})[s.indicator_id] = History(
                s.periods, _num(s.mean), _num(s.baseline), _num(s.challenge), _num(s.resource_limited), s.extra_process_target)
    return out


def build_goals(specs: Mapping[str, Spec], people: Sequence[Person], outdir: Path, *, history: pd.DataFrame | None = None,
                rules: GoalRules | None = None, period: str | None = None, lang: str | None = None, password: str = "",
                sign_key: bytes | None = None, sources: Mapping[str, Mapping[str, str]] | None = None,
                progress: Callable[[int], None] | None = None, separate: bool = False, layout: str = "employee",
                department_targets: Mapping[str, Mapping[str, float]] | None = None, udf: bool = False) -> Built:
    """Write a goals workbook for every roster person and record them in the register beside them
    (``sources``: per department, the department goal each indicator serves; ``separate``: each supervisor agrees
    their people's goals in a workbook of their own, in the rating workbooks' folder — a person without a
    supervisor on the roster keeps the supervisor's cells in their own file; ``layout`` ``department``: one workbook
    per department, :mod:`.department`, its targets from ``department_targets`` beside the sum of its people's)."""
    departments = list(dict.fromkeys(p.department for p in people))
    suffix = ".xlsm" if udf else ".xlsx"  # xlwings functions: a macro-enabled workbook
    plan = plan_files(layout, people, departments, suffix)
    hist: dict[str, dict[str, History]] = {}
    for spec_id in dict.fromkeys(p.template for p in people):
        hist.update(history_of(history, specs[spec_id], [p.employee_id for p in people if p.template == spec_id]))
    by_dept = {d: [p for p in people if p.department == d] for d in departments}
    dept_lang = {d: lang or _common([specs[p.template].language for p in group]) for d, group in by_dept.items()}
    rels = []
    if layout == "department":
        rels = [PurePosixPath(f"{rel.stem}_{word('title', dept_lang[d])}{rel.suffix}") for d, rel in zip(departments, plan.paths)]
    else:
        for person, rel in zip(people, plan.paths):
            own = lang or specs[person.template].language
            rels.append(PurePosixPath(rel.parent, f"{rel.stem}_{word('title', own)}{rel.suffix}"))
    teams: dict[str, list[Person]] = {}
    for person in people if separate else ():
        if person.manager.strip():
            teams.setdefault(person.manager.strip(), []).append(person)
    team_lang = {m: _common([lang or specs[p.template].language for p in team]) for m, team in teams.items()}
    named = {m: supervisor_named(m, {p.employee_id: p.name for p in people}) for m in teams}
    team_rels = plan_rating_files([(SUPERVISOR_FILE[team_lang[m]], m, named[m][0]) for m in teams],
                                  RATING_FOLDER[_common(list(team_lang.values()) or ["zh"])],
                                  rels, ".xlsx").paths
    outdir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".xl-kpi-goals-", dir=outdir))
    issued: list[GoalsIssue] = []
    own_period = lambda p: p.period or period or specs[p.template].period  # noqa: E731

    def member(p: Person) -> Member:
        return Member(p, specs[p.template], own_period(p), hist.get(p.employee_id, {}), rules_for(specs[p.template], rules or GoalRules()),
                      p.manager.strip() in teams)

    try:
        with writing_to(outdir, name_file=False):
            for d, rel in zip(departments, rels) if layout == "department" else ():
                people_ = [member(p) for p in by_dept[d]]
                issued += write_department_goals(stage / rel, d, people_, dept_lang[d], (sources or {}).get(d),
                                                 (department_targets or {}).get(d), password, sign_key, udf)
                if progress:
                    progress(len(people_))
            for person, rel in zip(people, rels) if layout != "department" else ():
                spec = specs[person.template]
                issued.append(write_goals_book(stage / rel, spec, person, own_period(person), lang or spec.language,
                                               rules_for(spec, rules or GoalRules()), hist.get(person.employee_id, {}), (sources or {}).get(person.department),
                                               password, sign_key, separate=person.manager.strip() in teams, udf=udf))
                if progress:
                    progress(1)
            for (manager, team), rel in zip(teams.items(), team_rels):
                issued += write_supervisor_book(stage / rel, named[manager][1], [member(p) for p in team], team_lang[manager], password,
                                                sign_key)
            rels += team_rels
            now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
            used = {specs[p.template].hash: specs[p.template] for p in people}
            register = outdir / REGISTER_NAME
            write_register(register, [], now, [(h, s.id, s.version, s.canonical_json) for h, s in used.items()])
            record_issued(register, issued, sign_key is not None, now)
            for rel in rels:
                (outdir / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(stage / rel, outdir / rel)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return Built((outdir / rel for rel in rels), plan.findings)


def _common(langs: Sequence[str]) -> str:
    return max(set(langs), key=langs.count) if langs else "zh"

