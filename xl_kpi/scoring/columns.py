"""The result columns: which columns the results of a set of templates have, in what order, titled
how, and what each holds — the one place that knows.

scores.csv, the Scores sheet of summary.xlsx, pay.csv, the history's ``totals`` table and
``xl-kpi score`` all read their columns from here; none of them decides a column of its own.
A column is a :class:`Column`: its key (the CSV header, the history's column, the key of
``xl-kpi score``), its title in both languages (the summary's header), its kind (how a writer shows
it) and how its value is taken from a result. :data:`TABLE` declares every column once, in order,
with when a set of templates has it; the indicators' and the sections' columns are expanded from
the templates (:func:`result_columns`).

One word, one meaning: ``<id>_actual`` is the value the score was computed from (the typed input
as it was read: ``"105%"`` typed is 1.05; blank when it could not be used), ``<id>_typed`` what was
typed, to the character. A rater's input (``<id>_<rater>``) is as typed. Where a template is rated by
others than the employee, each such rater's score (``rater_<rater>_score``: a peer rater's is its peers'
mean), who gave it (``rater_<rater>_by``: the people behind the template's rater, from their own rating
workbooks) and which raters a result still awaits (``awaiting``: ``role:who; …``, shown in words).

A value is taken from a *result row*: consolidation's ``PersonRecord``, or :class:`CardRow` for a
card scored from a table. Both carry the attributes the columns read (``employee_id``, ``scores``,
``total``, ``grade`` as its label, ``status`` …).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Literal

from ..core.text import Lang, Text
from ..spec.model import Spec
from .engine import CardResult

__all__ = ["Column", "Declared", "ResultColumns", "CardRow", "TABLE", "OUTPUTS", "PAID_STATUS", "paid", "rated_by", "result_columns",
           "stored_columns"]

Kind = Literal["text", "status", "grade", "typed", "actual", "decimal", "number", "money", "awaiting"]
Output = Literal["csv", "sheet", "score", "history"]
OUTPUTS: frozenset[Output] = frozenset({"csv", "sheet", "score", "history"})  # scores.csv, summary.xlsx, xl-kpi score, history
REPORTS: frozenset[Output] = frozenset({"csv", "sheet", "history"})  # what a return has that a table of actuals does not
PAID_STATUS = "ok"  # complete (every input read, a total) and trusted (nothing changed, issued as returned)


@dataclass(frozen=True)
class Column:
    """One result column.

    ``kind`` tells a writer how to show the value: ``text``; ``status`` (a status code, shown in words);
    ``grade`` (a grade label); ``typed`` (as typed: text or a number); ``actual`` (the value scored,
    as the indicator shows it — a percentage when ``percent``); ``decimal`` (two decimals: scores,
    totals, coefficients); ``number``; ``money``; ``awaiting`` (the raters awaited, ``role:who; …``, shown in words).
    """

    key: str
    title: Text
    kind: Kind
    value: Callable[[Any], Any]
    outputs: frozenset[Output] = OUTPUTS
    stored: str = ""  # how the history's totals table keeps it (an SQL type); "" when it does not
    percent: bool = False
    indicator: str = ""  # the indicator (or section) it belongs to, "" for the card's own
    role: str = ""  # within an indicator: "actual", "typed", "rating" or "score"; "section" for a section's score; "rater"


@dataclass(frozen=True)
class Declared:
    """A column of the table, and which sets of templates have it (the indicators' and sections' are expanded)."""

    column: Column | None  # None: the place of the indicators' (``expand="indicators"``) or sections' columns
    when: Callable[[Sequence[Spec]], bool] = lambda specs: True
    expand: str = ""


def paid(row: Any) -> float | None:
    """The pay to publish: a result's pay when it is complete and trusted, else None."""
    return row.pay if row.status == PAID_STATUS else None


def _card(key: str, zh: str, en: str, kind: Kind, value: Callable[[Any], Any] | None = None,
          when: Callable[[Sequence[Spec]], bool] = lambda specs: True, outputs: frozenset[Output] = OUTPUTS,
          stored: str = "") -> Declared:
    return Declared(Column(key, Text(zh, en), kind, value or attrgetter(key), outputs, stored), when)


def rated_by(row: Any, rater_id: str) -> str:
    """Who gave a template rater's ratings of the person, from the parts merged into the result (``李经理``;
    peers ``王芳 (E02); 刘洋 (E03)``, in HR's order); "" when none."""
    labels = []
    for part in getattr(row, "rated_by", ()):
        inputs = part.get("inputs") or {}
        if any(key.startswith("rating:") and key.split(":")[2] == rater_id for key in inputs):
            name, rid = str(part.get("name") or ""), str(part.get("id") or "")
            labels.append(rid if name in ("", rid) else f"{name} ({rid})")
    return "; ".join(dict.fromkeys(labels))


