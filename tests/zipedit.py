"""Forge returned files: rewrite one XML part of a workbook, as a user editing it by hand would."""

from __future__ import annotations

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
