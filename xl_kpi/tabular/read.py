"""Read the user's tables (actuals, rosters, targets, histories) from CSV or XLSX, naming what is wrong.

Tables as HR keeps them are read as they are: a CSV in UTF-8 (with or without BOM), GB18030
(what Excel saves on a Chinese Windows) or UTF-16; a title row or a note above the header; column
names in Chinese (工号, 姓名, 部门, …) as well as the documented English ones.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..core.errors import InputFileError, UsageError
from ..core.files import decode_csv
from ..core.tablefiles import table_bytes
from ..core.text import Text
from ..core.visible import visible

__all__ = ["read_table", "require_columns", "ALIASES", "first_line", "canonical_columns"]

# column → the names HR tables use for it (compared lower-cased, spaces and full-width folded)
ALIASES: dict[str, tuple[str, ...]] = {
    "employee_id": ("工号", "员工编号", "员工工号", "编号", "人员编号", "职工号", "被评人工号", "被考核人工号", "employee id", "emp id", "staff id", "id"),
    "name": ("姓名", "员工姓名", "名字", "employee name", "full name"),
    "department": ("部门", "所属部门", "部门名称", "dept", "dept."),
    "position": ("岗位", "职位", "岗位名称", "职务", "job title", "title", "role"),
    "manager": ("直接上级", "上级", "主管", "直属上级", "考核人", "supervisor", "line manager", "reports to"),
    "template": ("模板", "考核模板", "考核表", "规格", "spec", "scorecard"),
    "period": ("考核周期", "周期", "考核期间", "review period"),
    "bonus_base": ("绩效奖金基数", "奖金基数", "绩效基数", "绩效工资基数", "bonus base", "base"),
    "reviewer_password": ("复核密码", "评分密码", "reviewer password"),
    "indicator_id": ("指标标识", "指标编号", "指标", "indicator", "kpi"),
    "actual": ("实际值", "实际完成", "实际", "actual value"),
    "target": ("目标值", "目标", "target value"),
    "value": ("数值", "值"),
    "rater": ("评分人", "评分人工号", "rater"),
    "reviewer": ("复核人", "复核", "隔级上级", "复核人工号", "second-level manager"),
    "peers": ("互评人", "同事评分人", "互评同事", "评分同事", "互评", "peer raters", "360 raters"),
    "relation": ("角色", "评分角色", "评分关系", "关系", "rater role"),
}
HEADER_SCAN = 20  # rows above the header (titles, notes) that are looked through


def _key(text: object) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text)).strip().lower().replace("_", " ").split())


def _canonical(name: object, aliases: Mapping[str, tuple[str, ...]]) -> str:
    """A header cell as the column it names: "工号" → employee_id; anything else lower-cased as it is."""
    key = _key(name)
    for column, names in aliases.items():
        if key == column.replace("_", " ") or key in names:
            return column
    return str(name).strip().lower()


def _decode(raw: bytes, path: Path, what: Text) -> str:
    text = decode_csv(raw)
    if text is None:
        raise InputFileError("table-encoding", file=str(path), what=what)
    return text


def read_table(path: str | Path, what: Text, expected: tuple[str, ...] = ()) -> pd.DataFrame:
    """A CSV or the first sheet of an XLSX, every cell as text or blank, its columns named as
    :data:`ALIASES` reads them. The header is the first row naming at least two ``expected``
    columns (the first row when none is given or none does); ``frame.attrs["first_line"]`` is the
    line number of the first data row, for messages.

    ``what`` names the table in messages (花名册 / roster, …).
    """
    path = Path(path)
    if not path.exists():  # a pipe or folder: refused by name where it is read
        raise UsageError("file-not-found", path=path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"):
        raise UsageError("table-format", file=str(path), what=what, suffix=suffix or "(-)")
    data = table_bytes(path, what)  # bounded and checked as returns are: a stray far cell never reaches the reader
    try:
        if suffix in (".csv", ".txt"):
            text = _decode(data, path, what)
            first = text[: text.find("\n")] if "\n" in text else text
            sep = "\t" if "\t" in first and "," not in first else ","  # Excel's "Unicode text" is tab-separated
            raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True, header=None, sep=sep,
                              names=range(max(len(line.split(sep)) for line in text.splitlines()[:HEADER_SCAN + 1] or [""])))
        else:
            raw = pd.read_excel(io.BytesIO(data), dtype=object, engine="calamine", header=None)
    except InputFileError:
        raise
    except UnicodeDecodeError:
        raise InputFileError("table-encoding", file=str(path), what=what) from None
    except Exception as exc:  # noqa: BLE001 - any reader failure is an unusable input file
        raise InputFileError("table-unreadable", file=str(path), what=what, detail=reader_problem(exc)) from None
    return _with_header(_shown(raw), expected)


def _shown(raw: pd.DataFrame) -> pd.DataFrame:
    """The cells as HR's table holds them, control and bidi characters made visible (never acting in a
    name or a report); most tables have none, and are returned as they are."""
    if all(v.isprintable() for v in raw.to_numpy().ravel() if isinstance(v, str)):
        return raw
    return raw.map(lambda v: visible(v) if isinstance(v, str) else v)


def reader_problem(exc: BaseException) -> Text:
    """Why pandas or calamine could not read a table, in our words (with the line to look at)."""
    detail = str(exc)
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", detail)
    if found:
        n, line, saw = found.groups()
        return Text(f"第 {line} 行有 {saw} 个值,前面的行只有 {n} 个(值里有逗号时要给值加引号)",
                    f"line {line} has {saw} values where the lines above have {n} (quote a value that holds a comma)")
    found = re.search(r"EOF inside string starting at row (\d+)", detail)
    if found:
        line = int(found[1]) + 1
        return Text(f"第 {line} 行开始的引号没有配对(值里的引号要写成两个 \"\")",
                    f"the quote opened on line {line} is never closed (write a quote inside a value as \"\")")
    low = detail.lower()
    if "password" in low or "encrypt" in low:
        return Text("工作簿设了打开密码", "the workbook has an open password")
    if any(w in low for w in ("detect file format", "zip", "invalid", "corrupt", "xml", "cfb", "ole")):
        return Text("不是可读的 Excel 文件(已损坏,或扩展名与内容不符)", "not a readable Excel file (damaged, or its extension does not match its content)")
    return Text("内容无法按表格读取", f"its content cannot be read as a table ({type(exc).__name__}: {detail})")


def _with_header(raw: pd.DataFrame, expected: tuple[str, ...]) -> pd.DataFrame:
    header = 0
    if expected:
        for r in range(min(HEADER_SCAN, len(raw))):
            names = {_canonical(v, ALIASES) for v in raw.iloc[r].tolist() if v is not None and str(v).strip()}
            if len(names & set(expected)) >= min(2, len(expected)):
                header = r
                break
    if raw.empty:
        frame = raw
    else:
        columns = [_canonical(v, ALIASES) if v is not None and str(v).strip() and str(v) != "nan" else f"column {c + 1}"
                   for c, v in enumerate(raw.iloc[header].tolist())]
        frame = raw.iloc[header + 1:].reset_index(drop=True)
        frame.columns = pd.Index(columns)
        frame = frame.loc[:, ~frame.columns.duplicated()]
    frame.attrs["first_line"] = header + 2
    return frame


def canonical_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame's columns named as :data:`ALIASES` reads them (a DataFrame given to the API: 工号 → employee_id)."""
    return frame.rename(columns=lambda c: _canonical(c, ALIASES))


def first_line(frame: pd.DataFrame) -> int:
    """The line number of a table's first data row (2 when the header is the first line)."""
    return int(frame.attrs.get("first_line", 2))


def require_columns(frame: pd.DataFrame, columns: tuple[str, ...], path: str | Path, what: Text) -> None:
    """Raise naming the missing columns and the ones the file has."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputFileError("table-columns", file=str(path), what=what, missing=", ".join(missing),
                             have=", ".join(map(str, frame.columns)) or "-", expected=",".join(columns))
