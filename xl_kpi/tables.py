"""Read the user's tables (actuals, rosters, histories) from CSV or XLSX, naming what is wrong."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import InputFileError, Text, UsageError

__all__ = ["read_table", "require_columns"]


def read_table(path: str | Path, what: str) -> pd.DataFrame:
    """A CSV (UTF-8, BOM allowed) or the first sheet of an XLSX, every cell as text or blank.

    ``what`` names the table in messages ("roster", "actuals").
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(Text(f"找不到{what}文件 {path}", f"{what} file not found: {path}"), Text("检查路径是否正确", "check the path"))
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            frame = pd.read_excel(path, dtype=object, engine="calamine")
        elif suffix in (".csv", ".txt"):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=True)
        else:
            raise UsageError(Text(f"{what}文件 {path} 的格式 {suffix or '(无扩展名)'} 不受支持", f"{what} file {path}: unsupported format {suffix or '(no extension)'}"),
                             Text("使用 .csv 或 .xlsx", "use .csv or .xlsx"))
    except UsageError:
        raise
    except UnicodeDecodeError:
        raise InputFileError(Text(f"{what}文件 {path} 不是 UTF-8 编码", f"{what} file {path} is not UTF-8"),
                             Text("在 Excel 中另存为“CSV UTF-8”", "save it as \"CSV UTF-8\"")) from None
    except Exception as exc:  # noqa: BLE001 - any reader failure is an unusable input file
        raise InputFileError(Text(f"无法读取{what}文件 {path}: {exc}", f"cannot read {what} file {path}: {exc}"),
                             Text("确认文件完整且为 CSV 或 XLSX", "check that it is a complete CSV or XLSX file")) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


def require_columns(frame: pd.DataFrame, columns: tuple[str, ...], path: str | Path, what: str) -> None:
    """Raise naming the missing columns and the ones the file has."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, frame.columns)) or "(none)"
        raise InputFileError(
            Text(f"{what}文件 {path} 缺少列: {', '.join(missing)}(现有列: {have})",
                 f"{what} file {path} lacks column(s) {', '.join(missing)} (it has: {have})"),
            Text("第一行应为列名: " + ",".join(columns), "the first row must name the columns: " + ",".join(columns)))
