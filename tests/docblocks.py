"""The Python code blocks of a Markdown page, so a page's examples run as tests."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path
from typing import Any

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def python_blocks(page: Path) -> list[str]:
    return _BLOCK.findall(page.read_text(encoding="utf-8"))


def page_module(page: Path, marker: str, name: str, monkeypatch: Any) -> types.ModuleType:
    """The page's code block holding ``marker``, run as the module ``name`` (registered for the test only)."""
    (source,) = [b for b in python_blocks(page) if marker in b]
    module = types.ModuleType(name)
    monkeypatch.setitem(sys.modules, name, module)
    exec(compile(source, f"{page.parent.name}/{page.name}: {name.replace('.', '/')}.py", "exec"), module.__dict__)
    return module
