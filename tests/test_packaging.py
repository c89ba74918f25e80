"""Users install the package, not the repository: the wheel built from the sdist works alone.

The tree is copied outside the checkout and built (sdist, then the wheel from the sdist, so
a file missing from the sdist breaks the wheel too); the wheel is installed with the pinned
constraints into a fresh virtual environment, and there — far from the checkout — the demo,
a build of a bundled template, ``python -m xl_kpi`` and every example of docs/api.md and of the
PyPI page run, on every Python version the package claims. The metadata is what PyPI shows:
complete, its links absolute, its dependencies exactly what the package imports. The sdist's
own tests run from the sdist. pip's cache makes the installs quick after the first run; only the
package registry is used.
"""

from __future__ import annotations

import ast
import email
import glob
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from .docblocks import python_blocks

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
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


# --- what PyPI shows ---------------------------------------------------------------------------------
def _metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(zf.read(name))


def test_the_license_ships_in_the_wheel_and_the_sdist(dist):
    sdist, wheel = dist
    names = zipfile.ZipFile(wheel).namelist()
    licence = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
    assert "MIT License" in zipfile.ZipFile(wheel).read(licence).decode()
    assert "LICENSE" in {n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if "/" in n}
    meta = _metadata(wheel)
    assert meta["License-Expression"] == "MIT" and meta["License-File"] == "LICENSE"


def test_the_metadata_is_complete(dist):
    _, wheel = dist
    meta = _metadata(wheel)
    classifiers = meta.get_all("Classifier")
    assert {f"Programming Language :: Python :: 3.{m}" for m in (11, 12, 13)} <= set(classifiers)
    assert meta["Requires-Python"] == ">=3.11" and "Typing :: Typed" in classifiers and meta["Summary"]
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert set(urls) >= {"Homepage", "Documentation", "Source", "Issues"} and all(u.startswith("https://") for u in urls.values())
    assert meta["Description-Content-Type"] == "text/markdown"


def test_the_pypi_page_starts_with_pip_install_and_its_links_work_there(dist):
    """PyPI shows the long description alone: it starts with how to install, and every link is
    absolute (a relative one is a 404 there) and points at a file the repository has."""
    _, wheel = dist
    page = _metadata(wheel).get_payload()
    first_code = page.split("```", 2)[1].splitlines()
    assert page.startswith("# xl-kpi\n") and first_code[1] == "pip install xl-kpi"
    assert "make demo" not in page
    links = re.findall(r"\]\(([^)]+)\)", page)
    assert links and all(link.startswith("https://") for link in links), links
    home = dict(u.split(", ", 1) for u in _metadata(wheel).get_all("Project-URL"))["Source"]
    for link in links:
        path = re.sub(r"^(?:/blob|/tree)?/main/", "", link.replace(home, "").replace(home.replace("github.com", "raw.githubusercontent.com"), ""))
        assert (ROOT / path).exists(), link


def _third_party_imports() -> dict[str, set[str]]:
    """Every module outside the standard library xl_kpi imports, with the files importing it."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "xl_kpi").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "xl_kpi":
                    found.setdefault(top, set()).add(path.name)
    return found


DISTRIBUTIONS = {"yaml": "pyyaml", "xlsxwriter": "xlsxwriter", "python_calamine": "python-calamine"}
OPTIONAL = {"xlwings": "udf", "distributed": "dist"}  # imported only by the feature that needs them


def test_the_dependencies_are_exactly_what_the_package_imports(dist):
    _, wheel = dist
    required = {re.split(r"[<>=!~ ;\[]", r)[0].lower() for r in _metadata(wheel).get_all("Requires-Dist") if "extra ==" not in r}
    imported = _third_party_imports()
    needed = {DISTRIBUTIONS.get(m, m).lower() for m in imported if m not in OPTIONAL}
    assert required == needed, (required - needed, needed - required)
    extras = PYPROJECT["project"]["optional-dependencies"]
    for module, extra in OPTIONAL.items():
        assert module in imported and any(r.startswith(module) or r.startswith("dask") for r in extras[extra]), module


def test_the_wheel_installs_no_top_level_module_but_xl_kpi(dist):
    """A generic top-level module (udfs) would clash with anyone's; the functions are xl_kpi.udf (issue 31)."""
    _, wheel = dist
    tops = {n.split("/")[0] for n in zipfile.ZipFile(wheel).namelist() if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert tops == {"xl_kpi"}


# --- the installed package, on every Python version it claims ------------------------------------
def _interpreter(version: str) -> str | None:
    """A Python ``version`` (3.12) on this machine: on PATH, or installed by pyenv."""
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    for candidate in [shutil.which(f"python{version}"), *sorted(glob.glob(f"{root}/versions/{version}.*/bin/python{version}"))]:
        if candidate and subprocess.run([candidate, "-c", f"import sys; assert '%d.%d' % sys.version_info[:2] == {version!r}"],
                                        capture_output=True, check=False).returncode == 0:
            return candidate
    return None


CLAIMED = sorted(c.rsplit(" ", 1)[1] for c in PYPROJECT["project"]["classifiers"] if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))


