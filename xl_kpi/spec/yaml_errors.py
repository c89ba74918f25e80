"""PyYAML's refusals in our words, with the place to look: a spec's author reads "第 3 行用了全角冒号",
not "could not find expected ':'".

The commonest cause on a Chinese keyboard is named first: a full-width colon ``：`` where YAML needs
``: `` (the line then reads as one plain word, and the next line breaks the structure).
"""

from __future__ import annotations

import re
from typing import Any

from ..core.text import Text

__all__ = ["explain_yaml_error", "fullwidth_key_lines"]

FULLWIDTH = "："
_KEY_WITH_FULLWIDTH = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*\s*：")

_PROBLEMS: tuple[tuple[str, Text], ...] = (
    ("could not find expected ':'", Text("缺少冒号“: ”(或上一行的引号没有闭合)", "a colon ': ' is missing (or a quote on the line above is not closed)")),
    ("tab", Text("缩进里有 Tab 键,YAML 只认空格", "a tab in the indentation: YAML takes spaces only")),
    ("expected '-' indicator", Text("列表的缩进不一致,每个“- ”要对齐", "the list's indentation does not line up: align every '- '")),
    ("expected <block end>", Text("缩进不一致,同一层的字段要对齐", "the indentation does not line up: align the keys of one level")),
    ("mapping values are not allowed", Text("这里不能再写“键: 值”:冒号后要有空格,值里有“: ”时给值加引号",
                                            "a 'key: value' cannot start here: put a space after a colon, and quote a value holding ': '")),
    ("end of stream", Text("引号没有闭合", "a quote is not closed")),
    ("expected ',' or ']'", Text("方括号 [ ] 没有闭合,或元素之间缺少逗号", "a '[' is not closed, or a comma is missing between items")),
    ("expected ',' or '}'", Text("花括号 { } 没有闭合,或字段之间缺少逗号", "a '{' is not closed, or a comma is missing between fields")),
    ("cannot start any token", Text("这个字符不能出现在值的开头,请给这个值加引号", "this character cannot start a value: quote the value")),
    ("found undefined alias", Text("“*”开头的值要加引号", "quote a value starting with '*'")),
    ("found undefined tag", Text("“!”开头的值要加引号", "quote a value starting with '!'")),
)
_DUPLICATE = re.compile(r"duplicate key (.+) \(first on line (\d+)\)")


def fullwidth_key_lines(text: str) -> list[int]:
    """The lines (from 1) where a key is followed by a full-width colon (``title：…``)."""
    return [n for n, line in enumerate(text.splitlines(), 1) if _KEY_WITH_FULLWIDTH.match(line)]


def explain_yaml_error(exc: Any, text: str) -> tuple[str, Text]:
    """Where to look (``line 3`` or ``line 3, column 5``) and what is wrong, for a ``yaml.YAMLError``."""
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    lines = text.splitlines()
    near = sorted({m.line for m in (context_mark, problem_mark) if m is not None} |
                  ({problem_mark.line - 1} if problem_mark is not None and problem_mark.line > 0 else set()))
    for n in near:
        if 0 <= n < len(lines) and FULLWIDTH in lines[n]:
            return f"line {n + 1}", Text("这一行用了全角冒号“：”,YAML 要用半角冒号加空格“: ”",
                                         "this line has a full-width colon '：' where YAML needs ': ' (an ASCII colon and a space)")
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    problem = str(getattr(exc, "problem", None) or exc)
    duplicate = _DUPLICATE.search(problem)
    if duplicate:
        return where, Text(f"键 {duplicate[1]} 重复(第一次在第 {duplicate[2]} 行)", f"key {duplicate[1]} is given twice (first on line {duplicate[2]})")
    for words, meaning in _PROBLEMS:
        if words in problem:
            return where, meaning
    return where, Text("YAML 写法有误", f"not valid YAML ({problem})")
