"""Find returned workbooks: files, folders (recursively) and .zip archives of them."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UsageError
from .safety import Limits, Rejected

__all__ = ["Source", "discover", "read_bytes"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True, slots=True)
class Source:
    """One returned file: a path, or a member of a .zip archive."""

    path: str
    member: str | None = None

    @property
    def display(self) -> str:
        return f"{self.path}!{self.member}" if self.member else self.path


def _is_lock_file(name: str) -> bool:
    return Path(name).name.startswith("~$")


def _archive_members(path: Path, limits: Limits) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = [i.filename for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError):
        return [Source(str(path))]  # reported as a broken workbook by the reader
    if len(names) > limits.max_entries * 10:
        return [Source(str(path))]
    return [Source(str(path), n) for n in sorted(names)
            if n.lower().endswith(WORKBOOK_SUFFIXES) and not _is_lock_file(n) and "__MACOSX" not in n]


def discover(paths: list[Path], limits: Limits = Limits()) -> list[Source]:
    """Every candidate file, in a stable order; Excel lock files (``~$…``) are skipped silently.

    A path given explicitly is always read (so a wrong attachment is reported); inside
    folders only workbook and .zip files are picked up.
    """
    sources: list[Source] = []
    for path in paths:
        if not path.exists():
            raise UsageError("file-not-found", path=path)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _is_lock_file(child.name):
                    continue
                if child.suffix.lower() == ".zip":
                    sources += _archive_members(child, limits)
                elif child.suffix.lower() in WORKBOOK_SUFFIXES:
                    sources.append(Source(str(child)))
        elif path.suffix.lower() == ".zip":
            sources += _archive_members(path, limits)
        elif not _is_lock_file(path.name):
            sources.append(Source(str(path)))
    return sources


def read_bytes(source: Source, limits: Limits) -> bytes:
    """The file's bytes, never more than the size limit plus one (so oversize is detectable)."""
    if source.member is None:
        with open(source.path, "rb") as fh:
            return fh.read(limits.max_file_bytes + 1)
    with zipfile.ZipFile(source.path) as zf:
        info = zf.getinfo(source.member)
        if info.file_size > limits.max_file_bytes:
            raise Rejected("too-large", size=info.file_size, limit=limits.max_file_bytes)
        if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
            raise Rejected("zip-bomb", detail=f"{source.member}: ratio {info.file_size / info.compress_size:.0f}")
        with zf.open(info) as fh:
            return fh.read(limits.max_file_bytes + 1)
