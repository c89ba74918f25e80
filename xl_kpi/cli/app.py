"""The ``xl-kpi`` application: its commands parse, call the library, render, and exit.

Exit codes: 0 ok, 1 problems found in the inputs, 2 usage error (including a path that cannot
be read or written, a full disk, not enough memory, and an unknown ``XL_KPI_LANG``), 70 internal
error (a defect in xl-kpi: rerun with ``--debug``), 130 interrupted (Ctrl-C). Errors are one line on
stderr, control characters made visible; a traceback only with ``--debug``.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from ..core.errors import XlKpiError
from ..core.files import is_disk_full
from ..core.findings import Finding, finding
from ..core.syslang import override_problem
from ..core.text import Text, ui_lang
from ..core.version import VERSION
from ..core.visible import shown_path, visible
from .actions import Actions
from .i18n import T
from .parsing import Command, Group, Interrupted, explain, refused

__all__ = ["app", "command", "run", "main", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "EXIT_INTERNAL", "EXIT_INTERRUPTED"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 70, 130

app = typer.Typer(
    name="xl-kpi",
    cls=Group,
    help=T("KPI 考核表:把 HR 的考核表或 YAML 规格做成自动评分的 Excel 工作簿,发出、回收、安全汇总。",
           "KPI scorecards: HR's own tables or YAML specs made into live-scoring Excel workbooks, issued, "
           "collected and consolidated safely."),
    epilog=T("每个命令的说明: xl-kpi 命令 -h。界面语言随系统,XL_KPI_LANG=zh 或 en 可指定。"
             "退出码: 0 正常,1 输入中有问题,2 用法错误,70 内部错误,130 已中断(Ctrl-C)。",
             "Each command explains itself: xl-kpi COMMAND -h. The language follows the system's; XL_KPI_LANG=zh or en "
             "sets it. Exit codes: 0 ok, 1 problems in the inputs, 2 usage error, 70 internal error, 130 interrupted (Ctrl-C)."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def command(name: str | None = None, *, help: str, epilog: str | None = None, actions: Actions | None = None,  # ``help``: typer's word
            ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command on the app with our command class (help pages, errors and Ctrl-C in our words);
    ``actions``: the command's first argument is one of them (``calibrate build|collect``, :mod:`.actions`)."""
    return app.command(name, cls=Command.acting(actions), help=help, epilog=epilog)


_STATE = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xl-kpi {VERSION}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help=T("出错时显示完整回溯。", "Show the traceback of an error."))] = False,
    version: Annotated[bool | None, typer.Option("--version", callback=_version, is_eager=True,
                                                 help=T("显示版本并退出。", "Print the version and exit."))] = None,
) -> None:
    _STATE["debug"] = debug
    if debug:
        os.environ["XL_KPI_DEBUG"] = "1"  # a defect of the reader in a worker is raised too, not reported as a finding


_OS_REASONS = {
    errno.ENOENT: Text("不存在", "does not exist"), errno.EACCES: Text("没有访问权限", "permission denied"),
    errno.EPERM: Text("没有访问权限", "permission denied"), errno.EISDIR: Text("是一个文件夹", "is a folder"),
    errno.ENOTDIR: Text("路径中有一部分不是文件夹", "part of the path is not a folder"),
    errno.ENOSPC: Text("磁盘已满", "the disk is full"), errno.EROFS: Text("位于只读的磁盘上", "is on a read-only disk"),
    errno.EEXIST: Text("已存在", "already exists"), errno.EBUSY: Text("正被其他程序使用", "is in use by another program"),
    errno.ENAMETOOLONG: Text("名称太长", "the name is too long"),
}


def os_reason(exc: OSError) -> Text:
    """Why the system refused a path, in our words (the system's own words for a rare reason)."""
    known = _OS_REASONS.get(exc.errno or 0)
    if known is not None:
        return known
    reason = exc.strerror or str(exc)
    return Text(reason, reason)


def _error_line(f: Finding) -> None:
    typer.echo(("错误: " if ui_lang() == "zh" else "error: ") + visible(f.render()), err=True)


def _path_text(path: object) -> str:
    """A path an OSError names, as reports show it (bytes and undecodable names made readable)."""
    return shown_path(os.fsdecode(path)) if isinstance(path, (str, bytes)) else str(path)


def _disk_full(path: object) -> int:
    _error_line(finding("disk-full", path=_path_text(path) if path else "?"))
    return EXIT_USAGE


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code: one readable line for every known failure."""
    _STATE["debug"] = False
    bad = override_problem()
    if bad is not None:
        _error_line(finding("bad-language", value=bad))
        return EXIT_USAGE
    try:
        result = app(args=argv, prog_name="xl-kpi", standalone_mode=False)
    except (Interrupted, KeyboardInterrupt, typer.Abort):
        _error_line(finding("interrupted"))
        return EXIT_INTERRUPTED
    except XlKpiError as exc:
        if _STATE["debug"]:
            raise
        errors = [f for f in exc.findings if f.severity == "error"] or exc.findings
        for f in errors:  # every problem of the input, one line each
            _error_line(f)
        return exc.exit_code
    except OSError as exc:  # a path that cannot be read or written: the user's to fix, so a usage error
        if _STATE["debug"]:
            raise
        path = getattr(exc, "filename2", None) or exc.filename  # a failed rename names its destination second
        if is_disk_full(exc):
            return _disk_full(path)
        _error_line(finding("path-unusable", path=f"{_path_text(path)}: " if path else "", reason=os_reason(exc)))
        return EXIT_USAGE
    except MemoryError:  # the machine's limit, not a defect: say so
        if _STATE["debug"]:
            raise
        _error_line(finding("out-of-memory", detail=Text("输入过大或内存被其他程序占用", "the inputs are too large, or other programs hold the memory")))
        return EXIT_USAGE
    except Exception as exc:
        if refused(exc):  # what click refused while parsing: said in our words
            if type(exc).__name__ == "NoArgsIsHelpError":
                typer.echo(exc.ctx.get_help())  # type: ignore[attr-defined]
                return EXIT_OK
            _error_line(explain(exc))
            return EXIT_USAGE
        if _STATE["debug"]:
            raise
        if is_disk_full(exc):  # SQLite's own words for a full disk
            return _disk_full(None)
        typer.echo(visible(finding("internal-error", detail=f"{type(exc).__name__}: {exc}").render()), err=True)
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK


def main() -> None:
    """Console entry point (``xl-kpi`` and ``python -m xl_kpi``)."""
    sys.exit(run())