def _others_rate(specs: Sequence[Spec]) -> bool:
    """A template rated by someone besides the employee (a supervisor, a reviewer, peers)."""
    return any(not r.by_employee for s in specs for r in s.raters)


def _weighted(specs: Sequence[Spec]) -> bool:
    """A card whose total is not simply its weighted score: sections, adjustments or veto items."""
    return any(s.sections or s.adjustments or s.veto for s in specs)


def _coefficients(specs: Sequence[Spec]) -> bool:
    return any(s.has_coefficients for s in specs)


TABLE: tuple[Declared, ...] = (
    _card("employee_id", "员工编号", "Employee ID", "text", stored="TEXT"),
    _card("name", "姓名", "Name", "text", outputs=REPORTS, stored="TEXT"),
    _card("department", "部门", "Department", "text", outputs=REPORTS, stored="TEXT"),
    _card("total", "总分", "Total", "decimal", stored="REAL"),
    _card("grade", "等级", "Grade", "grade", stored="TEXT"),
    _card("status", "状态", "Status", "status", outputs=REPORTS, stored="TEXT"),
    _card("awaiting", "待评分", "Awaiting", "awaiting", lambda r: getattr(r, "awaiting", "") or None, when=_others_rate,
          outputs=frozenset({"csv", "sheet"})),  # the raters whose part is still out (rating workbooks)
    _card("coefficient", "绩效系数", "Coefficient", "decimal", when=_coefficients, stored="REAL"),
    _card("bonus_base", "奖金基数", "Bonus base", "money", when=_coefficients, stored="REAL"),
    _card("pay", "绩效工资", "Performance pay", "money", paid, when=_coefficients, stored="REAL"),  # only for a complete, trusted result
    Declared(None, expand="indicators"),
    Declared(None, expand="sections"),
    _card("weighted", "加权得分", "Weighted score", "decimal", when=_weighted, stored="REAL"),
    _card("adjustment", "加减分", "Adjustment", "number", when=lambda specs: any(s.adjustments for s in specs), stored="REAL"),
    _card("veto", "一票否决", "Veto", "text", lambda r: " ".join(r.vetoed), when=lambda specs: any(s.veto for s in specs),
          stored="TEXT"),
    Declared(None, expand="raters"),
    _card("template", "模板", "Template", "text", outputs=REPORTS, stored="TEXT"),
    _card("period", "考核周期", "Period", "text", outputs=REPORTS, stored="TEXT"),
    _card("file", "文件", "File", "text", outputs=REPORTS, stored="TEXT"),
    _card("sheet", "工作表", "Sheet", "text", outputs=frozenset({"csv", "sheet"})),
)


def stored_columns() -> list[Column]:
    """Every column the history's totals table keeps, whatever the templates (a history holds them all)."""
    return [d.column for d in TABLE if d.column is not None and d.column.stored]


@dataclass(frozen=True)
class ResultColumns:
    """The columns of a set of templates' results, in order."""

    columns: tuple[Column, ...]
    _by_key: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for c in self.columns:
            self._by_key.setdefault(c.key, c)

    def __iter__(self) -> Any:
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def for_output(self, output: Output) -> list[Column]:
        """The columns an output shows, in order."""
        return [c for c in self.columns if output in c.outputs]

    def select(self, keys: Iterable[str]) -> list[Column]:
        """The columns named, in the order named (a key the templates do not have is left out)."""
        return [self._by_key[k] for k in keys if k in self._by_key]

    def get(self, key: str) -> Column | None:
        return self._by_key.get(key)

    @staticmethod
    def header(columns: Sequence[Column]) -> list[str]:
        return [c.key for c in columns]

    @staticmethod
    def row(columns: Sequence[Column], result: Any) -> list[Any]:
        return [c.value(result) for c in columns]


def result_columns(specs: Sequence[Spec], lang: Lang = "zh") -> ResultColumns:
    """The columns for results of ``specs`` (indicators and sections in first-seen order; a name from a
    template in ``lang`` when there is one). One template's columns are ``result_columns([spec])``."""
    names, raters = _names(specs, lang)
    out: list[Column] = []
    for declared in TABLE:
        if declared.expand == "indicators":
            out += _indicator_columns(specs, names, raters)
        elif declared.expand == "sections":
            seen: dict[str, None] = {}
            for spec in specs:
                seen.update((s.id, None) for s in spec.sections)
            out += [Column(f"{sid}_score", Text(names.get(f"section:{sid}", sid), names.get(f"section:{sid}", sid)), "decimal",
                           _section(sid), OUTPUTS, indicator=sid, role="section") for sid in seen]
        elif declared.expand == "raters":
            out += _rater_columns(specs, raters)
        elif declared.column is not None and declared.when(specs):
            out.append(declared.column)
    return ResultColumns(tuple(out))


