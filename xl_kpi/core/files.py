"""Text that stays text when a CSV or sheet is opened in Excel (no formula injection)."""

from __future__ import annotations

import codecs
import contextlib
import csv
import errno
import io
import os
import re
import sqlite3
import stat
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import UsageError
from .text import Text
from .visible import shown_path, visible

TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt", ".tsv")  # what is read as HR's own table


def is_table(path: str | Path) -> bool:
    """A spreadsheet or CSV (read as an HR table), not a YAML/JSON spec."""
    return Path(path).suffix.lower() in TABLE_SUFFIXES


__all__ = ["read_sign_key", "neutralise", "strip_control", "write_csv_atomic", "atomic_path", "decode_csv", "read_regular", "file_kind_word",
           "is_disk_full", "writing_to"]

_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def strip_control(text: str) -> str:
    """Text an output (CSV, xlsx) can hold and a reader sees as it is: control characters XML cannot
    hold, bidi overrides and undecodable bytes written as visible escapes (:func:`~.visible.visible`)."""
    return visible(text)


def neutralise(value: Any) -> Any:
    """Prefix ``'`` to text that a spreadsheet would run as a formula; numbers pass through."""
    if not isinstance(value, str):
        return value
    value = strip_control(value)
    if value.startswith(_RISKY_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def atomic_path(target: Path) -> Path:
    """A temporary path beside ``target`` for write-then-rename (not created here)."""
    return target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


def write_csv_atomic(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a UTF-8 (BOM, so Excel reads Chinese) CSV via a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic_path(path)
    try:
        with writing_to(path), open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            _write(fh, header, rows)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The same CSV as :func:`write_csv_atomic`, as a string (for standard output)."""
    buf = io.StringIO()
    _write(buf, header, rows)
    return buf.getvalue()


def _write(fh: Any, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(fh)
    writer.writerow(header)
    writer.writerows(map(_safe_row, rows))


def _safe_row(row: Sequence[Any]) -> list[Any]:
    """A row as :func:`neutralise` leaves each value (None as empty): a text that is printable and starts
    safely — nearly every one — is tested inline, without a call per value."""
    return ["" if v is None else
            (v if v.isprintable() and not v.startswith(_RISKY_START) else neutralise(v)) if isinstance(v, str) else v
            for v in row]


def decode_csv(raw: bytes) -> str | None:
    """A CSV's text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (what Excel saves as
    "CSV" on a Chinese Windows); None when it is none of them."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


_KINDS = ((stat.S_ISFIFO, Text("命名管道(FIFO)", "a named pipe (FIFO)")), (stat.S_ISSOCK, Text("套接字", "a socket")),
          (stat.S_ISCHR, Text("字符设备", "a character device")), (stat.S_ISBLK, Text("块设备", "a block device")),
          (stat.S_ISDIR, Text("文件夹", "a folder")))


def file_kind_word(mode: int) -> Text:
    """What a path that is not a regular file is (from its ``st_mode``), in words."""
    return next((word for test, word in _KINDS if test(mode)), Text("特殊文件", "a special file"))


def read_regular(path: str | Path, limit: int) -> bytes:
    """A regular file's bytes, at most ``limit + 1`` of them (so a caller can tell it is too large).

    Opened without blocking and checked before anything is read: a named pipe, socket or device
    given as a file is refused at once (reading a pipe would wait for a writer forever).

    Raises:
        UsageError: ``path-not-a-file`` for anything but a regular file, ``file-not-found``.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise UsageError("file-not-found", path=path) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UsageError("path-not-a-file", path=path, kind=file_kind_word(mode))
        chunks, want = [], limit + 1
        while want > 0:
            chunk = os.read(fd, min(want, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            want -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))  # no space; over the quota


def _causes(exc: BaseException | None) -> Iterator[BaseException]:
    """An exception and what it wraps (XlsxWriter wraps the OSError of a failed save in its own error)."""
    for _ in range(6):
        if exc is None:
            return
        yield exc
        wrapped = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = wrapped or exc.__cause__ or exc.__context__


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it wraps) says a disk or quota is full: an OSError, or SQLite's own words."""
    return any(isinstance(e, OSError) and e.errno in _FULL or isinstance(e, sqlite3.Error) and "disk is full" in str(e)
               for e in _causes(exc))


@contextlib.contextmanager
def writing_to(folder: str | Path, name_file: bool = True) -> Iterator[None]:
    """Name a full disk met while writing under ``folder`` for what it is: ``disk-full`` with the file
    (or the folder, when the error does not say which file or ``name_file`` is False: the file was a
    temporary one), a usage error (exit code 2)."""
    try:
        yield
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        named = [getattr(e, "filename2", None) or getattr(e, "filename", None) for e in _causes(exc) if isinstance(e, OSError)]
        where = next((n for n in named if isinstance(n, (str, bytes)) and name_file), None) or folder
        raise UsageError("disk-full", path=shown_path(os.fsdecode(where))) from exc


def read_sign_key(key: str | Path | bytes | None) -> bytes | None:
    """HR's signing key: bytes as given, or a key file's content (surrounding whitespace ignored).

    Raises:
        UsageError: no such file, or fewer than 16 bytes of secret in it.
    """
    if key is None or isinstance(key, bytes):
        return key or None
    path = Path(key)
    if not path.is_file():
        raise UsageError("file-not-found", path=path)
    data = path.read_bytes().strip()
    if len(data) < 16:
        raise UsageError("bad-option", option="sign-key", value=str(path), allowed=Text("至少 16 字节的密钥文件", "a file of at least 16 bytes of secret"))
    return data
