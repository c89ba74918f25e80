"""Users install the package, not the repository: the wheel built from the sdist works alone.

The tree is copied outside the checkout and built (sdist, then the wheel from the sdist, so
a file missing from the sdist breaks the wheel too); the wheel is installed with the pinned
constraints into a fresh virtual environment, and there — far from the checkout — the demo,
a build of a bundled template, ``python -m xl_kpi`` and every example of docs/api.md run.
pip's cache makes the install quick after the first run; only the package registry is used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from .docblocks import python_blocks

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(".venv", ".git", "out", ".cache", "__pycache__", "*.egg-info", "build", "dist", ".pytest_cache", "node_modules",
                              ".hypothesis", ".mypy_cache", ".ruff_cache")
pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, f"{' '.join(cmd)} → {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The sdist and the wheel built from it, from a copy of the tree outside the checkout."""
    work = tmp_path_factory.mktemp("pkg")
    shutil.copytree(ROOT, work / "src", ignore=SKIP)
    _run([sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(work / "src")], cwd=work)
    (sdist,) = (work / "dist").glob("*.tar.gz")
    (wheel,) = (work / "dist").glob("*.whl")
    return sdist, wheel


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory):
    """A fresh virtual environment with only the wheel (and its pinned dependencies, and xlwings for the UDFs)."""
    _, wheel = dist
    home = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", str(home / "v")], cwd=home)
    python = home / "v" / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", str(ROOT / "constraints.txt"),
          f"{wheel}[udf]"], cwd=home, timeout=900)
    return python, home


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["XL_KPI_LANG"] = "en"
    return env


def test_the_wheel_holds_every_package_the_templates_and_the_udfs(dist):
    _, wheel = dist
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "xl_kpi").rglob("__init__.py")}
    for package in packages:
        assert f"{package.replace('.', '/')}/__init__.py" in names, package
    for spec in (ROOT / "workbook_templates").glob("*.yaml"):
        assert f"xl_kpi/templates/{spec.name}" in names
    assert {"xl_kpi/templates/sample_roster.csv", "xl_kpi/udf/functions.py", "xl_kpi/py.typed"} <= names
    assert not any(n.startswith(("tests/", "bench/", "workbook_templates/", "udfs/")) for n in names)  # no generic top-level `udfs`
    top_level = next(zipfile.ZipFile(wheel).read(n) for n in names if n.endswith("top_level.txt"))
    assert top_level.decode().split() == ["xl_kpi"]
    metadata = next(zipfile.ZipFile(wheel).read(n) for n in names if n.endswith("METADATA")).decode()
    assert "License-Expression: MIT" in metadata and "Requires-Dist: XlsxWriter<3.4,>=3.1.9" in metadata


def test_the_sdist_holds_the_templates(dist):
    sdist, _ = dist
    names = {n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if "/" in n}
    assert {"workbook_templates/sales_rep.yaml", "workbook_templates/sample_roster.csv", "xl_kpi/udf/functions.py",
            "pyproject.toml", "README.md"} <= names


def test_the_installed_package_runs_the_demo_and_builds(venv):
    python, home = venv
    env = _clean_env()
    where = _run([str(python), "-c", "import xl_kpi; print(xl_kpi.__file__); print(xl_kpi.bundled_templates())"], home, env)
    module, templates = where.stdout.split()
    assert str(home) in module and str(ROOT) not in module and (Path(templates) / "sales_rep.yaml").is_file()
    cli = python.parent / "xl-kpi"
    demo = _run([str(cli), "demo", "-o", str(home / "demo")], home, env)
    assert "E001" in demo.stdout and "80.00" in demo.stdout and (home / "demo" / "results" / "summary.xlsx").is_file()
    roster = home / "sales_roster.csv"
    lines = (Path(templates) / "sample_roster.csv").read_text(encoding="utf-8").splitlines()
    roster.write_text("\n".join([lines[0], *[line for line in lines[1:] if ",sales_rep," in line]]) + "\n", encoding="utf-8")
    _run([str(cli), "build", str(Path(templates) / "sales_rep.yaml"), "--roster", str(roster), "-o", str(home / "built")], home, env)
    assert len(list((home / "built").rglob("*.xlsx"))) == len(lines[1:]) - sum(",sales_rep," not in line for line in lines[1:])
    helped = _run([str(python), "-m", "xl_kpi", "--help"], home, env)
    assert "consolidate" in helped.stdout and "build" in helped.stdout
    _run([str(python), "-c", "import xl_kpi.udf.functions as u; assert u.KPISCORE(1.05, [1.1, 1.0, 0.9], [100, 80, 60]) == 80"],
         home, env)
    generic = subprocess.run([str(python), "-c", "import udfs"], cwd=home, env=env, capture_output=True, text=True, check=False)
    assert generic.returncode != 0, "the wheel installed a generic top-level module udfs"


def test_the_installed_package_writes_a_working_xlwings_lite_main_py(venv):
    """`xl-kpi addin lite` bundles the core from the installed package; main.py then needs nothing else."""
    python, home = venv
    env = _clean_env()
    _run([str(python.parent / "xl-kpi"), "addin", "lite", "-o", str(home / "lite")], home, env)
    check = ("import sys; sys.path.insert(0, 'lite'); import main, xl_kpi; "
             "assert '.zip' in xl_kpi.__file__, xl_kpi.__file__; "
             "assert main.KPISTEP(0.93, 0.95, 0.01, 1, 2, 100, 0, 110) == 96")
    _run([str(python), "-c", check], home, {**env, "TMPDIR": str(home)})


def test_the_api_examples_run_in_the_installed_package(venv):
    python, home = venv
    for k, block in enumerate(python_blocks(ROOT / "docs" / "api.md")):
        script = home / f"api_example_{k}.py"
        script.write_text(block, encoding="utf-8")
        _run([str(python), str(script)], home, _clean_env())
