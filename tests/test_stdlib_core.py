"""Methods and the scoring core import only the standard library (docs/architecture.md).

A subprocess refuses every import outside the standard library and xl-kpi (a ``sys.meta_path``
blocker, installed before anything is imported), then imports every module of the core packages —
a module added later is held to the rule without touching this test — and runs the golden cases
through the engine and the sheet functions (xlwings is refused too: the functions fall back to
plain functions). The table paths are the only exceptions, and each of them really needs numpy or
pandas. xlwings Lite's ``main.py`` (``xl-kpi addin lite``) runs the same way from its own bundle.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xl_kpi.udf.addin import CORE_PACKAGES, TABLE_MODULES, lite_files

from .udf_golden import golden_cases

ROOT = Path(__file__).resolve().parent.parent

BLOCKER = '''
import sys
ALLOWED = set(sys.stdlib_module_names) | {"xl_kpi", "tests", "main"}
class StdlibOnly:
    """Refuse any import outside the standard library and xl-kpi (numpy, pandas, yaml, xlwings, ...)."""
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in ALLOWED:
            raise ImportError(f"not the standard library: {name}")
        return None
sys.meta_path.insert(0, StdlibOnly())
'''

IMPORT_ALL = BLOCKER + '''
import importlib, json, pkgutil
out = {"imported": [], "refused": {}}
for package in PACKAGES:
    for info in pkgutil.iter_modules(importlib.import_module(package).__path__, package + "."):
        try:
            importlib.import_module(info.name)
            out["imported"].append(info.name)
        except ImportError as exc:
            out["refused"][info.name] = str(exc)
print(json.dumps(out))
'''

RUN_CASES = BLOCKER + '''
import json, runpy
if LITE:
    sys.path.insert(0, LITE)
    import main
from tests.udf_runner import run
import xl_kpi.udf.functions as functions
cases = json.load(open(CASES, encoding="utf-8"))
results = run(cases, main if LITE else functions)
print(json.dumps({"results": results, "file": functions.__file__,
                  "numeric": sorted(m for m in sys.modules if m.split(".")[0] in ("numpy", "pandas", "yaml", "xlwings"))}))
'''


def _python(code: str, env: dict[str, str] | None = None, **names: object) -> dict:
    preamble = "".join(f"{k} = {v!r}\n" for k, v in names.items())
    proc = subprocess.run([sys.executable, "-c", preamble + code], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          check=False, env={**os.environ, **(env or {})})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.splitlines()[-1])


def _mismatches(cases, results) -> list[str]:
    return [f"{c['id']} {c['fn']}{c['args']}: engine {c['expect']!r}, got {r!r}" for c, r in zip(cases, results) if r != c["expect"]]


@pytest.fixture(scope="module")
def cases_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("golden") / "cases.json"
    path.write_text(json.dumps(list(golden_cases()), ensure_ascii=False), encoding="utf-8")
    return path


def test_every_core_module_imports_with_the_standard_library_alone():
    found = _python(IMPORT_ALL, PACKAGES=list(CORE_PACKAGES))
    stray = {m: why for m, why in found["refused"].items() if m not in TABLE_MODULES}
    assert not stray, f"these modules import more than the standard library at import time: {stray}"
    assert set(found["refused"]) == set(TABLE_MODULES), "a table path listed as an exception no longer needs numpy/pandas"
    assert {"xl_kpi.methods.bands", "xl_kpi.scoring.engine", "xl_kpi.scoring.normalize", "xl_kpi.advice.smart",
            "xl_kpi.spec.loading", "xl_kpi.udf.functions"} <= set(found["imported"])


def test_the_golden_cases_run_with_the_standard_library_alone(cases_file):
    cases = list(golden_cases())
    found = _python(RUN_CASES, CASES=str(cases_file), LITE="")
    assert found["numeric"] == []
    assert not _mismatches(cases, found["results"])


def test_xlwings_lite_main_py_carries_its_own_core(cases_file, tmp_path):
    (main,) = [f for f in lite_files() if f.path == "main.py"]
    (tmp_path / "main.py").write_text(main.text, encoding="utf-8")
    cases = list(golden_cases())
    found = _python(RUN_CASES, {"TMPDIR": str(tmp_path)}, CASES=str(cases_file), LITE=str(tmp_path))  # main.py unpacks its core there
    assert ".zip" in found["file"] and str(ROOT) not in found["file"], found["file"]  # the functions came from main.py's bundle
    assert found["numeric"] == []
    assert not _mismatches(cases, found["results"])
