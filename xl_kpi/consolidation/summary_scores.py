"""summary.xlsx's Scores sheets: the result columns of the templates returned (:mod:`xl_kpi.scoring.columns`),
values shown as the scorecards show them (105%, not 1.05), statuses in words, the file a result came
from by its name; with several templates, everyone's card columns on one sheet and each template's
own columns on a sheet of its own (named by its role)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..scoring.columns import result_columns
from ..sheet.printing import fit_width
from ..spec.model import Person, Spec
from .chase import awaiting_text
from .record import PersonRecord, not_returned

__all__ = ["STATUS", "Scores", "merged", "file_name", "sheet_title"]

STATUS = {"ok": ("正常", "ok"), "incomplete": ("未填完", "incomplete"), "invalid": ("有错误", "invalid"),
          "tampered": ("规则被改动", "rules changed"), "superseded": ("旧版考核表", "superseded card"), "not-returned": ("未提交", "not returned"),
          "conflict": ("副本冲突", "conflicting copies"), "wrong-format": ("格式不对(需 .xlsx)", "wrong format (.xlsx needed)"),
          "awaiting-rater": ("待评分", "awaiting raters")}


class Scores:
    """The Scores sheet: the result columns of the templates returned (:mod:`xl_kpi.scoring.columns`), values
    shown as the scorecards show them (105%, not 1.05), statuses in words."""

    FIXED = {"employee_id": 11, "name": 10, "department": 12, "file": 24, "sheet": 12}

    RUN = ("template", "period", "file", "sheet")  # where a result came from: on the Scores sheet, not repeated per template

    def __init__(self, specs: dict[str, Spec], templates: list[str], lang: str, card_only: bool = False,
                 run_columns: bool = True) -> None:
        used = [specs[t] for t in templates if t in specs]
        self.lang = lang
        columns = result_columns(used, "zh" if lang == "zh" else "en").for_output("sheet")
        # with several templates, everyone's card columns here and each template's indicators on a sheet of its own
        self.columns = [c for c in columns if not (card_only and c.indicator) and (run_columns or c.key not in self.RUN)]
        self.grades = sorted({g.label for spec in used for g in spec.grades})  # each person's grade is their template's own
        self.template_ids = list(templates)
        self.kinds = [c.kind for c in self.columns]

    def header(self) -> list[str]:
        return [c.title("zh" if self.lang == "zh" else "en") for c in self.columns]

    def index(self, key: str) -> int:
        return next(k for k, c in enumerate(self.columns) if c.key == key)

    def widths(self) -> list[float]:
        out = []
        for c, h in zip(self.columns, self.header()):
            if c.key in self.FIXED:
                out.append(float(self.FIXED[c.key]))
            elif c.kind == "grade":
                out.append(fit_width(self.grades + [h], 8, 16))
            elif c.key == "template":
                out.append(fit_width([*self.template_ids, h], 10, 24))
            elif c.kind == "money":
                out.append(max(11.0, fit_width([_third(h)], 7, 14)))
            else:  # a heading wraps to three lines at most
                out.append(fit_width([_third(h)], 7, 14))
        return out

    def formats(self, book: Any) -> dict[int, Any]:
        by_kind = {"decimal": book.num, "money": book.money}
        return {k: book.pct if c.percent else by_kind[c.kind] for k, c in enumerate(self.columns)
                if c.percent or c.kind in by_kind}

    def status(self, code: str) -> str:
        zh, en = STATUS.get(code, (code, code))
        return zh if self.lang == "zh" else en

    def row(self, r: PersonRecord) -> list[Any]:
        row = [c.value(r) for c in self.columns]
        for k, (kind, column) in enumerate(zip(self.kinds, self.columns)):
            if kind == "status":
                row[k] = self.status(row[k])
            elif kind == "grade" and row[k] is None:
                row[k] = ""
            elif kind == "awaiting":
                row[k] = awaiting_text(row[k] or "", self.lang) or None
            elif column.key == "file" and row[k]:
                row[k] = file_name(row[k])  # the file HR chases, not the folders it came through
        return row

    def missing_row(self, p: Person) -> list[Any]:
        return self.row(not_returned(p))


def _third(heading: str) -> str:
    """The widest line of a column heading wrapped to three lines: its longest word in English, a third in Chinese."""
    if heading.isascii():
        return max(heading.split() or [""], key=len)
    return heading[: -(-len(heading) // 3)] if len(heading) > 4 else heading


def file_name(path: str) -> str:
    """A returned file's name as HR saw it: the last part of its path (``a.zip/b.xlsx`` keeps the archive's name)."""
    parts = path.replace("\\", "/").split("/")
    inner = next((k for k, p in enumerate(parts) if p.lower().endswith(".zip")), None)
    return "/".join(parts[inner:]) if inner is not None and inner < len(parts) - 1 else parts[-1]


def sheet_title(prefix: str, spec: Spec, taken: set[str]) -> str:
    """A template's Scores sheet name: the prefix and the role, at most 31 characters, unique, none of []:*?/\\."""
    role = spec.position or spec.title or spec.id
    base = "".join(ch for ch in f"{prefix}-{role}" if ch not in "[]:*?/\\")[:31]
    name, k = base, 1
    while name.lower() in taken:
        k += 1
        name = f"{base[: 31 - len(str(k)) - 1]}~{k}"
    taken.add(name.lower())
    return name


def merged(records: Iterator[PersonRecord], missing: Sequence[Person]) -> Iterator[tuple[PersonRecord | None, Person | None]]:
    """Returned records (by department, id) with the roster people who returned nothing, in the same order."""
    waiting = sorted(missing, key=lambda p: (p.department, p.employee_id))
    k = 0
    for record in records:
        while k < len(waiting) and (waiting[k].department, waiting[k].employee_id) < (record.department, record.employee_id):
            yield None, waiting[k]
            k += 1
        yield record, None
    for p in waiting[k:]:
        yield None, p
