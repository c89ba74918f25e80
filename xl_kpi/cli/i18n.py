"""The command line in one language at a time: its own help and messages, and click's and typer's.

The language is chosen once per process (``XL_KPI_LANG``, else the locale: zh_* → Chinese,
anything else → English). :func:`T` picks a text of ours; :func:`install` makes click and typer
speak Chinese too: they look their words up through ``gettext`` at run time (``_`` and
``ngettext`` in each module) and keep a few as constants, all replaced here by lookups in
:data:`CLICK_ZH`. Nothing changes for English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..core.text import ui_lang

__all__ = ["LANG", "T", "install", "CLICK_ZH", "say_zh"]

LANG = ui_lang()


def T(zh: str, en: str) -> str:  # noqa: N802 - reads like a constructor of text
    """Our text in the process's language."""
    return zh if LANG == "zh" else en


CLICK_ZH: dict[str, str] = {
    "Show this message and exit.": "显示帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Usage:": "用法:",
    "Error: {message}": "错误: {message}",
    "Error": "错误",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数: {param_name}",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "是否想写 {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(是否想写其中之一: {possibilities}?)",
    "Invalid value: {message}": "无效的值: {message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效: {message}",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值之一: {choices}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "integer": "整数",
    "float": "数字",
    "{value!r} is not a valid boolean.": "{value!r} 不是有效的是/否值。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "Got unexpected extra argument ({args})": "多余的参数 ({args})",
    "Got unexpected extra arguments ({args})": "多余的参数 ({args})",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个文件夹。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}: {message}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Aborted!": "已中止!",
    "Aborted.": "已中止。",
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "[default: {}]": "[默认: {}]",
    "default: {default}": "默认: {default}",
    "[env var: {}]": "[环境变量: {}]",
    "env var: {var}": "环境变量: {var}",
    "[required]": "[必填]",
    "required": "必填",
    "(dynamic)": "(动态)",
    "(deprecated) ": "(已弃用) ",
    "deprecated": "已弃用",
    "unknown error": "未知错误",
    "Value must be an iterable.": "值必须是可迭代的。",
}
_CONSTANTS = ("DEPRECATED_STRING", "DEFAULT_STRING", "ENVVAR_STRING", "REQUIRED_LONG_STRING", "ARGUMENTS_PANEL_TITLE",
              "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE", "ERRORS_PANEL_TITLE", "ABORTED_TEXT", "RICH_HELP")
_ORIGINAL: dict[str, str] = {  # typer.rich_utils' constants as it defines them (English)
    "DEPRECATED_STRING": "(deprecated) ", "DEFAULT_STRING": "[default: {}]", "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]", "ARGUMENTS_PANEL_TITLE": "Arguments", "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands", "ERRORS_PANEL_TITLE": "Error", "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help."}


def _gettext(message: str) -> str:
    return CLICK_ZH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


