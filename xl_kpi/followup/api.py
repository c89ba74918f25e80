"""The follow-up steps of a cycle as Python functions (re-exported by :mod:`xl_kpi.api`, ``docs/api.md``).

Each takes what ``consolidate`` takes — the returns, HR's templates, roster and register — or the
history it wrote, and returns plain data; bad input raises the project's own exceptions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..consolidation.safety import Limits
from ..core.errors import UsageError
from ..core.periods import PERIOD_EXAMPLES, parse_period
from ..spec.model import Spec
from .inputs import PathLike, paths_of, people_of, register_of, specs_of
from .returns import Returns, read_returns
from .sendback import SendBackRun, write_sendback

__all__ = ["sendback", "read_cycle"]


def read_cycle(returns: PathLike | Sequence[PathLike], templates: Spec | PathLike | Mapping[str, Spec] | None = None,
               roster: Any = None, *, issued: PathLike | None = None, sign_key: PathLike | bytes | None = None,
               period: str | None = None, workers: int | None = None, limits: Limits = Limits()) -> Returns:
    """The returns read as ``consolidate`` reads them, with HR's register and roster (close it when done)."""
    if period is not None and parse_period(period) is None:
        raise UsageError("bad-option", option="--period", value=period, allowed=PERIOD_EXAMPLES)
    specs = specs_of(templates)
    people = people_of(roster, specs)
    register, folder = register_of(issued, sign_key)
    return read_returns(paths_of(returns), specs, people, register, folder, period, workers, limits)


def sendback(returns: PathLike | Sequence[PathLike], outdir: PathLike, templates: Spec | PathLike | Mapping[str, Spec] | None = None,
             roster: Any = None, *, issued: PathLike | None = None, sign_key: PathLike | bytes | None = None,
             period: str | None = None, workers: int | None = None) -> SendBackRun:
    """For every return with problems, what goes back to its owner, written into ``outdir``.

    A return whose cells someone can put right gets an annotated copy of the person's own file: each
    problem cell framed in red with a comment (in the workbook's language) saying what is wrong and how to
    fix it, and a note at the top of their sheet listing them; nothing else in the file changes, so the
    corrected file consolidates like any return. A return typing cannot make right (rules or protection
    changed, another period, another format) is re-issued: the workbook as issued is named (``issued``
    gives the register and the folder of the workbooks). ``sendback.csv`` lists everyone with the file to
    attach; :func:`chase` writes the e-mails.

    Returns:
        The entries (``.items``, each with ``action``: fix, reissue or hr, the cells, the file to attach),
        the paths written and the findings of what could not be done.
    """
    cycle = read_cycle(returns, templates, roster, issued=issued, sign_key=sign_key, period=period, workers=workers)
    try:
        return write_sendback(cycle, Path(outdir))
    finally:
        cycle.close()
