"""``xl-kpi addin lite|server`` writes what each host needs, and what it writes computes like the engine."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from xl_kpi.cli import run
from xl_kpi.core.version import VERSION
from xl_kpi.udf.addin import FUNCTION_NAMES, TABLE_MODULES, core_files, lite_files

from .udf_golden import golden_cases

ROOT = Path(__file__).resolve().parent.parent


def _bundle(main_py: str) -> zipfile.ZipFile:
    encoded = "".join(re.findall(r'^    "([A-Za-z0-9+/=]+)"$', main_py, re.M))
    return zipfile.ZipFile(io.BytesIO(base64.b64decode(encoded)))


def test_lite_writes_main_py_and_requirements_txt(tmp_path, capsys):
    assert run(["addin", "lite", "-o", str(tmp_path)]) == 0
    printed = capsys.readouterr()
    assert (tmp_path / "requirements.txt").read_text(encoding="utf-8") == "xlwings\n"  # nothing from PyPI but xlwings
    main = (tmp_path / "main.py").read_text(encoding="utf-8")
    assert main.startswith(f"# Written by xl-kpi addin {VERSION}") and "main.py" in printed.out  # what was written and what to do next: on stdout
    assert "from xl_kpi.udf.functions import *" in main
    compile(main, "main.py", "exec")


def test_the_lite_bundle_is_the_standard_library_core_and_nothing_else():
    (main,) = [f.text for f in lite_files() if f.path == "main.py"]
    names = _bundle(main).namelist()
    assert names == list(core_files())
    modules = {n[:-3].replace("/", ".") for n in names}
    assert "xl_kpi.udf.functions" in modules and "xl_kpi.methods.bands" in modules and "xl_kpi.advice.smart" in modules
    assert not modules & TABLE_MODULES and "xl_kpi.udf.addin" not in modules
    assert not any(n.startswith(("xl_kpi/workbook/", "xl_kpi/consolidation/", "xl_kpi/cli/")) for n in names)
    assert lite_files() == lite_files()  # the same xl-kpi writes the same main.py


def test_addin_rewrites_its_own_files_but_never_a_users(tmp_path, capsys):
    assert run(["addin", "lite", "-o", str(tmp_path)]) == 0
    assert run(["addin", "lite", "-o", str(tmp_path)]) == 0  # its own main.py: replaced
    (tmp_path / "main.py").write_text("@func\ndef mine(): ...\n", encoding="utf-8")
    capsys.readouterr()
    assert run(["addin", "lite", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "main.py" in err and ("not written by xl-kpi" in err or "不是 xl-kpi 写的" in err)
    assert (tmp_path / "main.py").read_text(encoding="utf-8").startswith("@func")


def test_addin_json_lists_the_files_and_functions(tmp_path, capsys):
    assert run(["addin", "server", "-o", str(tmp_path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["host"] == "server" and out["functions"] == list(FUNCTION_NAMES)
    assert {Path(p).relative_to(tmp_path).as_posix() for p in out["files"]} == {
        "custom_functions/__init__.py", "requirements.txt", "README.md"}


def test_the_server_package_mounts_the_functions_on_the_xlwings_server_path(tmp_path):
    """The custom_functions package an xlwings-server project loads, called as the server calls it."""
    assert run(["addin", "server", "-o", str(tmp_path)]) == 0
    requirements = (tmp_path / "requirements.txt").read_text(encoding="utf-8")
    assert f"xl-kpi=={VERSION}" in requirements and "xlwings-server" in requirements
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "XLWINGS_LICENSE_KEY" in readme and "noncommercial" in readme
    cases = [c for c in golden_cases() if c["fn"]][::7]
    (tmp_path / "cases.json").write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    proc = subprocess.run([sys.executable, "-m", "tests.udf_officejs", str(tmp_path / "cases.json"), str(tmp_path / "out.json"),
                           "--module=custom_functions"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert found["results"] == [c["expect"] for c in cases]
    assert {f["id"] for f in found["meta"]["functions"]} == set(FUNCTION_NAMES)
