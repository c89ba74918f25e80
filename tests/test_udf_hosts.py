"""The sheet functions give the engine's answers in every host, on more than a thousand golden cases.

The cases (``tests/udf_golden.py``) are generated from the engine over every rule and boundary. The
hosts: CPython calling the functions; the xlwings Server call path (``custom_functions_call`` with
``XLWINGS_ON_SERVER=true`` and the ``noncommercial`` key, arguments as Office.js sends them);
Pyodide from the npm ``pyodide`` package under Node with the built wheel unpacked into its
site-packages and no numpy; xlwings Lite's ``main.py`` in Pyodide, called through xlwings' own
``custom_functions_call``; and a workbook whose cells call the functions, computed by ``formulas``.
The Office.js metadata xlwings generates validates against Microsoft's ``extensionFunction`` schema.

The Node tests need ``npm ci --prefix tests/js``; without it they skip, unless XL_KPI_REQUIRE_NODE=1
(set by ``.ci/run``) makes a missing install a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from xl_kpi.methods import REGISTRY
from xl_kpi.udf import functions
from xl_kpi.udf.addin import FUNCTION_NAMES, lite_files

from .udf_formulas import register
from .udf_golden import golden_cases
from .udf_runner import run

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "tests" / "js"
SERVER_ENV = {"XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
TREE_SKIP = shutil.ignore_patterns(".venv", ".git", "out", "node_modules", "__pycache__", "*.egg-info", "build", "dist",
                                   ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache")


def mismatches(cases: list[dict[str, Any]], results: list[Any]) -> list[str]:
    """Every case whose result differs from the engine's, as ``id fn(args): engine X, got Y``."""
    assert len(cases) == len(results)
    return [f"{c['id']} {c['fn']}{c['args']}: engine {c['expect']!r}, got {r!r}" for c, r in zip(cases, results) if r != c["expect"]]


def _run(cmd: list[str], env: dict[str, str] | None = None, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, **(env or {})})
    assert proc.returncode == 0, f"{' '.join(cmd)} → {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc


def _need_node() -> None:
    ready = shutil.which("node") and all((JS / "node_modules" / p).is_dir() for p in ("pyodide", "@microsoft/app-manifest", "ajv"))
    if not ready:
        if os.environ.get("XL_KPI_REQUIRE_NODE"):
            pytest.fail("XL_KPI_REQUIRE_NODE is set but tests/js has no node_modules: run npm ci --prefix tests/js")
        pytest.skip("the Node packages of tests/js are not installed (npm ci --prefix tests/js)")


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    return list(golden_cases())


