"""Per-call cost of the sheet functions in each host beside the engine call, same run, same values.

- classic xlwings: the function called as CallUDF calls it once xlwings has converted the values
  (the COM round trip from Excel, which only Windows has, comes on top);
- xlwings Server: each call through ``xlwings.server.custom_functions_call`` — xlwings' argument
  and result conversion — in a server process (the HTTP round trip comes on top);
- xlwings Lite: Pyodide (npm ``pyodide`` under Node, as in Excel's webview) with Lite's
  ``main.py``: the function called directly and through ``custom_functions_call``, with the
  engine call timed inside Pyodide too. Skipped when ``tests/js`` has no node_modules.

Each round times the host call and the engine call back to back; medians of 9 rounds, and the
median of the per-round ratios. Goal: KPISCORE with 3-5 bands <= 20 us median and <= 2x the engine call (classic).
Usage: .venv/bin/python bench/bench_udfs.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import udf_timing  # noqa: E402
from xl_kpi.udf.addin import lite_files  # noqa: E402

JS = ROOT / "tests" / "js"
SERVER_ENV = {"XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}


def _server(tmp: Path) -> list[dict]:
    out = tmp / "server.json"
    subprocess.run([sys.executable, "-W", "ignore", str(ROOT / "bench" / "udf_timing.py"), "officejs", str(out)], cwd=ROOT,
                   env={**os.environ, **SERVER_ENV, "PYTHONPATH": str(ROOT)}, check=True)
    return json.loads(out.read_text(encoding="utf-8"))["rows"]


def _lite(tmp: Path, mode: str) -> list[dict] | None:
    if not (shutil.which("node") and (JS / "node_modules" / "pyodide").is_dir()):
        return None
    import xlwings

    (main,) = [f for f in lite_files() if f.path == "main.py"]
    (tmp / "main.py").write_text(main.text, encoding="utf-8")
    zipped = tmp / "xlwings.zip"
    if not zipped.exists():
        source = Path(xlwings.__file__).parent
        with zipfile.ZipFile(zipped, "w") as zf:
            for file in sorted(source.rglob("*")):
                if file.is_file() and file.suffix not in (".so", ".pyd", ".pyc"):
                    zf.write(file, f"xlwings/{file.relative_to(source)}")
    out = tmp / f"lite-{mode}.json"
    subprocess.run(["node", str(JS / "run_pyodide.mjs"), f"--sys-path={zipped}", "lite", str(tmp / "main.py"),
                    str(ROOT / "bench" / "udf_timing.py"), mode, str(out)], cwd=ROOT, env={**os.environ, **SERVER_ENV}, check=True)
    return json.loads(out.read_text(encoding="utf-8"))["rows"]


def main() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        hosts = {"classic (direct call)": udf_timing.main("direct"), "Server (custom_functions_call)": _server(tmp),
                 "Lite: Pyodide, direct call": _lite(tmp, "direct"), "Lite: Pyodide, custom_functions_call": _lite(tmp, "officejs")}
    for host, rows in hosts.items():
        print(f"-- {host}" + ("" if rows is not None else ": skipped (npm ci --prefix tests/js)"))
        for r in rows or []:
            print(f"   {r['call']:24s} {r['host_us']:8.2f} us   engine {r['engine_us']:7.2f} us   ratio {r['ratio']:8.2f}x")
    print("goal: KPISCORE <= 20 us median and <= 2x the engine call (classic)")
    return hosts


if __name__ == "__main__":
    main()
