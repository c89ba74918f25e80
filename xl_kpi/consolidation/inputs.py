"""Find returned workbooks: files, folders (recursively) and .zip archives of them."""

from __future__ import annotations

import datetime
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UsageError
from ..core.files import file_kind_word
from ..core.findings import Finding, finding
from ..core.text import Text
from ..core.visible import common_chinese, shown_path, undecodable, visible
from ..sheet.register import REGISTER_NAME
from .safety import Limits, Rejected

__all__ = ["Source", "discover", "member_name", "read_bytes", "own_file"]

LEGACY_SUFFIXES = (".xls",)  # read for who returned it (other_formats); every format's own (formats/) are read as returns


def workbook_suffixes() -> tuple[str, ...]:
    """The suffixes of files a folder or an archive is searched for: every return format's, and .xls."""
    from .formats import REGISTRY

    return (*LEGACY_SUFFIXES, *(suffix for fmt in REGISTRY.values() for suffix in fmt.suffixes))


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
        """The file as every report names it: a name that is not UTF-8 read as GBK where plausible, else
        its bytes escaped; control and bidi characters made visible (:func:`~xl_kpi.core.visible.shown_path`)."""
        if self.member is None:
            return shown_path(self.path)
        return f"{shown_path(self.path)}!{visible(self.label or self.member)}"


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
    return name if common_chinese(name) else info.filename


UNSUPPORTED = {  # what a returned file that is not a scorecard is, in words HR can pass on
    ".csv": Text("CSV 文本(.csv)", "a CSV text file (.csv)"),
    ".xlsb": Text("Excel 二进制工作簿(.xlsb)", "an Excel binary workbook (.xlsb)"),
    ".et": Text("WPS 表格文件(.et)", "a WPS spreadsheet (.et)"),
    ".numbers": Text("Numbers 表格(.numbers)", "a Numbers spreadsheet (.numbers)"),
    ".pdf": Text("PDF 文件", "a PDF file"),
    ".rar": Text("RAR 压缩包", "a RAR archive"), ".7z": Text("7z 压缩包", "a 7z archive"),
}
SYSTEM_FILES = {".ds_store", "thumbs.db", "desktop.ini"}
OWN_FILES = {REGISTER_NAME, "history.sqlite"}  # what xl-kpi writes beside workbooks and outputs


def own_file(name: str) -> bool:
    """One of xl-kpi's own files, never a return: the issue register build writes beside the workbooks,
    a history, a run's scratch store (``.xl-kpi-run-…``), a file being written (``.name.pid.tmp``)."""
    return _own_base(Path(name).name)


def _own_base(base: str) -> bool:
    """:func:`own_file` of a name without folders."""
    base = base.lower()
    return base in OWN_FILES or base.startswith(".xl-kpi-") or (base.startswith(".") and base.endswith(".tmp"))


def _kind(name: str) -> Text:
    suffix = Path(name).suffix.lower()
    return UNSUPPORTED.get(suffix, Text(f"{suffix or '无扩展名'} 文件", f"a {suffix or 'suffix-less'} file"))


def _skip_reason(name: str, base: str | None = None) -> Text | None:
    """Why a file in a folder is passed over without being read, or None (``base``: its name without folders,
    when known)."""
    base = Path(name).name if base is None else base
    if base.startswith("~$"):  # Excel's lock file
        return Text("Excel 打开文件时留下的临时锁文件(~$…)", "a lock file Excel leaves while a workbook is open (~$…)")
    if base.lower() in SYSTEM_FILES or "__MACOSX" in name or base.startswith("._"):
        return Text("操作系统生成的文件", "a file the operating system made")
    return None


