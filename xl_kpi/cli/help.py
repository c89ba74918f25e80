"""Help pages in the user's language that fit the terminal (at most 80 columns) and cut nothing.

Every text is wrapped whole: Chinese at any character (not before a closing mark such as ,。)),
other text at spaces; wide characters count two columns. Options are listed as
``-o, --output 文件夹`` with their text, default and whether they are required; metavars are the
words the commands declare (:mod:`.options`), never a Python type.
"""

from __future__ import annotations

import inspect
import re
import shutil
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from .i18n import T

__all__ = ["cells", "wrap", "width", "usage", "usages", "command_help", "group_help", "MAX_WIDTH"]

MAX_WIDTH = 80
_GAP = 2  # spaces between an option and its text
_LEFT = 24  # an option wider than this puts its text on the next line
_WIDE = "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
_CLOSE = "、。,.;:!?)]}」』】〉》”’%…·"
_OPEN = "(「『【〈《“‘"
# one token: a wide character or a run of other non-space characters, with any opening marks before
# and closing marks after it (so that no line starts with ,。) nor ends with ( “)
_TOKEN = re.compile(rf"[{re.escape(_OPEN)}]*(?:[{_WIDE}]|[^\s{_WIDE}“”‘’]+|[“”‘’])[{re.escape(_CLOSE)}]*|\s+")


def cells(text: str) -> int:
    """Columns a text takes in a terminal: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def width() -> int:
    """The help's width: the terminal's, at most 80 columns (at least 40)."""
    return max(40, min(MAX_WIDTH, shutil.get_terminal_size((MAX_WIDTH, 24)).columns))


def wrap(text: str, limit: int) -> list[str]:
    """``text`` in lines of at most ``limit`` columns (a single longer word keeps its own line)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0
        for token in _TOKEN.findall(paragraph):
            if token.isspace():
                if line:
                    line, used = line + " ", used + 1
                continue
            size = cells(token)
            if line and used + size > limit:
                lines.append(line.rstrip())
                line, used = "", 0
            line, used = line + token, used + size
        lines.append(line.rstrip())
    return lines


def _rows(rows: Iterable[tuple[str, str]], total: int) -> list[str]:
    """Two columns: a name (indented two) and its text, wrapped in the second column."""
    rows = list(rows)
    left = min(_LEFT, max((cells(name) for name, _ in rows), default=0))
    out: list[str] = []
    for name, text in rows:
        column = 2 + left + _GAP
        body = wrap(text, max(20, total - column)) if text else [""]
        if cells(name) > left:  # too wide: the text starts on the next line
            out.append(f"  {name}")
            out += [" " * column + line for line in body]
            continue
        pad = " " * (left - cells(name) + _GAP)
        out.append(f"  {name}{pad}{body[0]}".rstrip())
        out += [" " * column + line for line in body[1:]]
    return out


def _metavar(param: Any) -> str:
    if getattr(param, "is_flag", False):
        return ""
    metavar = param.metavar or param.name.upper()
    return f"{metavar}..." if param.nargs == -1 or getattr(param, "multiple", False) else metavar


def _default(param: Any) -> str:
    value = param.default
    if param.show_default is False or value in (None, False, "", (), []) or param.required:
        return ""
    if callable(value):
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _sentence(text: str) -> str:
    """A text ending as a sentence ends, so that a note can follow it."""
    text = text.strip()
    if not text or text.endswith(("。", ".", "!", "?", "!", "?")):
        return text
    return text + T("。", ".")


def _text(param: Any, actions: Any) -> str:
    """A parameter's text, then (for an option) whether it is required or its default, and for a
    command with actions which of them need it or take it."""
    text = inspect.cleandoc(getattr(param, "help", None) or "")
    option = param.param_type_name == "option"
    if option and param.required:
        return _sentence(text) + T("必填。", " Required.")
    note = actions.note(param.name) if actions is not None and param.name != actions.param and not param.required else ""
    if option or note:
        text = _sentence(text) + note
    if option and _default(param):
        text += T(f"默认 {_default(param)}。", f" Default: {_default(param)}.")
    return text


