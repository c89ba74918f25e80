"""Commands with actions (``xl-kpi calibrate build|collect``): the action is the command's first
argument, read by our parser like any value; what each action takes is declared once here.

A parameter another action uses, given to this one, is refused in our words (never silently
ignored); one this action needs and was not given is asked for; the help page shows one usage line
per action and says which options belong to which (:mod:`.help` reads :attr:`Command.actions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import typer

from ..core.errors import UsageError
from ..core.text import Text
from .i18n import T
from .parsing import choice, param_name

__all__ = ["Uses", "Actions"]


@dataclass(frozen=True)
class Uses:
    """What one action takes: the parameters it needs and the ones it may be given (by parameter name)."""

    needs: tuple[str, ...] = ()
    may: tuple[str, ...] = ()

    @property
    def takes(self) -> tuple[str, ...]:
        return self.needs + self.may


def _given(ctx: Any, name: str) -> bool:
    source = ctx.get_parameter_source(name)
    return source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP")


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, (list, tuple)) and not value)


class Actions:
    """A command's actions in the order the work meets them, each with what it takes."""

    param = "action"

    def __init__(self, **actions: Uses) -> None:
        self.uses = actions
        self.names = tuple(actions)

    def argument(self, help: str) -> Any:  # ``help``: typer's word
        """The action argument (``build|collect``), read by :func:`.parsing.choice`."""
        return typer.Argument(help=help, show_default=False, metavar="|".join(self.names), parser=choice(*self.names))

    def users(self, name: str) -> list[str]:
        """The actions that take parameter ``name`` (all of them for one no action declares, such as -h)."""
        declared = [a for a, uses in self.uses.items() if name in uses.takes]
        return declared or list(self.names)

    def needed_by(self, name: str) -> list[str]:
        return [a for a, uses in self.uses.items() if name in uses.needs]

    def check(self, command: Any, ctx: Any) -> None:
        """Refuse what the chosen action does not take, and ask for what it needs (before any work)."""
        from .help import usage

        action = ctx.params[self.param]
        uses, path = self.uses[action], f"{ctx.command_path} {action}"
        params = [p for p in command.get_params(ctx) if p.name != self.param and p is not command.get_help_option(ctx)]
        for p in params:
            if p.name in uses.takes or not _given(ctx, p.name):
                continue
            if p.param_type_name == "argument":
                raise UsageError("extra-arguments", args=" ".join(map(str, ctx.params[p.name] or ())), usage=usage(command, ctx))
            owners = " / ".join(f"{ctx.command_path} {a}" for a in self.users(p.name))
            name = param_name(p)
            raise UsageError("unknown-option", command=path, option=name, usage=usage(command, ctx),
                             close=Text(f"{name} 只用于 {owners};", f"{name} is for {owners} only; "))
        for p in params:
            if p.name in uses.needs and _empty(ctx.params.get(p.name)):
                what = Text("参数", "the argument") if p.param_type_name == "argument" else Text("选项", "the option")
                shown = f"{param_name(p)}..." if p.param_type_name == "argument" and p.nargs == -1 else \
                    param_name(p) if p.param_type_name == "argument" else f"{param_name(p)} {p.metavar or ''}".strip()
                raise UsageError("missing-argument", command=path, what=what, name=shown, usage=usage(command, ctx))

    def note(self, name: str) -> str:
        """What the help adds to a parameter's text: the actions that need it, else those it is for."""
        users, needed = self.users(name), self.needed_by(name)
        if len(needed) == len(self.names):
            return T("必填。", " Required.")
        if needed:
            return T(f"{'、'.join(needed)} 时必填。", f" Required for {' and '.join(needed)}.")
        if len(users) < len(self.names):
            return T(f"仅用于 {'、'.join(users)}。", f" For {' and '.join(users)} only.")
        return ""

    def forms(self, chosen: str | None) -> Sequence[str]:
        """The actions a usage line is shown for: the one chosen, else all."""
        return [chosen] if chosen in self.uses else list(self.names)
