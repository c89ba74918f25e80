"""Forge returned files: rewrite one XML part of a workbook, as a user editing it by hand would; read every part of a
build's workbooks to compare two builds."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path


def rewrite_part(path: Path, part: str, change: Callable[[str], str]) -> None:
    """Replace ``part`` of the workbook at ``path`` with ``change(its text)``; other parts are copied as they are."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    tmp.replace(path)


def built_parts(folder: Path) -> dict[str, bytes]:
    """Every part of every workbook under ``folder`` (but the creation time), each workbook's random id masked: two
    builds of the same roster with the same code give the same parts."""
    parts = {}
    for path in sorted(folder.rglob("*.xlsx")):
        with zipfile.ZipFile(path) as zf:
            parts |= {f"{path.relative_to(folder)}/{n}": re.sub(rb">[0-9a-f]{32}<", b">id<", zf.read(n))
                      for n in zf.namelist() if n != "docProps/core.xml"}
    return parts
