"""Shared fixtures: the bundled specs and a helper to write spec variants."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from xl_kpi.spec import load_specs

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "workbook_templates"
ROSTER = TEMPLATES / "sample_roster.csv"


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
