"""How to consolidate, parsed once at the edge (the API or the command line) into one typed object that
every layer below reads — the run, the workers, the outputs — instead of a dozen parameters passed on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..core.errors import UsageError
from ..core.periods import PERIOD_EXAMPLES, parse_period
from ..core.text import Text
from ..sheet.register import Register
from ..spec.model import Person, Spec
from ..spec.scales import grade_scales
from .authority import Authority
from .distribution import TargetDistribution, check_distribution, parse_distribution
from .health import MIN_PEOPLE
from .safety import Limits

__all__ = ["ConsolidateOptions"]


def _quiet(n: int) -> None:
    return None


@dataclass(frozen=True)
class ConsolidateOptions:
    """Everything a consolidation run is asked to do.

    ``templates`` are HR's rules (the authority over any rules a return carries); ``roster`` the people
    expected (who did not return, and each one's bonus base); ``register`` what HR issued (rules, period,
    targets, bonus base per workbook, and the key its metadata is signed with). ``period`` is the period
    consolidated as HR writes it (``2026Q4``); None takes the one most returns are of. ``progress`` is
    called with the number of files read as work advances, ``on_sources`` once with the number found.
    """

    templates: Mapping[str, Spec] | None = None
    roster: tuple[Person, ...] | None = None
    register: Register | None = None
    period: str | None = None
    target_distribution: TargetDistribution | None = None
    history: Path | None = None  # default OUTDIR/history.sqlite
    workers: int | None = None  # default one per CPU
    scheduler: str | None = None  # a Dask scheduler's address instead of the local pool
    limits: Limits = field(default_factory=Limits)
    health_min_people: int = MIN_PEOPLE
    progress: Callable[[int], None] = _quiet
    on_sources: Callable[[int], None] = _quiet

    @classmethod
    def of(cls, templates: Mapping[str, Spec] | None = None, roster: Sequence[Person] | None = None, *,
           target_distribution: TargetDistribution | str | None = None, period: str | None = None,
           **others: object) -> ConsolidateOptions:
        """The options from their values as a caller gives them (a distribution and a period as text are
        read here, once).

        Raises:
            UsageError: a distribution or a period that cannot be read, fewer than one person for the
                health flags, or a distribution that fits none of the roster's grade scales.
        """
        options = cls(dict(templates) if templates is not None else None, tuple(roster) if roster is not None else None,
                      period=period, target_distribution=parse_distribution(target_distribution)
                      if isinstance(target_distribution, str) else target_distribution, **others)  # type: ignore[arg-type]
        options.check()
        return options

    def check(self) -> None:
        """Refuse what cannot be run, before any file is read."""
        if self.health_min_people < 1:
            raise UsageError("bad-option", option="health_min_people", value=self.health_min_people,
                             allowed=Text("不小于 1 的整数", "a whole number of 1 or more"))
        if self.period is not None and parse_period(self.period) is None:
            raise UsageError("bad-option", option="--period", value=self.period, allowed=PERIOD_EXAMPLES)
        if self.target_distribution is not None and self.roster is not None and self.templates is not None:
            expected = sorted({p.template for p in self.roster})
            check_distribution(self.target_distribution, grade_scales([self.templates[t] for t in expected if t in self.templates], "zh"))

    @cached_property
    def authority(self) -> Authority:
        """HR's register and the roster's bonus bases, as the workers read returns against them."""
        return Authority.of(self.register, list(self.roster) if self.roster is not None else None)
