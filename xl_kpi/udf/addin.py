"""What each Excel host needs to call the sheet functions (``xl-kpi addin lite|server``).

- **xlwings Lite** (Python in the workbook, via Pyodide): a ``main.py`` to paste into the Lite
  editor and its ``requirements.txt``. ``main.py`` carries the scoring core and the functions
  themselves — the standard-library-only part of this installed xl-kpi, as a zip in base64 — so
  Lite needs nothing from PyPI beyond xlwings and nothing large (no numpy, pandas or YAML), works
  where PyPI is blocked, and computes exactly what the xl-kpi that built the scorecards computes.
- **xlwings Server** (an Office.js add-in served from a Python server): the ``custom_functions``
  package an xlwings-server project loads, mounting ``xl_kpi.udf.functions``, and the server's
  ``requirements.txt``.

Text only: nothing here imports xlwings or the functions.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UsageError
from ..core.version import VERSION

__all__ = ["CORE_PACKAGES", "TABLE_MODULES", "FUNCTION_NAMES", "MARKER", "core_files", "lite_files", "server_files", "write",
           "AddinFile"]

# The scoring core: every module of these packages imports only the standard library
# (tests/test_stdlib_core.py holds each of them to it, new modules included) …
CORE_PACKAGES = ("xl_kpi.core", "xl_kpi.methods", "xl_kpi.spec", "xl_kpi.scoring", "xl_kpi.advice", "xl_kpi.udf")
# … except the table paths, which use numpy and pandas and are never loaded by the functions.
TABLE_MODULES = frozenset({"xl_kpi.scoring.vectorised", "xl_kpi.scoring.frame", "xl_kpi.advice.targets",
                           "xl_kpi.advice.cascade", "xl_kpi.advice.splits"})
_NOT_BUNDLED = TABLE_MODULES | {"xl_kpi.udf.addin"}  # Lite needs neither the table paths nor this writer
FUNCTION_NAMES = ("KPISCORE", "KPILINEAR", "KPIDEDUCT", "KPIEVENTS", "KPISTEP", "KPIRANK", "KPIRATING", "WEIGHTED_TOTAL", "KPIADJUST",
                  "KPITOTAL", "KPIGRADE", "KPICOEF", "KPIVALUE", "SMARTCHECK")
MARKER = "# Written by xl-kpi addin"  # a file starting with it may be rewritten; any other is the user's
_ROOT = Path(__file__).resolve().parent.parent  # the installed xl_kpi package
_EPOCH = (1980, 1, 1, 0, 0, 0)  # zip entries dated alike: the same xl-kpi writes the same main.py


@dataclass(frozen=True)
class AddinFile:
    """One file to write: its path inside the output folder and its text."""

    path: str
    text: str


def core_files() -> dict[str, bytes]:
    """The standard-library-only modules of this installed xl-kpi (package path → source), sorted."""
    files: dict[str, bytes] = {"xl_kpi/__init__.py": (_ROOT / "__init__.py").read_bytes()}
    for package in CORE_PACKAGES:
        folder = _ROOT.joinpath(*package.split(".")[1:])
        for source in sorted(folder.glob("*.py")):
            module = f"{package}.{source.stem}"
            if module not in _NOT_BUNDLED:
                files[f"{package.replace('.', '/')}/{source.name}"] = source.read_bytes()
    return dict(sorted(files.items()))


def _bundle() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in core_files().items():
            zf.writestr(zipfile.ZipInfo(name, _EPOCH), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


_LITE_HEAD = '''{marker} {version} — paste into xlwings Lite's main.py (replace the sample).
"""xl-kpi {version}: KPI scoring functions for Excel, computed by the same engine as xl-kpi's workbooks.

xlwings Lite (Excel 365 / 2021+ on Windows and Mac, Excel on the web) runs this file in the
workbook. It carries xl-kpi's scoring core (standard library only, no numpy, pandas or YAML): it is
unpacked into Lite's temporary folder and the functions are imported from it, so requirements.txt
needs nothing but xlwings. The functions: {names}.
See docs/excel-addin.md of xl-kpi for each function's arguments.

