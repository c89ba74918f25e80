"""A person's workbook built with its time of build and random id fixed, so two builds of the same workbook (one
stamped or replayed from the workbook before, one written in full) can be compared byte for byte."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path
from unittest import mock

from xl_kpi.spec.model import Person, Spec
from xl_kpi.workbook import BuildOptions, build_employee_workbook


class Noon(datetime.datetime):
    @classmethod
    def now(cls, tz: datetime.tzinfo | None = None) -> Noon:  # type: ignore[override]
        return cls(2026, 12, 7, 12, 0, 0, tzinfo=tz)


def build_bytes(tmp: Path, name: str, spec: Spec, person: Person, options: BuildOptions = BuildOptions()) -> bytes:
    """The workbook's bytes, its time of build and random id fixed."""
    with mock.patch("xlsxwriter.core.datetime", Noon), mock.patch("uuid.uuid4", lambda: uuid.UUID(int=7)):
        return build_employee_workbook(tmp / f"{name}{options.suffix}", spec, person, options).read_bytes()
