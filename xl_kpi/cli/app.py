"""The ``xl-kpi`` application: its commands parse, call the library, render, and exit.

Exit codes: 0 ok, 1 problems found in the inputs, 2 usage error (including a path that cannot
be read or written, a full disk, not enough memory), 70 internal error (a defect in xl-kpi: rerun
with ``--debug``). Errors are one line on stderr, control characters made visible; a traceback only
with ``--debug``.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from ..core.errors import XlKpiError
from ..core.files import is_disk_full
from ..core.findings import finding
from ..core.text import Text, ui_lang
from ..core.version import VERSION
from ..core.visible import shown_path, visible
from .i18n import T, install

__all__ = ["app", "run", "main", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "EXIT_INTERNAL"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70

install()  # click's and typer's own words in the same language

app = typer.Typer(
    name="xl-kpi",
    help=T("KPI 考核表:HR 的考核表或 YAML 规格 → 自动评分的 Excel 工作簿 → 安全汇总。界面语言: XL_KPI_LANG=zh|en(默认随系统语言)。",
           "KPI scorecards: HR's own tables or YAML specs → live-scoring Excel workbooks → safe consolidation. "
           "Interface language: XL_KPI_LANG=zh|en (default: the system's)."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_STATE = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xl-kpi {VERSION}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help=T("出错时显示完整回溯。", "Show tracebacks."))] = False,
    version: Annotated[bool | None, typer.Option("--version", callback=_version, is_eager=True,
                                                 help=T("显示版本并退出。", "Print the version and exit."))] = None,
) -> None:
    _STATE["debug"] = debug


def _error_line(text: str) -> None:
    typer.echo(("错误: " if ui_lang() == "zh" else "error: ") + visible(text), err=True)


def _path_text(path: object) -> str:
    """A path an OSError names, as reports show it (bytes and undecodable names made readable)."""
    return shown_path(os.fsdecode(path)) if isinstance(path, (str, bytes)) else str(path)


def _disk_full(path: object) -> int:
    _error_line(finding("disk-full", path=_path_text(path) if path else "?").render())
    return EXIT_USAGE


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: one readable line for every known failure."""
    try:
        app(args=argv, prog_name="xl-kpi")
    except SystemExit as exc:  # typer/click end every run this way in standalone mode
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_PROBLEMS)
    except XlKpiError as exc:
        if _STATE["debug"]:
            raise
        errors = [f for f in exc.findings if f.severity == "error"] or exc.findings
        for f in errors:  # every problem of the input, one line each
            _error_line(f.render())
        return exc.exit_code
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except OSError as exc:  # a path that cannot be read or written: the user's to fix, so a usage error
        if _STATE["debug"]:
            raise
        path = getattr(exc, "filename2", None) or exc.filename  # a failed rename names its destination second
        if is_disk_full(exc):
            return _disk_full(path)
        reason = exc.strerror or str(exc)
        _error_line(finding("path-unusable", path=f"{_path_text(path)}: " if path else "",
                            reason=Text(reason, reason)).render())
        return EXIT_USAGE
    except MemoryError:  # the machine's limit, not a defect: say so
        if _STATE["debug"]:
            raise
        _error_line(finding("out-of-memory", detail=Text("输入过大或内存被其他程序占用", "the inputs are too large, or other programs hold the memory")).render())
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - a defect: say so, distinctly from problems in the inputs
        if _STATE["debug"]:
            raise
        if is_disk_full(exc):  # SQLite's own words for a full disk
            return _disk_full(None)
        typer.echo(visible(finding("internal-error", detail=f"{type(exc).__name__}: {exc}").render()), err=True)
        return EXIT_INTERNAL
    return EXIT_OK


def main() -> None:
    """Console entry point (``xl-kpi`` and ``python -m xl_kpi``)."""
    sys.exit(run())
