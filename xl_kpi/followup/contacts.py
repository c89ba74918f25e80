"""Who to write to: each person's e-mail, manager and manager's e-mail, from the roster HR already keeps.

The roster read for building (``employee_id, name, department, position, manager, template``) may also
carry ``email`` and ``manager_email`` columns (邮箱 / 上级邮箱, …) and a ``lang`` column; they are read
here, and only here, since nothing else needs them. A manager's e-mail left blank is taken from the
manager's own row when the manager is on the roster (by employee id or by a name only one person has).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from ..core.findings import Finding, finding
from ..core.text import Text
from ..spec.model import Person
from ..tabular.read import read_table

__all__ = ["Contact", "load_contacts", "contacts_from_people", "CONTACT_ALIASES"]

CONTACT_ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "mail", "邮箱", "电子邮箱", "电子邮件", "邮件", "邮件地址", "email address"),
    "manager_email": ("manager_email", "manager email", "supervisor email", "上级邮箱", "直接上级邮箱", "主管邮箱", "上级邮件"),
    "lang": ("lang", "language", "语言"),
}
ROSTER = Text("花名册", "roster")


@dataclass(frozen=True)
class Contact:
    """How to reach a person and their manager ("" where the roster does not say)."""

    employee_id: str
    name: str
    department: str
    manager: str = ""
    email: str = ""
    manager_email: str = ""
    lang: str = ""  # "zh" / "en" when the roster says; else the language of the person's workbook


def _key(text: object) -> str:
    return str(text).strip().lower().replace(" ", "").replace("_", "").replace("-", "")


def _column(columns: Sequence[Any], field: str) -> Any | None:
    wanted = {_key(a) for a in CONTACT_ALIASES[field]}
    return next((c for c in columns if _key(c) in wanted), None)


def _address(value: object, file: str, line: int, column: str, problems: list[Finding]) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    _, address = parseaddr(text)
    if "@" not in address or " " in address or address.startswith("@") or address.endswith("@"):
        problems.append(finding("roster-bad-email", file=file, field=f"line {line}", column=column, value=text))
        return ""
    return text


def _lang(value: object) -> str:
    text = "" if value is None else str(value).strip().lower()
    if text.startswith(("zh", "中", "cn")):
        return "zh"
    return "en" if text.startswith(("en", "英")) else ""


def load_contacts(path: str | Path, people: Sequence[Person]) -> tuple[dict[str, Contact], list[Finding]]:
    """Each rostered person's contact by employee id, and a finding for each e-mail that cannot be an address."""
    frame = read_table(path, ROSTER, ("employee_id", "name", "department", "manager"))
    columns = list(frame.columns)
    email_col, manager_col, lang_col = (_column(columns, f) for f in ("email", "manager_email", "lang"))
    rows: dict[str, dict[str, Any]] = {}
    start = int(frame.attrs.get("first_line", 2))
    problems: list[Finding] = []
    for k, row in enumerate(frame.to_dict("records")):
        eid = str(row.get("employee_id") or "").strip()
        if not eid:
            continue
        line = start + k
        rows[eid] = {"email": _address(row.get(email_col), str(path), line, str(email_col), problems) if email_col else "",
                     "manager_email": _address(row.get(manager_col), str(path), line, str(manager_col), problems) if manager_col else "",
                     "lang": _lang(row.get(lang_col)) if lang_col else ""}
    return contacts_from_people(people, rows), problems


def contacts_from_people(people: Sequence[Person], extra: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Contact]:
    """Contacts from the roster's people and their e-mails (``extra``: employee id → email, manager_email, lang)."""
    extra = extra or {}
    by_name: dict[str, list[str]] = {}
    for p in people:
        by_name.setdefault(p.name, []).append(p.employee_id)
    out = {}
    for p in people:
        own = extra.get(p.employee_id, {})
        manager_email = own.get("manager_email", "")
        if not manager_email and p.manager:
            ids = [p.manager] if p.manager in extra else by_name.get(p.manager, [])
            if len(ids) == 1:
                manager_email = extra.get(ids[0], {}).get("email", "")
        out[p.employee_id] = Contact(p.employee_id, p.name, p.department, p.manager, own.get("email", ""), manager_email,
                                     own.get("lang", ""))
    return out