# typer's own copy of click writes its messages as plain English f-strings: read back and said again
_MESSAGES_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(a), b) for a, b in (
    (r"^No such option: (.+?)(?: \(Possible options: (.+)\))?$", "没有选项 \\1"),
    (r"^Missing argument '(.+)'\.?$", "缺少参数 '\\1'。"),
    (r"^Missing option '(.+)'\.?$", "缺少选项 '\\1'。"),
    (r"^Missing parameter: (.+)$", "缺少参数: \\1"),
    (r"^Missing command\.$", "缺少命令。"),
    (r"^No such command '(.+)'\.$", "没有命令 '\\1'。"),
    (r"^Got unexpected extra arguments? \((.+)\)$", "多余的参数 (\\1)"),
    (r"^Option '(.+)' requires an argument\.$", "选项 '\\1' 需要一个值。"),
    (r"^Option '(.+)' requires (\d+) arguments\.$", "选项 '\\1' 需要 \\2 个值。"),
    (r"^Option '(.+)' does not take a value\.$", "选项 '\\1' 不接受值。"),
    (r"^Argument '(.+)' takes (\d+) values\.$", "参数 '\\1' 需要 \\2 个值。"),
))
_VALUES_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(a), b) for a, b in (
    (r"^(?:Value error, )?(.+) is not one of (.+)\.$", "\\1 不是可选值之一: \\2。"),
    (r"^(?:Value error, )?(.+) is not a valid integer\.?$", "\\1 不是有效的整数。"),
    (r"^(?:Value error, )?(.+) is not a valid float\.?$", "\\1 不是有效的数字。"),
    (r"^(?:Value error, )?(.+) is not a valid boolean\.?$", "\\1 不是有效的是/否值。"),
    (r"^(?:Value error, )?(.+) is not in the range (.+)\.$", "\\1 不在 \\2 范围内。"),
    (r"^Input should be a valid number.*$", "应为数字"),
    (r"^Input should be a valid integer.*$", "应为整数"),
    (r"^Input should be greater than or equal to (.+)$", "应不小于 \\1"),
    (r"^Input should be less than or equal to (.+)$", "应不大于 \\1"),
    (r"^Input should be greater than (.+)$", "应大于 \\1"),
    (r"^Input should be less than (.+)$", "应小于 \\1"),
    (r"^(?:Value error, )?(.+)$", "\\1"),
))


def say_zh(message: str) -> str:
    """An English message of typer's click in Chinese (as it is when it is none of the known ones)."""
    m = re.match(r"^Invalid value for (.+?): (.+)$", message, re.S)
    if m:
        value = m[2]
        for pattern, text in _VALUES_ZH:
            if pattern.match(value):
                value = pattern.sub(text, value)
                break
        return f"{m[1]} 的值无效: {value}"
    m = re.match(r"^Invalid value: (.+)$", message, re.S)
    if m:
        return f"无效的值: {m[1]}"
    for pattern, text in _MESSAGES_ZH:
        found = pattern.match(message)
        if found:
            out = pattern.sub(text, message)
            if pattern.pattern.startswith("^No such option") and found.group(2):
                out += f"(可用选项: {found.group(2)})"
            return out
    return message


def _typer_click() -> None:
    """typer's vendored click: usage prefix, the help option's help, "[OPTIONS]", and every error message."""
    try:
        from typer._click import decorators, exceptions, formatting
    except ImportError:  # an older typer uses click itself
        return
    write_usage = formatting.HelpFormatter.write_usage

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")
        write_usage(self, prog, args, "用法: " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]
    make_help = decorators.help_option

    def help_option(names: list[str]) -> Callable[[Any], Any]:
        apply = make_help(names)

        def localised(command: Any) -> Any:
            command = apply(command)
            command.params[-1].help = "显示帮助并退出。"
            return command

        return localised

    decorators.help_option = help_option  # type: ignore[assignment]
    for kind in _subclasses(exceptions.ClickException):
        if "format_message" in vars(kind):
            original = vars(kind)["format_message"]

            def format_message(self: Any, _original: Any = original) -> str:
                return say_zh(_original(self))

            kind.format_message = format_message  # type: ignore[attr-defined]


def _subclasses(root: type) -> list[type]:
    found, todo = [], [root]
    while todo:
        kind = todo.pop()
        found.append(kind)
        todo += kind.__subclasses__()
    return found


def install() -> None:
    """Make click and typer speak the process's language (Chinese: every message they have; English: as they are)."""
    if LANG != "zh":
        return
    _typer_click()
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types
    import typer.core
    import typer.main
    import typer.rich_utils

    modules = (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui, click.types,
               typer.core, typer.main, typer.rich_utils)
    for module in modules:
        for name, replacement in (("_", _gettext), ("ngettext", _ngettext)):
            if callable(getattr(module, name, None)):
                setattr(module, name, replacement)
    for name in _CONSTANTS:
        if hasattr(typer.rich_utils, name):
            setattr(typer.rich_utils, name, _gettext(_ORIGINAL[name]))


translate: Callable[[str], str] = _gettext
