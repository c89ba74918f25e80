"""What a scoring method is: one protocol that owns everything the method means.

A method knows its YAML keys and checks, its scalar and vectorised score, its parameter
cells, its sheet formula, its standard sentence, its top and bottom score, the inputs it
accepts, a plausible value for simulations and the probe values the oracle tests use.
Everything else in xl-kpi asks the registry (:mod:`xl_kpi.methods`) instead of testing
which method an indicator has. Methods sit below the spec layer: they import only ``core``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeAlias

from ..core.text import Text
from .grammar import Context, Reading, number_text, value_text

__all__ = ["Params", "Param", "Subject", "Checker", "Cells", "Method", "format_value", "points", "FloatArray", "IntArray",
           "COMMON_LABELS"]

if TYPE_CHECKING:  # numpy only on the vectorised paths, imported there (the scoring core is stdlib-only)
    import numpy as np
    import numpy.typing as npt

FloatArray: TypeAlias = "npt.NDArray[np.float64]"
IntArray: TypeAlias = "npt.NDArray[np.intp]"


@dataclass(frozen=True)
class Params:
    """Base of every method's parameters: a frozen dataclass whose last field, ``method``, names
    the method (a field, so the canonical JSON records which method the parameters belong to)."""

    @property
    def method(self) -> str:  # each subclass's ``method`` field replaces this
        raise NotImplementedError


@dataclass(frozen=True)
class Param:
    """One (key, value) pair shown beside an indicator's row; the sheet formula reads the value.

    ``key_is_rule``: the key is part of the rules (a threshold, a level) and is checked on
    return; a word such as 下限/floor is only a label.
    """

    key: float | str
    value: float
    key_is_rule: bool = True


class Subject(Protocol):
    """What a method sees of the indicator it scores (``spec.model.Indicator`` satisfies it)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def scoring(self) -> Any: ...
    @property
    def target(self) -> float | str | None: ...
    @property
    def direction(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def is_percent(self) -> bool: ...


class Checker(Protocol):
    """How a method reports problems while parsing YAML (``spec.rules`` passes its checker)."""

    def error(self, code: str, where: str, **fields: Any) -> None: ...
    def warn(self, code: str, where: str, **fields: Any) -> None: ...
    def keys(self, data: dict[Any, Any], allowed: tuple[str, ...], loc: str) -> None: ...
    def number(self, value: Any, where: str, name: Text) -> float | None: ...
    def score_value(self, value: Any, where: str) -> float | None: ...


class Cells(Protocol):
    """Where a formula finds its inputs on the sheet (A1 references, from the sheet layout)."""

    @property
    def actual(self) -> str: ...
    @property
    def target(self) -> str: ...
    def key(self, p: int) -> str: ...
    def value(self, p: int) -> str: ...
    def key_span(self, first: int, last: int) -> str: ...
    def value_span(self, first: int, last: int) -> str: ...


# Parameter words several methods share (a method's own ``labels`` add to them and win).
COMMON_LABELS: dict[str, tuple[str, str]] = {
    "floor": ("下限", "floor"),
    "cap": ("上限", "cap"),
    "start": ("起始分", "start"),
}


def format_value(subject: Subject, value: float) -> str:
    """A value as a person reads it, exactly (it reads back): 1.1 → "110%", 12 with unit 个 → "12个"."""
    if subject.is_percent:
        return value_text(value, True)
    unit = subject.unit if subject.unit and subject.unit not in ("分", "points", "等级") else ""
    sep = " " if unit and unit.isascii() else ""
    return f"{number_text(value)}{sep}{unit}"


def points(score: float, lang: str) -> str:
    """"得80分" / ": 80 pts" — how a standard sentence states a score."""
    return f"得{number_text(score)}分" if lang == "zh" else f": {number_text(score)} pts"


class Method:
    """A scoring method. Subclasses set the class attributes and implement the rules.

    Scores are floats, or ``None`` where the engine shows a blank (an unknown level).
    """

    name: ClassVar[str]  # the YAML ``method:`` value
    words: ClassVar[tuple[str, ...]] = ()  # what HR calls it (the Chinese word first, then others): 分档, 分档计分, …
    labels: ClassVar[dict[str, tuple[str, str]]] = {}  # the words of its parameter cells: key → (Chinese, English)
    judged_by_raters: ClassVar[bool] = False  # a person's judgement: rated by the card's raters when it has them
    params_class: ClassVar[type[Params]]
    yaml_keys: ClassVar[tuple[str, ...]]  # allowed keys of the ``scoring:`` mapping
    label_input: ClassVar[bool] = False  # the input is a label (a level), not a number
    amount_target: ClassVar[bool] = False  # the target is an amount of the actual (plans split it over time and people)
    needs_target: ClassVar[bool] = True  # a numeric input is scored against a target (a judged entry is not)

    # --- the spec ---------------------------------------------------------------------------
    def parse(self, chk: Checker, raw: dict[str, Any], loc: str, direction: str) -> Params | None:
        """Build the parameters from the ``scoring:`` mapping, reporting every problem."""
        raise NotImplementedError

    def check_target(self, chk: Checker, params: Params, target: Any, direction: str, where: str) -> None:
        """Problems of a numeric target with these rules (e.g. a target no band rewards)."""

    def from_canonical(self, data: dict[str, Any]) -> Params:
        """The parameters from their canonical JSON (as a workbook's metadata stores them)."""
        raise NotImplementedError

    # --- the engine ---------------------------------------------------------------------------
    def score(self, subject: Subject, actual: Any) -> float | None:
        """The score of one present actual (a finite float, or a label for ``label_input``)."""
        raise NotImplementedError

    def score_rows(self, subjects: Sequence[Subject], codes: IntArray, x: FloatArray, raw: npt.NDArray[Any]) -> FloatArray:
        """Vectorised: row ``i`` belongs to ``subjects[codes[i]]`` (every code in range); ``x`` the
        actuals as floats (NaN when blank or not a number), ``raw`` as given. NaN where the score is blank."""
        import numpy as np

        out = np.full(len(codes), np.nan)
        for j, subject in enumerate(subjects):
            rows = codes == j
            if rows.any():
                out[rows] = self.score_array(subject, x[rows], raw[rows])
        return out

    def score_array(self, subject: Subject, x: FloatArray, raw: npt.NDArray[Any]) -> FloatArray:
        """Vectorised scores of one indicator's actuals (a method overrides this with array operations)."""
        import numpy as np

        scores = [None if v != v else self.score(subject, float(v)) for v in x]
        return np.array([np.nan if s is None else s for s in scores], dtype=float)

    def top(self, subject: Subject) -> float:
        """The best score this indicator can give (what "at the top band" means)."""
        raise NotImplementedError

    def bottom(self, subject: Subject) -> float:
        """The worst score this indicator can give."""
        raise NotImplementedError

    def input_range(self, subject: Subject) -> tuple[float, float] | None:
        """The actuals that make sense for this method, or None when anything numeric goes."""
        return None

    def anchored(self, subject: Subject) -> bool:
        """The scale says in words what each score means (so its name need not be SMART-specific)."""
        return False

    def choices(self, subject: Subject) -> list[tuple[str, str]] | None:
        """The (label, what it means) pairs a person picks from (a drop-down), for label inputs."""
        return None

    # --- the sheet ------------------------------------------------------------------------------
    def params(self, subject: Subject, word: Any = str) -> list[Param]:
        """The parameter cells beside the row; ``word`` labels word keys (其他/otherwise) in the sheet's language."""
        raise NotImplementedError

    def formula(self, subject: Subject, cells: Cells, mode: str = "native") -> str:
        """The sheet formula for the score: blank actual → "", else this method's rule."""
        raise NotImplementedError

    def describe(self, subject: Subject, lang: str) -> str:
        """The standard sentence printed on the scorecard, in the spec's language."""
        raise NotImplementedError

    def standard(self, subject: Subject, lang: str) -> str:
        """The rules as a sentence that reads back to the same parameters (``read``): what a
        spec workbook shows. The scorecard's sentence unless the rules depend on the person."""
        return self.describe(subject, lang)

    # --- reading what people write ---------------------------------------------------------------
    read_order: ClassVar[int] = 50  # methods try a standard in this order: specific forms before general ones

    def read(self, text: str, ctx: Context) -> Reading | None:
        """The parameters (a ``scoring:`` mapping) from a standard as people write it, e.g.
        ``≥110%得100分;100%-110%得80分;<90%得0分``; None when the text is not of this method's
        form; :class:`~xl_kpi.methods.grammar.Unreadable` when it is but cannot be read."""
        return None

    def rescaled(self, scoring: dict[str, Any], factor: float) -> dict[str, Any] | None:
        """The ``scoring:`` mapping with every score multiplied by ``factor`` (a table's items kept on a
        10-point scale, read on 100); None when this method's scores cannot be rescaled."""
        return None

    # --- simulations and tests --------------------------------------------------------------------
    def simulate(self, subject: Subject, rng: random.Random) -> Any:
        """A plausible actual, typed as a person would (the demo and the benchmarks)."""
        raise NotImplementedError

    def probes(self, subject: Subject) -> list[Any]:
        """Actuals on and around every boundary of these rules (the oracle tests)."""
        raise NotImplementedError

    def samples(self) -> list[dict[str, Any]]:
        """YAML indicators using this method (both directions where it applies), for the tests
        that prove every registered method in LibreOffice, ``formulas`` and UDF mode."""
        raise NotImplementedError
