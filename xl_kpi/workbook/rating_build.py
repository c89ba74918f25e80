"""Plan and write every rater's workbook of a build, and what each issues for the register.

From each person's raters (:class:`~xl_kpi.spec.raters.PersonRaters`: the roster's manager,
reviewer and peers columns, or HR's rater list), one workbook per rater and role: the supervisor's
lists the people whose card they rate or whose adjustments, veto marks and comment they fill; the
reviewer's the people they review; a peer's the colleagues they rate. Files go in one folder
(``评分表`` / ``ratings``), named ``<role>_<rater>``, unique as every name of a build is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.findings import Finding
from ..core.version import VERSION
from ..scoring.engine import CardInputs
from ..sheet.metadata import Metadata
from ..sheet.rating_layout import input_key
from ..sheet.register import Issued
from ..spec.model import Person, Spec
from ..spec.raters import RATER_ROLES, PersonRaters, PriorCard, RaterRef, input_roles
from .build import BuildOptions
from .filenames import FilePlan, plan_rating_files
from .rating_book import RATING_FOLDER, ROLE_WORDS, Rated, RatingBook, write_rating_book

__all__ = ["RatingPlan", "plan_rating_books", "rating_books"]


def rating_books(specs: Mapping[str, Spec], people: Sequence[Person], raters: Mapping[str, PersonRaters], lang: str | None = None,
                 prior: Mapping[str, PriorCard] | None = None, filled: Mapping[str, Mapping[str, Any]] | None = None,
                 texts: Mapping[str, Mapping[str, str]] | None = None) -> list[RatingBook]:
    """One workbook per (role, rater): supervisors first, then reviewers, then peers; the people of each in roster order.
    ``filled`` (each person's inputs as :class:`~xl_kpi.scoring.engine.CardInputs` takes them) and ``texts`` (the
    comment) pre-fill the rater's cells: a peer's slot ``<peer>_<k>`` is the k-th peer's input."""
    members: dict[tuple[str, RaterRef], list[Rated]] = {}
    for role in RATER_ROLES:
        for person in people:
            spec = specs[person.template]
            if role not in input_roles(spec) | {"supervisor"}:  # the supervisor writes the comment on every card
                continue
            assigned = raters[person.employee_id].of_role(role) if person.employee_id in raters else ()
            for k, rater in enumerate(assigned, start=1):
                given = _given(spec, role, k, (filled or {}).get(person.employee_id) or {}, (texts or {}).get(person.employee_id) or {})
                members.setdefault((role, rater), []).append(Rated(person, spec, (prior or {}).get(person.employee_id), given))
    books = []
    for (role, rater), group in members.items():
        langs = [m.spec.language for m in group]
        periods = [m.person.period or m.spec.period for m in group]
        shown = tuple(dict.fromkeys(r.id for m in group for r in m.spec.raters if r.role == "supervisor")) if role == "reviewer" else ()
        books.append(RatingBook(rater, role, tuple(group), lang or max(set(langs), key=langs.count),
                                max(set(periods), key=periods.count), shown))
    return books


def _given(spec: Spec, role: str, k: int, values: Mapping[str, Any], texts: Mapping[str, str]) -> dict[str, Any]:
    """A rater's inputs for one person, from the person's inputs (``{rated indicator: {rater: input}}``,
    ``adj:<item>``, ``veto:<item>``) and texts (``comment``)."""
    inputs = CardInputs.of(spec, values)
    out: dict[str, Any] = {}
    for ind in spec.indicators:
        for rater in ind.raters:
            if spec.rater(rater).role != role:
                continue
            given = inputs.ratings.get(ind.id) or {}
            out[input_key("rating", ind.id, rater)] = given.get(f"{rater}_{k}" if role == "peer" else rater)
    if role == "supervisor":
        out |= {input_key("adj", item): count for item, count in inputs.adjustments.items()}
        out |= {input_key("veto", item): mark for item, mark in inputs.veto.items()}
        out["comment"] = texts.get("comment")
    return out


@dataclass
class RatingPlan:
    """The rating workbooks of a build: each book, its path (relative to the output folder), and renamed files."""

    books: list[RatingBook]
    paths: tuple[PurePosixPath, ...]
    findings: tuple[Finding, ...]

    def write(self, stage: Path, options: BuildOptions, progress: Callable[[int], None] | None = None) -> None:
        """Write every book under ``stage`` and add what it issues to ``options.issued``."""
        for book, rel in zip(self.books, self.paths):
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            rows = write_rating_book(target, book, options.password, options.sign_key, f"xl-kpi {VERSION}")
            if options.issued is not None:
                options.issued.extend(issued_rows(rows, target.name, book))


def issued_rows(rows: list[list[str]], file: str, book: RatingBook) -> list[Issued]:
    """The register's rows of one rating workbook: one per person it covers, with the rater and role."""
    meta = Metadata(rows)
    wid, signed = meta.values["workbook_id"], "signature" in meta.values
    return [Issued(wid, p["employee_id"], file, p["sheet"], p["name"], p["department"], p["template"], p["version"], p["spec_hash"],
                   p["period"], "", signed, "", p.get("protection", ""), "", "", book.role, book.rater.id, book.rater.name)
            for p in meta.people]


def plan_rating_books(specs: Mapping[str, Spec], people: Sequence[Person], options: BuildOptions, employees: FilePlan) -> RatingPlan:
    """The rating workbooks a build writes beside the employees' (``employees``: their planned paths)."""
    books = rating_books(specs, people, options.raters or {}, options.lang, options.prior, options.actuals, options.texts)
    lang = options.lang or (max({s.language for s in specs.values()}, key=[specs[p.template].language for p in people].count)
                            if people else "zh")
    plan = plan_rating_files([(ROLE_WORDS[b.role][lang == "en"], b.rater.id, b.rater.name) for b in books], RATING_FOLDER[lang],
                             employees.paths, ".xlsx")  # no formulas of their own: never macro-enabled
    return RatingPlan(books, plan.paths, plan.findings)
