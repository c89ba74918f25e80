"""Text that stays text when a CSV or sheet is opened in Excel (no formula injection)."""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt", ".tsv")  # what is read as HR's own table


def is_table(path: str | Path) -> bool:
    """A spreadsheet or CSV (read as an HR table), not a YAML/JSON spec."""
    return Path(path).suffix.lower() in TABLE_SUFFIXES


__all__ = ["neutralise", "strip_control", "write_csv_atomic", "atomic_path", "decode_csv"]

_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def strip_control(text: str) -> str:
    """Drop control characters that XML (and so xlsx) cannot hold."""
    return text if text.isprintable() else _CONTROL.sub("", text)  # most text is printable: no regex pass


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
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
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
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])


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