@pytest.fixture(scope="module")
def cases_file(cases, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("golden") / "cases.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(cases_file, tmp_path_factory) -> dict[str, Any]:
    """Every function case through the xlwings Server call path (a fresh process: xlwings picks its host on import)."""
    out = tmp_path_factory.mktemp("server") / "server.json"
    _run([sys.executable, "-m", "tests.udf_officejs", str(cases_file), str(out)], SERVER_ENV)
    return json.loads(out.read_text(encoding="utf-8"))


def test_more_than_a_thousand_golden_cases_cover_every_rule(cases):
    rules = Counter(c["rule"] for c in cases)
    assert len(cases) >= 1000
    wanted = {"bands", "linear", "deduction", "step", "rating", "raters", "sections", "weighted", "adjustments", "counts", "veto",
              "total", "grades", "coefficients", "rounding", "normalise", "smart", "refused"}
    assert wanted <= set(rules), wanted - set(rules)
    assert {f"engine-{name}" for name in REGISTRY} <= set(rules), "every registered method is scored by the core alone"
    assert {c["fn"] for c in cases if c["fn"]} == set(FUNCTION_NAMES) == set(functions.__all__)
    assert sum(c["expect"] == {"error": True} for c in cases) >= 50  # refusals are cases too


def test_cpython_gives_the_engines_answers(cases):
    assert not mismatches(cases, run(cases))


def test_the_xlwings_server_path_gives_the_engines_answers(server, cases):
    by_id = {c["id"]: c for c in cases}
    called = [by_id[i] for i in server["ids"]]
    assert len(called) == sum(1 for c in cases if c["fn"])
    assert not mismatches(called, server["results"])


def test_the_office_js_metadata_describes_every_argument_in_both_languages(server):
    functions_meta = {f["id"]: f for f in server["meta"]["functions"]}
    assert set(functions_meta) == set(FUNCTION_NAMES)
    for fid, meta in functions_meta.items():
        assert 1 <= len(meta["description"]) <= 255, fid  # classic xlwings keeps 255 characters
        assert " / " in meta["description"], f"{fid}: the description names both languages"
        for param in meta["parameters"]:
            assert "Positional argument" not in param["description"], f"{fid}.{param['name']}"
            assert " / " in param["description"] and len(param["description"]) <= 255, f"{fid}.{param['name']}"
            assert param["name"].isidentifier() and param["name"].islower(), f"{fid}.{param['name']}"
    assert [p["name"] for p in functions_meta["KPISCORE"]["parameters"]] == ["actual", "thresholds", "scores", "direction", "otherwise"]
    assert [p.get("optional", False) for p in functions_meta["KPISCORE"]["parameters"]] == [False, False, False, True, True]


@pytest.mark.node
def test_the_metadata_validates_against_microsofts_extension_function_schema(server, tmp_path):
    _need_node()
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps(server["meta"], ensure_ascii=False), encoding="utf-8")
    proc = _run(["node", str(JS / "validate_metadata.mjs"), str(meta)])
    report = json.loads(proc.stdout)
    assert report["functions"] == len(FUNCTION_NAMES) and report["errors"] == []
    broken = json.loads(json.dumps(server["meta"]))
    broken["functions"][0]["parameters"][0]["name"] = ""  # a parameter without a name
    broken["functions"][1]["id"] = "1ST"  # an id that does not start with a letter
    meta.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    failed = subprocess.run(["node", str(JS / "validate_metadata.mjs"), str(meta)], capture_output=True, text=True, check=False)
    assert failed.returncode == 1
    caught = {e["function"] for e in json.loads(failed.stdout)["errors"]}
    assert caught == {broken["functions"][0]["id"], "1ST"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the tree (as users get it)."""
    work = tmp_path_factory.mktemp("wheel")
    shutil.copytree(ROOT, work / "src", ignore=TREE_SKIP)
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(work / "src")])
    (built,) = (work / "dist").glob("*.whl")
    return built


@pytest.mark.node
def test_pyodide_with_the_wheel_and_no_numpy_gives_the_engines_answers(wheel, cases, cases_file, tmp_path):
    _need_node()
    names = zipfile.ZipFile(wheel).namelist()
    assert not any(n.startswith("udfs/") for n in names) and "xl_kpi/udf/functions.py" in names
    out = tmp_path / "pyodide.json"
    _run(["node", str(JS / "run_pyodide.mjs"), "wheel", str(wheel), str(ROOT / "tests" / "udf_runner.py"), str(cases_file), str(out)])
    found = json.loads(out.read_text(encoding="utf-8"))
    assert found["platform"] == "emscripten" and "site-packages/xl_kpi" in found["xl_kpi"]
    assert found["importable"] == [] and found["loaded"] == []  # no numpy, pandas or yaml there at all
    assert not mismatches(cases, found["results"])


@pytest.fixture(scope="module")
def xlwings_zip(tmp_path_factory) -> Path:
    """The installed xlwings' Python files (its Rust extension left out), for Pyodide's sys.path."""
    xlwings = pytest.importorskip("xlwings")
    source = Path(xlwings.__file__).parent
    path = tmp_path_factory.mktemp("xlwings") / "xlwings.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for file in sorted(source.rglob("*")):
            if file.is_file() and file.suffix not in (".so", ".pyd", ".pyc"):
                zf.write(file, f"xlwings/{file.relative_to(source)}")
    return path


@pytest.mark.node
def test_xlwings_lite_main_py_in_pyodide_gives_the_engines_answers(xlwings_zip, cases, cases_file, tmp_path):
    """What Lite does: main.py imported in Pyodide, each call through xlwings' custom_functions_call."""
    _need_node()
    (main,) = [f for f in lite_files() if f.path == "main.py"]
    (tmp_path / "main.py").write_text(main.text, encoding="utf-8")
    out = tmp_path / "lite.json"
    _run(["node", str(JS / "run_pyodide.mjs"), f"--sys-path={xlwings_zip}", "lite", str(tmp_path / "main.py"),
          str(ROOT / "tests" / "udf_officejs.py"), str(cases_file), str(out), "--module=main"], SERVER_ENV)
    found = json.loads(out.read_text(encoding="utf-8"))
    assert found["platform"] == "emscripten"
    by_id = {c["id"]: c for c in cases}
    assert not mismatches([by_id[i] for i in found["ids"]], found["results"])
    assert {f["id"] for f in found["meta"]["functions"]} == set(FUNCTION_NAMES)


# --- a workbook whose cells call the functions, computed by the `formulas` package -------------------------------

def _workbook_cases(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The function cases a worksheet can state: no spilled rows, no error values typed as arguments."""
    def plain(value: Any) -> bool:
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return not (isinstance(value, str) and (value.startswith(("#", "=", "⚠")) or value != value.strip()))

    return [c for c in cases if c["fn"] and not c.get("detail") and plain(c["args"])]


def _write_book(cases: list[dict[str, Any]], path: Path) -> None:
    import openpyxl
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "GOLDEN"
    for r, case in enumerate(cases, start=1):
        col, refs = 2, []
        for arg in case["args"]:
            values = _flat(arg) if isinstance(arg, list) else [arg]
            first = get_column_letter(col)
            for v in values:
                ws.cell(r, col).value = v
                col += 1
            refs.append(first + str(r) if len(values) == 1 else f"{first}{r}:{get_column_letter(col - 1)}{r}")
        ws.cell(r, 1).value = f"={case['fn']}({','.join(refs)})"
    wb.save(path)


def _flat(values: list[Any]) -> list[Any]:
    return [x for v in values for x in (_flat(v) if isinstance(v, list) else [v])]


@pytest.mark.slow
def test_a_workbook_computed_by_formulas_gives_the_engines_answers(cases, tmp_path):
    formulas = pytest.importorskip("formulas")
    register(formulas)
    chosen = _workbook_cases(cases)
    assert len(chosen) >= 1000
    book = tmp_path / "golden.xlsx"
    _write_book(chosen, book)
    solution = formulas.ExcelModel().loads(str(book)).finish().calculate()
    cells = {key.upper(): ranges for key, ranges in solution.items()}
    results = []
    for r in range(1, len(chosen) + 1):
        value = cells[f"'[GOLDEN.XLSX]GOLDEN'!A{r}"].value[0, 0]
        value = "" if str(value) == "empty" else (value if isinstance(value, str) else float(value))
        results.append({"error": True} if isinstance(value, str) and value.startswith("⚠") else value)
    assert not mismatches(chosen, results)