def test_the_package_claims_the_versions_it_is_tested_on():
    assert CLAIMED == ["3.11", "3.12", "3.13"]


@pytest.mark.parametrize("version", CLAIMED)
def test_the_wheel_works_on_every_python_it_claims(dist, version, tmp_path_factory):
    python = _interpreter(version)
    if python is None:
        pytest.skip(f"Python {version} is not installed here (pyenv install {version})")
    _, wheel = dist
    home = tmp_path_factory.mktemp(f"py{version}")
    _run([python, "-m", "venv", str(home / "v")], cwd=home)
    venv_python = home / "v" / "bin" / "python"
    _run([str(venv_python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", str(ROOT / "constraints.txt"), str(wheel)],
         cwd=home, timeout=900)
    _run([str(venv_python), "-m", "pip", "check"], cwd=home)
    env = _clean_env()
    demo = _run([str(home / "v" / "bin" / "xl-kpi"), "demo", "-o", str(home / "demo")], home, env)
    assert "E001" in demo.stdout and "80.00" in demo.stdout
    listed = _run([str(venv_python), "-c", "import xl_kpi; print(' '.join(dir(xl_kpi)))"], home, env).stdout.split()
    assert {"score", "build", "consolidate", "load_spec", "import_table"} <= set(listed)


def test_pip_check_is_clean_with_the_extras(venv):
    python, home = venv
    _run([str(python), "-m", "pip", "check"], home)


def test_the_pypi_page_examples_run_in_the_installed_package(venv):
    python, home = venv
    for k, block in enumerate(python_blocks(ROOT / "README.pypi.md")):
        script = home / f"pypi_example_{k}.py"
        script.write_text(block, encoding="utf-8")
        _run([str(python), str(script)], home, _clean_env())


# --- the sdist's own tests, run from the sdist ---------------------------------------------------------
SDIST_TESTS = ["test_engine.py", "test_spec.py", "test_rounding.py", "test_grammar.py", "test_normalize.py", "test_smart.py",
               "test_cli.py", "test_cli_words.py", "test_language.py", "test_api_docs.py", "test_import.py"]


def test_the_sdists_tests_pass_from_the_sdist_against_the_installed_wheel(dist, venv, tmp_path_factory):
    """A packager runs the tests shipped in the sdist: they need the sdist alone (no checkout, no
    git), and they test the installed wheel (the sdist's sources are left out of the way)."""
    sdist, _ = dist
    python, home = venv
    where = tmp_path_factory.mktemp("sdist")
    with tarfile.open(sdist) as tar:
        tar.extractall(where, filter="data")
    (unpacked,) = where.iterdir()
    shutil.rmtree(unpacked / "xl_kpi")  # the installed wheel is what is tested
    assert all((unpacked / "tests" / name).is_file() for name in SDIST_TESTS)
    _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", str(ROOT / "constraints.txt"),
          "pytest", "hypothesis", "openpyxl"], cwd=home, timeout=900)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "XL_KPI_LANG")}
    done = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow and not libreoffice",
                           *[f"tests/{name}" for name in SDIST_TESTS]], cwd=unpacked, env=env, capture_output=True, text=True,
                          timeout=1800, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
