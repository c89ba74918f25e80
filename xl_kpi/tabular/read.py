"""Read the user's tables (actuals, rosters, targets, histories) from CSV or XLSX, naming what is wrong."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.errors import InputFileError, UsageError
from ..core.text import Text

__all__ = ["read_table", "require_columns"]


def read_table(path: str | Path, what: Text) -> pd.DataFrame:
    """A CSV (UTF-8, BOM allowed) or the first sheet of an XLSX, every cell as text or blank.

    ``what`` names the table in messages (花名册 / roster, …).
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError("file-not-found", path=path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"):
        raise UsageError("table-format", file=str(path), what=what, suffix=suffix or "(-)")
    try:
        if suffix in (".csv", ".txt"):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=True)
        else:
            frame = pd.read_excel(path, dtype=object, engine="calamine")
    except UnicodeDecodeError:
        raise InputFileError("table-encoding", file=str(path), what=what) from None
    except Exception as exc:  # noqa: BLE001 - any reader failure is an unusable input file
        raise InputFileError("table-unreadable", file=str(path), what=what, detail=exc) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


def require_columns(frame: pd.DataFrame, columns: tuple[str, ...], path: str | Path, what: Text) -> None:
    """Raise naming the missing columns and the ones the file has."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputFileError("table-columns", file=str(path), what=what, missing=", ".join(missing),
                             have=", ".join(map(str, frame.columns)) or "-", expected=",".join(columns))
