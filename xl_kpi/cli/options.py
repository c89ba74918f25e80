"""What every command shares: option types declared once, the progress bar, and how findings are printed."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from ..core.errors import UsageError
from ..core.findings import Finding
from ..core.text import ui_lang
from ..core.visible import BIDI, visible
from .i18n import T
from .parsing import choice, number, whole

__all__ = ["TextOrJson", "CsvOrJson", "OutputDir", "Lang", "echo", "echo_findings", "exit_for", "echo_json", "json_text", "say", "Progress",
           "output_folder", "people", "FILE", "FOLDER", "NUMBER", "PERIOD", "SPEC", "choice", "number", "whole"]

# What an option takes, in words (never a Python type): the help's metavars.
FILE, FOLDER, NUMBER = T("文件", "FILE"), T("文件夹", "FOLDER"), T("数", "NUMBER")
PERIOD, SPEC = T("期间", "PERIOD"), T("规格", "SPEC")

TextOrJson = Annotated[Literal["text", "json"], typer.Option("--format", help=T("输出格式", "Output format"), metavar="text|json",
                                                             parser=choice("text", "json"))]
CsvOrJson = Annotated[Literal["csv", "json"], typer.Option("--format", help=T("输出格式", "Output format"), metavar="csv|json",
                                                           parser=choice("csv", "json"))]
OutputDir = Annotated[Path, typer.Option("-o", "--output", help=T("输出文件夹。", "Output folder."), show_default=False, metavar=FOLDER)]
Lang = Annotated[Literal["zh", "en"] | None, typer.Option("--lang", help=T("工作簿的语言(默认随各规格)", "Workbook language (default: each spec's)"),
                                                          metavar="zh|en", parser=choice("zh", "en"))]


def people(n: int) -> str:
    """``1 person``, ``3 people``: a count of people in English."""
    return f"{n} person" if n == 1 else f"{n} people"


def echo(text: str, err: bool = False) -> None:
    """A line on the terminal (stdout, or stderr with ``err``): text from files, cells and names is
    shown, never obeyed — control characters (an escape sequence retitles a terminal), bidi overrides
    and undecodable bytes written as visible escapes."""
    typer.echo(visible(text), err=err)


def say(zh: str, en: str, *, err: bool = False) -> None:
    """One line in the user's language: what happened (on stderr when stdout carries data)."""
    echo(zh if ui_lang() == "zh" else en, err=err)


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{BIDI}\ud800-\udfff]")


def json_text(data: Any, indent: int | None = 2) -> str:
    """JSON for the terminal: JSON itself escapes C0 controls; C1 controls, DEL, bidi controls and
    undecodable bytes are escaped here too (``\\u202e``), so the data reads back unchanged."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=str)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def echo_json(data: Any) -> None:
    typer.echo(json_text(data))


def echo_findings(findings: Sequence[Finding], *, err: bool = False) -> None:
    """Every finding, one line each: on stdout, where a command's results go, or on stderr when stdout
    carries data (``score``'s CSV, ``import``'s YAML)."""
    for f in findings:
        echo(f.render(), err=err)


def exit_for(findings: Sequence[Finding]) -> None:
    """Exit 1 when any finding is an error."""
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(1)


def output_folder(output: Path) -> Path:
    """``-o`` names a folder: refuse an existing file before any work is done."""
    if output.exists() and not output.is_dir():
        raise UsageError("output-is-file", path=output)
    return output


class Progress:
    """A rich progress bar on a terminal; silent when stderr is not a TTY (CI, pipes).

    It refreshes when work advances rather than from rich's refresh thread: the work forks
    worker processes, and forking while another thread holds a lock (stdout's) can hang the child.
    """

    def __init__(self, description: str, total: int) -> None:
        self._bar: Any = None
        self._shown = 0.0
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                                     TimeRemainingColumn(), transient=True, auto_refresh=False)
            self._task = self._bar.add_task(description, total=total)

    def _refresh(self) -> None:
        now = time.monotonic()
        if self._bar and now - self._shown >= 0.1:
            self._shown = now
            self._bar.refresh()

    def __enter__(self) -> Progress:
        if self._bar:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar:
            self._bar.stop()

    def advance(self, n: int = 1) -> None:
        if self._bar:
            self._bar.advance(self._task, n)
            self._refresh()

    def set_total(self, total: int) -> None:
        if self._bar:
            self._bar.update(self._task, total=total)
            self._refresh()