def _indicator_columns(specs: Sequence[Spec], names: dict[str, str], rater_names: dict[str, str]) -> list[Column]:
    """Per indicator (first seen first): its actual, as scored and as typed, or each rater's input; then its score."""
    out: list[Column] = []
    seen: set[str] = set()
    for spec in specs:
        for ind in spec.indicators:
            if ind.id in seen:
                continue
            seen.add(ind.id)
            name = names.get(ind.id, ind.id)
            if ind.raters:
                for rater in ind.raters:
                    who = rater_names.get(rater, rater)
                    out.append(Column(f"{ind.id}_{rater}", Text(f"{name}·{who}", f"{name}·{who}"), "typed", _rating(ind.id, rater),
                                      REPORTS - {"history"}, percent=ind.is_percent, indicator=ind.id, role="rating"))
            elif ind.counts_events:  # several kinds of event: each one's count as read
                for e in ind.events:
                    out.append(Column(f"{ind.id}_{e.id}", Text(f"{name}·{e.name}(次)", f"{name}·{e.name} (count)"), "actual",
                                      _event(ind.id, e.id), REPORTS - {"history"}, indicator=ind.id, role="actual"))
            else:
                out.append(Column(f"{ind.id}_actual", Text(name, name), "actual", _actual(ind.id), REPORTS - {"history"},
                                  percent=ind.is_percent, indicator=ind.id, role="actual"))
                out.append(Column(f"{ind.id}_typed", Text(f"{name}(原样)", f"{name} (as typed)"), "typed", _typed(ind.id),
                                  frozenset({"csv"}), indicator=ind.id, role="typed"))
            out.append(Column(f"{ind.id}_score", Text(f"{name}得分", f"{name} score"), "decimal", _score(ind.id), OUTPUTS,
                              indicator=ind.id, role="score"))
    return out


def _rater_columns(specs: Sequence[Spec], rater_names: dict[str, str]) -> list[Column]:
    """Per rater other than the employee (first seen first): their score and who rated."""
    seen = dict.fromkeys(r.id for s in specs for r in s.raters if not r.by_employee)
    out: list[Column] = []
    for rid in seen:
        who = rater_names.get(rid, rid)
        out.append(Column(f"rater_{rid}_score", Text(f"{who}得分", f"{who} score"), "decimal", _role_score(rid),
                          frozenset({"csv", "sheet"}), role="rater"))
        out.append(Column(f"rater_{rid}_by", Text(f"{who}评分人", f"{who}: rated by"), "text", _rater_by(rid),
                          frozenset({"csv", "sheet"}), role="rater"))
    return out


def _role_score(rid: str) -> Callable[[Any], Any]:
    return lambda r: getattr(r, "role_scores", {}).get(rid)


def _rater_by(rid: str) -> Callable[[Any], Any]:
    return lambda r: rated_by(r, rid) or None


def _names(specs: Sequence[Spec], lang: Lang) -> tuple[dict[str, str], dict[str, str]]:
    """Indicator, section and rater names by id, from a template in ``lang`` when there is one."""
    names: dict[str, str] = {}
    raters: dict[str, str] = {}
    for spec in reversed(sorted(specs, key=lambda s: s.language != lang)):
        names.update({ind.id: ind.name for ind in spec.indicators})
        names.update({f"section:{s.id}": s.name for s in spec.sections})
        raters.update({r.id: r.name for r in spec.raters})
    return names, raters


def _actual(iid: str) -> Callable[[Any], Any]:
    return lambda r: r.actuals.get(iid)


def _event(iid: str, eid: str) -> Callable[[Any], Any]:
    return lambda r: (r.actuals.get(iid) or {}).get(eid) if isinstance(r.actuals.get(iid), dict) else None


def _typed(iid: str) -> Callable[[Any], Any]:
    return lambda r: r.raw.get(iid)


def _rating(iid: str, rater: str) -> Callable[[Any], Any]:
    return lambda r: r.ratings.get(iid, {}).get(rater)


def _score(iid: str) -> Callable[[Any], Any]:
    return lambda r: r.scores.get(iid)


def _section(sid: str) -> Callable[[Any], Any]:
    return lambda r: r.sections.get(sid)


@dataclass(frozen=True)
class CardRow:
    """A card scored from a table of actuals (``xl-kpi score``), as the columns read a result."""

    employee_id: str
    card: CardResult
    bonus_base: float | None = None
    status: str = PAID_STATUS

    @property
    def scores(self) -> dict[str, float | None]:
        return self.card.scores

    @property
    def sections(self) -> dict[str, float | None]:
        return self.card.sections

    @property
    def total(self) -> float | None:
        return self.card.total

    @property
    def grade(self) -> str | None:
        return self.card.grade.label if self.card.grade else None

    @property
    def weighted(self) -> float | None:
        return self.card.weighted

    @property
    def adjustment(self) -> float | None:
        return self.card.adjustment

    @property
    def vetoed(self) -> tuple[str, ...]:
        return self.card.vetoed

    @property
    def coefficient(self) -> float | None:
        return self.card.coefficient

    @property
    def pay(self) -> float | None:
        return self.card.pay