class _Walk:
    """The files under the inputs, each reached once; what is not read is noted with its reason."""

    def __init__(self, limits: Limits, notes: list[Finding]) -> None:
        self.limits, self.notes = limits, notes
        self.sources: list[Source] = []
        self.seen: set[tuple[int, int]] = set()
        self.suffixes = workbook_suffixes()

    def first_time(self, path: Path | os.DirEntry[str]) -> bool:
        try:
            st = path.stat()  # a folder's entry: the stat scandir's entry keeps, taken once (a link followed, as Path.stat)
            if not st.st_ino and isinstance(path, os.DirEntry):  # Windows: an entry's stat has no file id
                st = os.stat(path.path)
        except OSError:
            return True  # reported by whoever reads it
        key = (st.st_dev, st.st_ino)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def given(self, path: Path) -> None:
        """A path named by the user: a file is always read (a wrong attachment is reported), a folder walked."""
        if path.is_dir():
            self.folder(path, path.resolve())
        elif self.first_time(path) and self.regular(path):
            self.file(path, explicit=True)

    def regular(self, path: Path | os.DirEntry[str]) -> bool:
        """Whether ``path`` is a regular file; a named pipe, socket or device is noted and never opened
        (reading a pipe would wait for a writer until the time limit)."""
        try:
            mode = path.stat().st_mode
        except OSError:
            return True  # reported by whoever reads it
        if stat.S_ISREG(mode):
            return True
        self.notes.append(finding("not-a-file", file=shown_path(path.path if isinstance(path, os.DirEntry) else path),
                                  kind=file_kind_word(mode)))
        return False

    def folder(self, folder: Path, root: Path) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            self.notes.append(finding("unreadable-folder", file=shown_path(folder), detail=exc.strerror or str(exc)))
            return
        for entry in entries:
            link = entry.is_symlink()
            if link:
                target = Path(os.path.realpath(entry.path))
                if target != root and root not in target.parents:
                    self.notes.append(finding("symlink-outside", file=shown_path(Path(entry.path)), target=shown_path(target)))
                    continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if link:
                    continue  # inside the tree: its files are reached through their real folder
                self.folder(Path(entry.path), root)
            elif self.first_time(entry) and self.regular(entry):
                self.file(Path(entry.path), explicit=False, base=entry.name)

    def file(self, path: Path, explicit: bool, base: str | None = None) -> None:
        """A file found (``base``: its name, when its folder's entry gave it)."""
        base = path.name if base is None else base
        if not explicit and _own_base(base):
            return  # passed over silently, like the system's files
        reason = None if explicit else _skip_reason(base, base)
        if reason is not None:
            if base.lower() not in SYSTEM_FILES:
                self.notes.append(finding("skipped-file", file=shown_path(path), reason=reason))
            return
        if not str(path).isprintable() and undecodable(str(path)):
            shown = shown_path(path)
            how = (Text("字节已转义显示", "its bytes are shown escaped") if "\\x" in shown else
                   Text("已按 GBK 读出", "read as GBK"))
            self.notes.append(finding("file-name-encoding", file=shown, how=how))
        suffix = path.suffix.lower()
        if suffix == ".zip":
            self.sources += _archive_members(path, self.limits, self.notes)
        elif explicit or suffix in self.suffixes:
            self.sources.append(Source(str(path)))
        else:
            self.notes.append(finding("unsupported-file", file=shown_path(path), kind=_kind(path.name)))


def _archive_members(path: Path, limits: Limits, notes: list[Finding]) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError):
        return [Source(str(path))]  # reported as a broken workbook by the reader
    if len(infos) > limits.max_entries * 10:
        return [Source(str(path))]
    sources: list[Source] = []
    for label, raw in sorted((member_name(i), i.filename) for i in infos):
        display = f"{shown_path(path)}!{visible(label)}"
        reason = _skip_reason(label)
        if own_file(label):
            continue
        if reason is not None:
            if Path(label).name.lower() not in SYSTEM_FILES and "__MACOSX" not in label:
                notes.append(finding("skipped-file", file=display, reason=reason))
        elif label.lower().endswith(workbook_suffixes()):
            sources.append(Source(str(path), raw, None if label == raw else label))
        else:
            notes.append(finding("unsupported-file", file=display, kind=_kind(label)))
    return sources


def discover(paths: list[Path], limits: Limits = Limits(), notes: list[Finding] | None = None) -> list[Source]:
    """Every file to read under ``paths``, each once, in a stable order.

    A path given explicitly is always read (so a wrong attachment is reported). In folders and
    archives, workbooks are read; every other file is noted in ``notes``: unsupported (.ods,
    .csv, .xlsb… with what to ask the employee for), skipped with its reason (Excel lock files),
    a link leaving the input folder (never followed), a folder that cannot be read.
    """
    walk = _Walk(limits, notes if notes is not None else [])
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError("file-not-found", path=path)
        walk.given(path)
    return walk.sources


def read_bytes(source: Source, limits: Limits) -> tuple[bytes, float]:
    """The file's bytes, never more than the size limit plus one (so oversize is detectable), and
    when it was last modified (a member: the time the archive records)."""
    if source.member is None:
        fd = os.open(source.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            stat_ = os.fstat(fd)
            if not stat.S_ISREG(stat_.st_mode):  # replaced by a pipe or device since it was found: never waited on
                raise Rejected("not-a-file", kind=file_kind_word(stat_.st_mode))
            # exactly what the file holds: a buffered read of "up to the limit" allocates the limit first
            want = min(stat_.st_size, limits.max_file_bytes) + 1
            chunks = []
            while want > 0:
                chunk = os.read(fd, want)
                if not chunk:
                    break
                chunks.append(chunk)
                want -= len(chunk)
            return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), stat_.st_mtime
        finally:
            os.close(fd)
    with zipfile.ZipFile(source.path) as zf:
        info = zf.getinfo(source.member)
        if info.file_size > limits.max_file_bytes:
            raise Rejected("too-large", size=info.file_size, limit=limits.max_file_bytes)
        if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
            raise Rejected("zip-bomb", detail=f"{source.member}: ratio {info.file_size / info.compress_size:.0f}")
        try:
            mtime = datetime.datetime(*info.date_time).timestamp()
        except (ValueError, OverflowError):
            mtime = 0.0
        with zf.open(info) as fh:
            return fh.read(limits.max_file_bytes + 1), mtime
