"""The command line's parsing in our words, through typer's supported hooks.

- The commands' classes (``cls=``, typer's documented way to customise click's commands) render
  the help pages (:mod:`.help`), list the commands in the order of the work, refuse an unknown
  command with the closest one named, collect extra arguments to refuse them in our words, and
  turn Ctrl-C inside a command into :class:`Interrupted` (typer would end the run silently).
- Values are converted by our parsers (``typer.Option(parser=…)``): a bad value is a
  :class:`BadValue` naming the value and what is allowed.
- What click still refuses (an unknown option, a missing argument, an option without its value)
  is an exception whose attributes say what happened; :func:`explain` makes it one of our
  findings. Nothing of click's or typer's is patched.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

from ..core.errors import UsageError
from ..core.findings import Finding, finding
from ..core.text import Text
from .help import command_help, group_help, usage

if TYPE_CHECKING:
    from .actions import Actions

__all__ = ["Command", "Group", "Interrupted", "BadValue", "explain", "refused", "choice", "number", "whole", "param_name", "WORKFLOW"]

WORKFLOW = ("import", "export-spec", "check", "build", "goals", "consolidate", "sendback", "chase", "status", "calibrate", "letters", "appeal",
            "pay", "rollup", "score", "targets", "split", "smart", "addin", "demo")
"""The commands as the help lists them: in the order HR works (describe, check, issue, collect, follow up
the period — send back, chase, calibrate, notify, appeal, pay —, roll up the year, advise)."""


class Interrupted(Exception):  # named for what happened, as the user sees it
    """Ctrl-C during a command (typer would turn it into a silent exit 130)."""


class BadValue(typer.BadParameter):
    """A value one of our parsers cannot take: the value and what is allowed, in both languages."""

    def __init__(self, value: str, allowed: Text) -> None:
        super().__init__(allowed.en)
        self.value, self.allowed = value, allowed


def _close(word: str, known: Sequence[str]) -> list[str]:
    return difflib.get_close_matches(word, list(known), n=2, cutoff=0.6)


def _did_you_mean(word: str, known: Sequence[str]) -> Text:
    close = _close(word, known)
    if not close:
        return Text("", "")
    shown = " / ".join(close)
    return Text(f"是否想写 {shown}?", f"did you mean {shown}? ")


def refused(exc: BaseException) -> bool:
    """Whether click (typer's own copy or click itself) refused the command line: its exceptions'
    base is called ClickException in both."""
    return any(kind.__name__ == "ClickException" for kind in type(exc).__mro__)


def _parsed(parse: Callable[[Any, list[str]], list[str]], ctx: Any, args: list[str]) -> list[str]:
    """Parse, giving a refusal the context it lacks (an option without its value is raised without
    one), so that :func:`explain` can name the command and the option's kind."""
    try:
        return parse(ctx, args)
    except Exception as exc:
        if refused(exc) and getattr(exc, "ctx", None) is None:
            exc.ctx = ctx  # type: ignore[attr-defined]
        raise


class Command(TyperCommand):
    """A command whose help, extra arguments and Ctrl-C are ours; with :attr:`actions`, a command whose
    first argument is an action (:mod:`.actions`)."""

    actions: Actions | None = None

    @classmethod
    def acting(cls, actions: Actions | None) -> type[Command]:
        """This class for a command with ``actions`` (typer takes a command's class, ``cls=``, not an instance)."""
        return cls if actions is None else type("ActionCommand", (cls,), {"actions": actions})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context_settings = {**(self.context_settings or {}), "allow_extra_args": True}  # refused in our words

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(command_help(self, ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _parsed(super().parse_args, ctx, args)

    def invoke(self, ctx: Any) -> Any:
        if ctx.args:
            raise UsageError("extra-arguments", args=" ".join(ctx.args), usage=usage(self, ctx))
        if self.actions is not None:
            self.actions.check(self, ctx)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted() from None


class Group(TyperGroup):
    """The program: its help, its commands in the order of the work, an unknown command refused."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(group_help(self, ctx))

    def list_commands(self, ctx: Any) -> list[str]:
        rank = {name: k for k, name in enumerate(WORKFLOW)}
        return sorted(self.commands, key=lambda name: (rank.get(name, len(rank)), name))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        eager = {"-h", "--help", "--version"}
        if args and set(args) <= set(_option_names(self, ctx)) - eager:  # options of the program only: no command
            raise UsageError("missing-command", known=", ".join(self.list_commands(ctx)))
        return _parsed(super().parse_args, ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0]
        if self.get_command(ctx, name) is None and not name.startswith("-") and not ctx.resilient_parsing:
            known = self.list_commands(ctx)
            raise UsageError("unknown-command", name=name, close=_did_you_mean(name, known), known=", ".join(known))
        return super().resolve_command(ctx, args)


def _option_names(command: Any, ctx: Any) -> list[str]:
    return [name for p in command.get_params(ctx) if p.param_type_name == "option" for name in (*p.opts, *p.secondary_opts)]


def param_name(param: Any) -> str:
    """How a parameter is named to the user: an argument by its metavar, an option by its long name."""
    if param.param_type_name == "argument":
        return param.metavar or param.name.upper()
    return max(param.opts, key=len)


def explain(exc: Exception) -> Finding:
    """What click refused, as one of our findings (its attributes, never its English words)."""
    kinds = {k.__name__ for k in type(exc).__mro__}
    ctx = getattr(exc, "ctx", None)
    command = ctx.command if ctx is not None else None
    shown = usage(command, ctx) if command is not None else "xl-kpi -h"
    path = ctx.command_path if ctx is not None else "xl-kpi"
    param = getattr(exc, "param", None)
    if isinstance(exc, BadValue):
        return finding("bad-option", option=param_name(param) if param is not None else path, value=exc.value, allowed=exc.allowed)
    if "NoSuchOption" in kinds:
        name = str(getattr(exc, "option_name", ""))
        known = _option_names(command, ctx) if command is not None else []
        return finding("unknown-option", command=path, option=name, close=_did_you_mean(name, known), usage=shown)
    if "MissingParameter" in kinds and param is not None:
        what = Text("参数", "the argument") if param.param_type_name == "argument" else Text("选项", "the option")
        name = param_name(param) if param.param_type_name == "argument" else f"{param_name(param)} {param.metavar or ''}".strip()
        return finding("missing-argument", command=path, what=what, name=name, usage=shown)
    if "BadOptionUsage" in kinds:
        name = str(getattr(exc, "option_name", ""))
        owner = next((p for p in (command.get_params(ctx) if command is not None else ()) if name in (*p.opts, *p.secondary_opts)), None)
        if owner is not None and getattr(owner, "is_flag", False):
            return finding("option-takes-no-value", option=name)
        return finding("option-needs-value", option=name, metavar=(owner.metavar or "") if owner is not None else "", usage=shown)
    return finding("bad-command-line", option=param_name(param) if param is not None else path, usage=shown)


# --- parsers: values as people type them, refused in our words --------------------------------
def choice(*values: str, words: Text | None = None) -> Callable[[str], str]:
    """One of ``values`` (case and surrounding spaces ignored)."""
    allowed = words or Text("、".join(values), " | ".join(values))

    def parse(text: str) -> str:
        for value in values:
            if str(text).strip().lower() == value.lower():
                return value
        raise BadValue(str(text), allowed)

    return parse


def number(low: float | None = None, *, above: bool = False) -> Callable[[str], float]:
    """A finite number (``1.5``, ``15%`` = 0.15, ``1,000``), at least ``low`` (or above it)."""
    if low is None:
        allowed = Text("一个数,如 1.5", "a number, e.g. 1.5")
    elif above:
        allowed = Text(f"大于 {low:g} 的数", f"a number above {low:g}")
    else:
        allowed = Text(f"不小于 {low:g} 的数", f"a number of {low:g} or more")

    def parse(text: str) -> float:
        raw = str(text).strip().replace(",", "")
        try:
            value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
        except ValueError:
            raise BadValue(str(text), allowed) from None
        if not math.isfinite(value) or (low is not None and (value <= low if above else value < low)):
            raise BadValue(str(text), allowed)
        return value

    return parse


def whole(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    """A whole number from ``low`` to ``high``."""
    if low is not None and high is not None:
        allowed = Text(f"{low} 到 {high} 的整数", f"a whole number from {low} to {high}")
    elif low is not None:
        allowed = Text(f"不小于 {low} 的整数", f"a whole number of {low} or more")
    else:
        allowed = Text("整数,如 2026", "a whole number, e.g. 2026")

    def parse(text: str) -> int:
        try:
            value = int(str(text).strip())
        except ValueError:
            raise BadValue(str(text), allowed) from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise BadValue(str(text), allowed)
        return value

    return parse
