"""Step scoring (the seed's standard): the first threshold the actual reaches gives its score.

Higher is better: thresholds from the highest down, ``actual >= t``; lower is better: from the
lowest up, ``actual <= t``; ``otherwise`` when none is reached. Actuals are compared after
``ROUND(actual, 9)``, so 110% typed is exactly 1.1 in Excel and here.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from ..core.rounding import ROUND_ACTUAL, excel_round, excel_round_array
from ..core.text import Text
from .band_reading import read_bands
from .base import Cells, Checker, FloatArray, IntArray, Method, Param, Params, Subject, format_value, points
from .grammar import (
    Context,
    Reading,
    value_text,
)

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["Bands", "BandsMethod", "band_score"]


@dataclass(frozen=True)
class Bands(Params):
    """Step scoring: the first threshold the actual reaches gives its score."""

    thresholds: tuple[float, ...]
    scores: tuple[float, ...]
    otherwise: float = 0.0
    relative: bool = False  # thresholds are multiples of the person's own target: actual / target is compared
    method: str = "bands"


def band_score(actual: float, thresholds: Sequence[float], scores: Sequence[float], direction: str = "higher",
               otherwise: float = 0.0) -> float:
    """The first band the actual reaches: from the highest threshold down (higher is better)
    or from the lowest up (lower is better); ``otherwise`` when it reaches none."""
    a = excel_round(actual, ROUND_ACTUAL)
    if direction == "higher":
        for t, s in zip(thresholds, scores):
            if a >= t:
                return s
    else:
        for t, s in zip(thresholds, scores):
            if a <= t:
                return s
    return otherwise


class BandsMethod(Method):
    name = "bands"
    words = ("分档", "分档计分", "分段计分")
    labels: ClassVar[dict[str, tuple[str, str]]] = {"otherwise": ("其他", "otherwise")}
    params_class = Bands
    amount_target = True
    yaml_keys = ("method", "bands", "otherwise", "relative")

    def parse(self, chk: Checker, raw: dict[str, Any], loc: str, direction: str) -> Bands | None:
        bands = raw.get("bands")
        where = f"{loc}.bands"
        if not isinstance(bands, list) or not bands:
            chk.error("bands-empty", where)
            return None
        thresholds: list[float] = []
        scores: list[float] = []
        ok = True
        for j, band in enumerate(bands):
            if not isinstance(band, list) or len(band) != 2:
                chk.error("bands-shape", f"{where}[{j}]", band=band)
                ok = False
                continue
            t = chk.number(band[0], f"{where}[{j}][0]", Text("阈值", "threshold"))
            s = chk.score_value(band[1], f"{where}[{j}][1]")
            if t is None or s is None:
                ok = False
                continue
            thresholds.append(t)
            scores.append(s)
        otherwise = chk.score_value(raw.get("otherwise", 0), f"{loc}.otherwise")
        relative = raw.get("relative", False)
        if not isinstance(relative, bool):
            chk.error("wrong-type", f"{loc}.relative", name="relative", expected=Text("true 或 false", "true or false"),
                      example="relative: true")
            relative = False
        if not ok or otherwise is None:
            return None
        desc = direction == "higher"
        for j in range(1, len(thresholds)):
            a, b = thresholds[j - 1], thresholds[j]
            if a == b:
                chk.error("bands-duplicate", f"{where}[{j}]", threshold=b)
            elif (a < b) if desc else (a > b):
                chk.error("bands-order", f"{where}[{j}]", before=a, after=b, direction=direction,
                          order=Text("从高到低", "from the highest down") if desc else Text("从低到高", "from the lowest up"))
            if scores[j] > scores[j - 1]:
                chk.error("bands-scores", f"{where}[{j}][1]", worse=scores[j], better=scores[j - 1])
        if scores and otherwise > scores[-1]:
            chk.error("bands-otherwise", f"{loc}.otherwise", otherwise=otherwise, lowest=scores[-1])
        return Bands(thresholds=tuple(thresholds), scores=tuple(scores), otherwise=otherwise, relative=relative)

    def check_target(self, chk: Checker, params: Params, target: Any, direction: str, where: str) -> None:
        assert isinstance(params, Bands)
        if params.relative and target == 0:
            chk.error("target-zero", where)
            return
        reached = 1.0 if params.relative else target  # relative bands compare actual / target: meeting it is 1
        if params.thresholds and not any((reached >= t) if direction == "higher" else (reached <= t) for t in params.thresholds):
            chk.error("target-unrewarded", where, value=target)

    def from_canonical(self, data: dict[str, Any]) -> Bands:
        return Bands(thresholds=tuple(map(float, data["thresholds"])), scores=tuple(map(float, data["scores"])),
                     otherwise=float(data["otherwise"]), relative=bool(data.get("relative", False)))

    def score(self, subject: Subject, actual: Any) -> float:
        sc = subject.scoring
        if sc.relative:
            actual = actual / float(subject.target)  # type: ignore[arg-type]
        return band_score(actual, sc.thresholds, sc.scores, subject.direction, sc.otherwise)

    def score_rows(self, subjects: Sequence[Subject], codes: IntArray, x: FloatArray, raw: npt.NDArray[Any]) -> FloatArray:
        """Every row of every band indicator in one pass.

        A validated spec lists thresholds strictly from the best down, so the bands an actual
        reaches are the last ``k`` of the list and the first one reached is number ``n - k``:
        counting reached bands, then one gather, gives the scalar rule's first-reached score.
        """
        import numpy as np

        m = len(subjects)
        width = max((len(s.scoring.thresholds) for s in subjects), default=0)
        thresholds = np.full((width, m + 1), np.inf)  # +inf pads are never reached
        table = np.full((m + 1, width + 1), np.nan)  # per indicator: band scores, then otherwise
        count = np.zeros(m + 1, dtype=np.intp)
        sign = np.ones(m + 1)  # column m: padding, never indexed (every code is in range)
        scale = np.ones(m + 1)  # relative bands divide the actual by the person's target
        for j, subject in enumerate(subjects):
            sc = subject.scoring
            k = len(sc.thresholds)
            # "actual <= t" for lower-is-better is "-actual >= -t": negation is exact.
            sign[j] = 1.0 if subject.direction == "higher" else -1.0
            thresholds[:k, j] = np.asarray(sc.thresholds) * sign[j]
            table[j, :k] = sc.scores
            table[j, k] = sc.otherwise
            count[j] = k
            if sc.relative:
                scale[j] = float(subject.target)  # type: ignore[arg-type]
        c = codes
        a = excel_round_array(x / np.take(scale, c) if (scale != 1.0).any() else x, ROUND_ACTUAL)
        a *= np.take(sign, c)
        reached = np.zeros(len(c), dtype=np.intp)
        for b in range(width):
            reached += a >= np.take(thresholds[b], c)
        out = np.take(table.ravel(), c * (width + 1) + (np.take(count, c) - reached))
        out[np.isnan(x)] = np.nan
        return out

    def score_array(self, subject: Subject, x: FloatArray, raw: npt.NDArray[Any]) -> FloatArray:
        import numpy as np

        return self.score_rows([subject], np.zeros(x.shape, dtype=np.intp), x, raw)

    def top(self, subject: Subject) -> float:
        return float(subject.scoring.scores[0])

    def bottom(self, subject: Subject) -> float:
        return float(subject.scoring.otherwise)

    def params(self, subject: Subject, word: Any = str) -> list[Param]:
        sc = subject.scoring
        return [*(Param(t, s) for t, s in zip(sc.thresholds, sc.scores)), Param(word("otherwise"), sc.otherwise, False)]

    def formula(self, subject: Subject, cells: Cells, mode: str = "native") -> str:
        sc = subject.scoring
        n = len(sc.thresholds)
        x = cells.actual
        if mode == "udf":
            measured = f"{x}/{cells.target}" if sc.relative else x
            return (f'=IF(ISNUMBER({x}),KPISCORE({measured},{cells.key_span(0, n - 1)},{cells.value_span(0, n - 1)},'
                    f'"{subject.direction}",{cells.value(n)}),"")' if sc.relative else
                    f'=KPISCORE({x},{cells.key_span(0, n - 1)},{cells.value_span(0, n - 1)},"{subject.direction}",{cells.value(n)})')
        op = ">=" if subject.direction == "higher" else "<="
        rounded = f"ROUND({x}/{cells.target},{ROUND_ACTUAL})" if sc.relative else f"ROUND({x},{ROUND_ACTUAL})"
        expr = cells.value(n)
        for p in reversed(range(n)):
            expr = f"IF({rounded}{op}{cells.key(p)},{cells.value(p)},{expr})"
        return f'=IF(ISNUMBER({x}),{expr},"")'

    def describe(self, subject: Subject, lang: str) -> str:
        """The seed's sentence; relative bands state this person's own thresholds (threshold × target)."""
        sc = subject.scoring
        factor = float(subject.target) if sc.relative else 1.0  # type: ignore[arg-type]
        return self._sentence(subject, [format_value(subject, t * factor) for t in sc.thresholds], lang)

    def standard(self, subject: Subject, lang: str) -> str:
        """Relative bands as written in the spec: ``≥目标×120%得100分;…``."""
        sc = subject.scoring
        if not sc.relative:
            return self.describe(subject, lang)
        word = "目标×" if lang == "zh" else "target × "
        return self._sentence(subject, [word + value_text(t, True) for t in sc.thresholds], lang)

    def _sentence(self, subject: Subject, v: list[str], lang: str) -> str:
        sc = subject.scoring
        higher = subject.direction == "higher"
        parts = [f"{'≥' if higher else '≤'}{v[0]}{points(sc.scores[0], lang)}"]
        for j in range(1, len(v)):
            lo, hi = (v[j], v[j - 1]) if higher else (v[j - 1], v[j])
            parts.append(f"{lo}–{hi}{points(sc.scores[j], lang)}")
        parts.append(f"{'<' if higher else '>'}{v[-1]}{points(sc.otherwise, lang)}")
        return (";" if lang == "zh" else "; ").join(parts)

    read_order = 90  # the most general form: tried last

    def rescaled(self, scoring: dict[str, Any], factor: float) -> dict[str, Any] | None:
        return {**scoring, "bands": [[t, _times(v, factor)] for t, v in scoring["bands"]],
                "otherwise": _times(scoring.get("otherwise", 0.0), factor)}

    def read(self, text: str, ctx: Context) -> Reading | None:
        """Bands in every common spelling: ``≥110%得100分;100%(含)-110%得80分;不足90%得0分``,
        ``110%以上100分``, ``=100%得100分``, ``≤90%100分`` (lower is better), ``≥12个``, ``≥目标×120%``."""
        return read_bands(text, ctx)

    def simulate(self, subject: Subject, rng: random.Random) -> Any:
        return _around_target(subject, rng)

    def probes(self, subject: Subject) -> list[Any]:
        sc = subject.scoring
        factor = float(subject.target) if sc.relative else 1.0  # type: ignore[arg-type]
        values: list[Any] = []
        for t in (t * factor for t in sc.thresholds):
            values += [t, t + 1e-10, t - 1e-10, t + 1e-7, t - 1e-7]
        return values + [min(sc.thresholds) / 2, max(sc.thresholds) * 2, 0]

    def samples(self) -> list[dict[str, Any]]:
        return [
            {"id": "bands_up", "name": "销售额完成率", "unit": "%", "target": 1.0, "direction": "higher",
             "scoring": {"method": "bands", "bands": [[1.2, 100], [1.1, 90], [1.0, 80], [0.9, 60]], "otherwise": 10}},
            {"id": "bands_down", "name": "平均响应时长", "unit": "分钟", "target": 15, "direction": "lower",
             "scoring": {"method": "bands", "bands": [[10, 100], [15, 80], [20, 60]]}},
            {"id": "bands_relative", "name": "新客户开发数", "unit": "个", "target": 10, "direction": "higher",
             "scoring": {"method": "bands", "relative": True, "bands": [[1.2, 100], [1.0, 80], [0.8, 60]]}},
        ]


def _times(value: float, factor: float) -> float:
    """A score × a factor, exact in decimal (10 分 on a 10-point scale × 10 is 100, not 100.00000000000001)."""
    return float(Decimal(repr(float(value))) * Decimal(repr(float(factor))))


def _around_target(subject: Subject, rng: random.Random) -> Any:
    """A plausible actual near the target, rounded as people type them (bands and linear)."""
    target = float(subject.target or 1)
    if target == 0:
        return rng.choice([0, 1])
    factor = rng.uniform(0.85, 1.2) if subject.direction == "higher" else rng.uniform(0.8, 1.15)
    value = target * factor
    if subject.is_percent:
        return round(value, 3)
    if float(target).is_integer() and target >= 2:
        return round(value)
    return round(value, 2)


METHOD = BandsMethod()
