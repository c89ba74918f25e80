"""Find returned workbooks: files, folders (recursively) and .zip archives of them."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UsageError
from .safety import Limits, Rejected

__all__ = ["Source", "discover", "member_name", "read_bytes"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True, slots=True)
class Source:
    """One returned file: a path, or a member of a .zip archive.

    ``member`` is the name as :mod:`zipfile` keys it (to open the member); ``label`` is the name
    as the archive's author wrote it (for every report).
    """

    path: str
    member: str | None = None
    label: str | None = None

    @property
    def display(self) -> str:
        if self.member is None:
            return self.path
        return f"{self.path}!{self.label or self.member}"


_UTF8_FLAG = 0x800


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it: UTF-8 when flagged; otherwise the raw bytes (which
    zipfile decoded as CP437) tried as UTF-8 (Linux and macOS tools write it unflagged), then as GBK
    when that gives common Chinese (Windows in Chinese), else CP437 as zipfile read it."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:  # zipfile decoded it otherwise (a metadata_encoding was given)
        return info.filename
    if raw.isascii():
        return info.filename
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        name = raw.decode("gb18030")
    except UnicodeDecodeError:
        return info.filename
    return name if _common_chinese(name) else info.filename


_IDEOGRAPH = re.compile("[\u3400-\u9fff]")


def _common_chinese(name: str) -> bool:
    """Whether a GBK reading of a name is Chinese a person wrote: it has ideographs and every one is
    among the 6,763 common ones (GB2312). CP437 text read as GBK gives rare ones (Müller → M乴ler)."""
    ideographs = _IDEOGRAPH.findall(name)
    try:
        "".join(ideographs).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return bool(ideographs)


def _is_lock_file(name: str) -> bool:
    return Path(name).name.startswith("~$")


def _archive_members(path: Path, limits: Limits) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError):
        return [Source(str(path))]  # reported as a broken workbook by the reader
    if len(infos) > limits.max_entries * 10:
        return [Source(str(path))]
    named = sorted((member_name(i), i.filename) for i in infos)
    return [Source(str(path), raw, None if label == raw else label) for label, raw in named
            if label.lower().endswith(WORKBOOK_SUFFIXES) and not _is_lock_file(label) and "__MACOSX" not in label]


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
