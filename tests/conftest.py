"""Shared fixtures: the bundled specs, a helper to write spec variants, and one to forge zip directories."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("XL_KPI_LANG", "zh")  # the tests read messages in Chinese; a test that wants English sets it

import pytest
import yaml
from hypothesis import settings

from xl_kpi.sheet.person import PersonLayout
from xl_kpi.spec import load_specs
from xl_kpi.workbook import stamp

# No property test is a timed test: hypothesis's default 200 ms deadline fails a correct example on a busy
# machine (seen: the formula normaliser's idempotence, 2026-12-07, with two cores shared by five runs).
settings.register_profile("xl-kpi", deadline=None)
settings.load_profile("xl-kpi")

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "workbook_templates"
ROSTER = TEMPLATES / "sample_roster.csv"
SALES_SPEC = load_specs(TEMPLATES)["sales_rep"]
ROSTER_SIZE = len(ROSTER.read_text(encoding="utf-8").strip().splitlines()) - 1  # the sample roster's people
SALES_LAYOUT = PersonLayout.for_spec(SALES_SPEC)
SALES_CELLS = SALES_LAYOUT.cell_map(SALES_SPEC)  # where tests find things on a sales scorecard (tests/test_layout_golden.py pins it)


@pytest.fixture(autouse=True)
def _no_stamps_from_other_tests():
    """Each test builds its workbooks with nothing stamped from another test's (xl_kpi/workbook/stamp.py)."""
    stamp.clear()


@pytest.fixture(scope="session")
def specs():
    return load_specs(TEMPLATES)


@pytest.fixture(scope="session")
def sales(specs):
    return specs["sales_rep"]


@pytest.fixture
def write_spec(tmp_path):
    """Write a spec (dict or YAML text) to a file and return its path."""

    def _write(data, name="spec.yaml"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path

    return _write


def sales_dict():
    """The seed's sales spec as raw data, for tests that break one thing at a time."""
    return yaml.safe_load((TEMPLATES / "sales_rep.yaml").read_text(encoding="utf-8"))


def declare_size(data: bytearray, part: str, size: int) -> int:
    """Overwrite the uncompressed size a zip's central directory declares for ``part``; returns the old one."""
    at = data.find(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(part.encode())] != part.encode():
        at = data.find(b"PK\x01\x02", at + 4)
    old = int.from_bytes(data[at + 24 : at + 28], "little")
    data[at + 24 : at + 28] = size.to_bytes(4, "little")
    return old


def pytest_collection_modifyitems(config, items):
    """``@pytest.mark.libreoffice`` tests skip, saying why, where LibreOffice is not installed (.ci/run installs it)."""
    from xl_kpi.office.gnumeric import ssconvert_path
    from xl_kpi.office.libreoffice import soffice_path

    for marker, found, name in (("libreoffice", soffice_path(), "LibreOffice (soffice)"), ("gnumeric", ssconvert_path(), "Gnumeric (ssconvert)")):
        if found is None:
            skip = pytest.mark.skip(reason=f"{name} not installed; .ci/run installs it")
            for item in items:
                if marker in item.keywords:
                    item.add_marker(skip)
