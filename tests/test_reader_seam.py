"""The reader behind its seam: a defect of the reader is named as the reader's (reader-error, raised with
--debug), never as a damaged file; what the reader remembers across files is one bounded object."""

from __future__ import annotations

import pytest

from xl_kpi.cli import run
from xl_kpi.consolidation import consolidate, person_read
from xl_kpi.consolidation.caches import ReaderCache
from xl_kpi.consolidation.inputs import Source
from xl_kpi.consolidation.reader import read_source

from .returned import GOOD, SEED, VICTIM, make_return


@pytest.fixture
def broken_rules(monkeypatch):
    """A defect in one of the reader's steps (what a bug in xl-kpi looks like from outside)."""
    def defect(sheet):
        raise TypeError("unsupported operand type(s) for +: 'NoneType' and 'str'")

    monkeypatch.setattr(person_read, "STEPS", tuple(defect if step is person_read.check_rules else step for step in person_read.STEPS))
    monkeypatch.delenv("XL_KPI_DEBUG", raising=False)


def test_a_defect_of_the_reader_is_reported_as_the_readers_never_as_a_damaged_file(broken_rules, tmp_path, specs):
    returns = tmp_path / "returns"
    make_return(specs, returns, GOOD)
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1)
    assert [(i.code, i.employee_id) for i in result.issues] == [("reader-error", GOOD.employee_id)]
    assert "not a fault of the file" in result.issues[0].render("en") and "TypeError" in result.issues[0].render("en")


def test_with_debug_a_defect_of_the_reader_is_raised(broken_rules, tmp_path, specs, monkeypatch):
    path = make_return(specs, tmp_path / "returns", GOOD)
    monkeypatch.setenv("XL_KPI_DEBUG", "1")
    with pytest.raises(TypeError):
        read_source(Source(str(path)), specs)
    monkeypatch.setenv("XL_KPI_DEBUG", "")  # what --debug sets for the run (restored after the test)
    with pytest.raises(TypeError):
        run(["--debug", "consolidate", str(tmp_path / "returns"), "-o", str(tmp_path / "out"), "--workers", "1"])


def test_what_the_reader_remembers_is_bounded_and_its_own(tmp_path, specs):
    """Returns of one template share most of their bytes: one cache reads them as the first did, and stays
    within its bounds however many files pass through it; another reader's cache starts empty."""
    returns = tmp_path / "returns"
    paths = [make_return(specs, returns, person, {**SEED, "new_customers": n}) for n, person in enumerate([GOOD, VICTIM], start=11)]
    cache = ReaderCache()
    first = [read_source(Source(str(p)), specs, cache=cache).records[0].total for p in paths]
    assert first == [read_source(Source(str(p)), specs).records[0].total for p in paths] == [80, 85]  # 12 new customers: the top band
    for name in ("books", "percent", "strings", "cells", "skeletons", "orders", "kinds", "plans", "specs", "formulas", "targets"):
        kept = getattr(cache, name)
        assert len(kept) <= kept.size, name
    assert cache.cells and cache.plans and len(cache.parts.parts) <= cache.parts.size
    assert not ReaderCache().cells