xl-kpi {version}: 用与 xl-kpi 工作簿相同的引擎计分的 Excel 函数。本文件内含 xl-kpi 的计分核心
(仅用 Python 标准库),粘贴到 xlwings Lite 的 main.py 即可使用上述函数,无需安装其他包。
"""

import base64
import os
import sys
import tempfile

_CORE_SHA256 = "{sha}"
_CORE = (
'''

_LITE_TAIL = ''')


def _mount_core() -> None:
    path = os.path.join(tempfile.gettempdir(), f"xl_kpi-{version}-{{_CORE_SHA256[:16]}}.zip")
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(_CORE))
    if path not in sys.path:
        sys.path.insert(0, path)


_mount_core()

from xl_kpi.udf.functions import *  # noqa: E402,F401,F403  the functions, registered with xlwings
from xl_kpi.udf.functions import __all__  # noqa: E402,F401
'''


def lite_files() -> list[AddinFile]:
    """``main.py`` (the functions and their core, self-contained) and ``requirements.txt`` for xlwings Lite."""
    bundle = _bundle()
    encoded = base64.b64encode(bundle).decode("ascii")
    lines = "".join(f'    "{encoded[i:i + 96]}"\n' for i in range(0, len(encoded), 96))
    head = _LITE_HEAD.format(marker=MARKER, version=VERSION, names=", ".join(FUNCTION_NAMES),
                             sha=hashlib.sha256(bundle).hexdigest())
    main = head + lines + _LITE_TAIL.format(version=VERSION)
    return [AddinFile("main.py", main), AddinFile("requirements.txt", "xlwings\n")]


_SERVER_INIT = '''{marker} {version}
"""The custom functions this xlwings Server project serves: xl-kpi's KPI scoring functions.

xlwings-server loads the ``custom_functions`` package of its project folder and offers every
function in it to Excel (Windows, Mac and the web). The functions live in the installed
xl-kpi ({names}); this package mounts them. Add your own functions below if you like.

本包把 xl-kpi 的计分函数挂到 xlwings Server 上(Windows、Mac、网页版 Excel 均可用)。
"""

from xl_kpi.udf.functions import *  # noqa: F401,F403
from xl_kpi.udf.functions import __all__  # noqa: F401
'''

_SERVER_README = '''{marker} {version}
# xl-kpi functions on xlwings Server

1. `pip install -r requirements.txt` (Python 3.11+).
2. In this folder: `xlwings-server init .` — it keeps `custom_functions/` as written here.
3. Put your licence key in `.env`: `XLWINGS_LICENSE_KEY=...` — xlwings Server is xlwings PRO:
   `noncommercial` is free for non-commercial use only; commercial use needs a paid key.
4. `xlwings-server` starts the server (Office.js add-ins need HTTPS: see xlwings-server's docs);
   then load the manifest it serves in Excel (see xl-kpi's docs/excel-addin.md).

1. 安装依赖; 2. 在本文件夹运行 `xlwings-server init .`; 3. 在 `.env` 写入许可证密钥(`noncommercial`
仅限非商业用途,商业用途需购买); 4. 运行 `xlwings-server` 启动服务,再在 Excel 中加载它提供的清单文件。
'''


def server_files() -> list[AddinFile]:
    """The ``custom_functions`` package for an xlwings-server project, its requirements and the steps."""
    names = ", ".join(FUNCTION_NAMES)
    return [AddinFile("custom_functions/__init__.py", _SERVER_INIT.format(marker=MARKER, version=VERSION, names=names)),
            AddinFile("requirements.txt", f"{MARKER} {VERSION}\nxl-kpi=={VERSION}\nxlwings-server\n"),
            AddinFile("README.md", _SERVER_README.format(marker=f"<!-- {MARKER[2:]}", version=f"{VERSION} -->"))]


def write(files: list[AddinFile], folder: Path) -> list[Path]:
    """Write ``files`` under ``folder``; a file there already is replaced only if xl-kpi wrote it.

    Raises:
        UsageError: a file of the same name that xl-kpi did not write (the user's own code).
    """
    targets = [(folder / f.path, f.text) for f in files]
    for path, text in targets:
        if path.is_file():
            old = path.read_text(encoding="utf-8", errors="replace")
            if old != text and MARKER[2:] not in old[:200]:
                raise UsageError("addin-file-exists", path=path)
    for path, text in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return [path for path, _ in targets]