def _option_row(param: Any, actions: Any = None) -> tuple[str, str]:
    names = ", ".join(sorted(param.opts, key=len))
    metavar = _metavar(param)
    return (f"{names} {metavar}" if metavar else names), _text(param, actions)


_HELP_TEXT = T("显示本帮助并退出。", "Show this help and exit.")


def usages(command: Any, ctx: Any) -> list[str]:
    """``xl-kpi build 规格 --roster 文件 -o 文件夹 [选项]``: what a call of the command looks like; for a
    command with actions, one line per action (only the action's, once it is known)."""
    if hasattr(command, "list_commands"):  # the program itself
        return [f"{ctx.command_path} {T('命令 [参数] [选项]', 'COMMAND [arguments] [options]')}"]
    actions = getattr(command, "actions", None)
    if actions is None:
        return [_usage(command, ctx, None)]
    return [_usage(command, ctx, action) for action in actions.forms(ctx.params.get(actions.param))]


def usage(command: Any, ctx: Any) -> str:
    """:func:`usages` as one line (for an error message)."""
    return T(";或 ", "; or ").join(usages(command, ctx))


def _usage(command: Any, ctx: Any, action: str | None) -> str:
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    needs: tuple[str, ...] = ()
    if action is not None:
        uses = command.actions.uses[action]
        needs = uses.needs
        params = [p for p in params if p.name in uses.takes]
    pieces = [ctx.command_path] + ([action] if action else [])
    for p in params:
        if p.param_type_name == "argument":
            pieces.append(_metavar(p) if p.required or p.name in needs else f"[{_metavar(p)}]")
    for p in params:
        if p.param_type_name == "option" and (p.required or p.name in needs):
            pieces.append(f"{min(p.opts, key=len)} {_metavar(p)}")
    if any(p.param_type_name == "option" and not (p.required or p.name in needs) for p in params) or \
            (action is None and command.get_help_option(ctx) is not None):
        pieces.append(T("[选项]", "[options]"))
    return " ".join(pieces)


def _page(title_usages: Sequence[str], description: str, sections: Sequence[tuple[str, list[str]]], epilog: str = "") -> str:
    total = width()
    out = wrap(f"{T('用法', 'Usage')}: {title_usages[0]}", total)
    indent = " " * cells(f"{T('用法', 'Usage')}: ")  # a command's other actions, aligned under the first
    out += [indent + line for form in title_usages[1:] for line in wrap(form, total - len(indent))]
    if description:
        out += ["", *wrap(inspect.cleandoc(description), total)]
    for title, lines in sections:
        if lines:
            out += ["", f"{title}:", *lines]
    if epilog:
        out += ["", *wrap(inspect.cleandoc(epilog), total)]
    return "\n".join(out) + "\n"


def _params(command: Any, ctx: Any) -> tuple[list[str], list[str]]:
    total = width()
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    actions = getattr(command, "actions", None)
    arguments = [(_metavar(p), _text(p, actions)) for p in params if p.param_type_name == "argument"]
    options = []
    for p in params:
        if p.param_type_name != "option":
            continue
        name, text = _option_row(p, actions)
        if p is command.get_help_option(ctx):
            text = _HELP_TEXT
        options.append((name, text))
    return _rows(arguments, total), _rows(options, total)


def command_help(command: Any, ctx: Any) -> str:
    """A command's help page: usage, what it does, its arguments and options, and any notes."""
    arguments, options = _params(command, ctx)
    return _page(usages(command, ctx), command.help or "", ((T("参数", "Arguments"), arguments), (T("选项", "Options"), options)),
                 command.epilog or "")


def group_help(group: Any, ctx: Any) -> str:
    """The program's help page: what it does, its commands in the order of the work, its options."""
    rows = []
    for name in group.list_commands(ctx):
        sub = group.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            rows.append((name, inspect.cleandoc(sub.short_help or sub.help or "").split("\n")[0]))
    _, options = _params(group, ctx)
    return _page(usages(group, ctx), group.help or "", ((T("命令(按工作顺序)", "Commands (in the order of the work)"), _rows(rows, width())),
                                           (T("选项", "Options"), options)), group.epilog or "")
