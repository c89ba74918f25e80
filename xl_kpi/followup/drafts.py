"""Ready-to-send e-mails: ``.eml`` drafts (standard library :mod:`email`) from the chase list.

One draft per person (what they must do, their workbook or annotated copy attached; their manager in
copy), one per manager for what only a manager can do (ratings, their signature) — or, grouped by
manager, one per manager for all of their people — and one per rater who owes their rating workbook
(the people waiting listed, the rating workbook attached). Each speaks the recipient's language (the person's
workbook's; a manager's, that of most of their people). Drafts are marked unsent (``X-Unsent: 1``), so
Outlook opens them ready to edit and send; any mail program opens them.
"""

from __future__ import annotations

import email.policy
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from pathlib import Path
from typing import Literal

from ..core.findings import Finding, finding
from ..core.text import Lang, Text
from ..workbook.filenames import safe_name
from .chase import ChaseItem

__all__ = ["Draft", "plan_drafts", "write_drafts", "letter_draft", "XLSX_TYPE"]

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
XLSM_TYPE = ("application", "vnd.ms-excel.sheet.macroEnabled.12")
By = Literal["person", "manager"]

_PERSON = {  # what a person is asked, by kind: (zh, en); {file} is the attachment, {by} the deadline
    "return": ("您的考核表尚未交回。请在附件《{file}》中填写实际完成值和自我评价{by}发回。",
               "Your scorecard has not come back yet. Please fill in your results and self-review in the attached {file} and send it back{by}."),
    "correction": ("您交回的考核表有需要修改的地方:已在附件《{file}》中用红框标出,每处附有批注说明。请改好后保存{by}发回。",
                   "Some cells of the scorecard you sent need correcting: each is framed in red in the attached {file}, with a comment "
                   "saying what to do. Please correct them, save and send it back{by}."),
    "reissue": ("{detail}。请在附件《{file}》(发给您的原表)中填写{by}发回。",
                "{detail}. Please fill in the attached {file} (the workbook as issued to you) and send it back{by}."),
    "signature": ("考核表上还缺少您的结果确认签字:请在附件《{file}》的“确认签字”一栏签名并填写日期{by}发回。",
                  "Your signature of the result is missing: please sign and date the sign-off block of the attached {file} and send it back{by}."),
}


@dataclass
class Draft:
    """One e-mail: to whom, in which language, about which items, with which files."""

    to_name: str
    to: str  # e-mail address ("" when the roster has none)
    cc: str
    lang: Lang
    subject: str
    body: str
    attachments: list[Path] = field(default_factory=list)
    items: list[ChaseItem] = field(default_factory=list)
    recipient: Literal["person", "manager", "rater"] = "person"
    path: Path | None = None  # where it was written

    def message(self, sender: str = "") -> EmailMessage:
        msg = EmailMessage(policy=email.policy.SMTP)
        if sender:
            msg["From"] = sender
        if self.to:
            msg["To"] = formataddr((self.to_name, self.to))
        if self.cc:
            msg["Cc"] = self.cc
        msg["Subject"] = self.subject
        msg["Date"] = formatdate(localtime=True)
        msg["X-Unsent"] = "1"
        msg.set_content(self.body)
        for path in self.attachments:
            kind = XLSM_TYPE if path.suffix.lower() == ".xlsm" else XLSX_TYPE if path.suffix.lower() == ".xlsx" else \
                tuple((mimetypes.guess_type(path.name)[0] or "application/octet-stream").split("/", 1))
            msg.add_attachment(path.read_bytes(), maintype=kind[0], subtype=kind[1], filename=path.name)
        return msg


def _by(deadline: str, lang: Lang) -> str:
    if not deadline:
        return "后" if lang == "zh" else ""
    return f",于{deadline}前" if lang == "zh" else f" by {deadline}"


def _person_draft(items: Sequence[ChaseItem], period: str, deadline: str, signature: str) -> Draft:
    first = items[0]
    lang = first.lang
    lines = []
    files: list[Path] = []
    for k, it in enumerate(items, start=1):
        name = it.attach.name if it.attach else ("发给您的考核表" if lang == "zh" else "the scorecard you were sent")
        zh, en = _PERSON[it.kind] if it.kind in _PERSON else ("{detail}", "{detail}")
        text = (zh if lang == "zh" else en).format(file=name, by=_by(deadline, lang), detail=it.detail(lang))
        if lang == "en" and text.startswith("the return"):
            text = text[0].upper() + text[1:]
        lines.append(f"{k}. {text}")
        if it.attach is not None and it.attach not in files:
            files.append(it.attach)
    if lang == "zh":
        subject = f"【{period} 绩效考核】{first.name}:请处理 {len(items)} 项事项"
        body = f"{first.name}:\n\n您好!{period} 绩效考核还需要您处理以下事项:\n\n" + "\n".join(lines) + f"\n\n谢谢!\n{signature}\n"
    else:
        subject = f"[{period} performance review] {first.name}: {len(items)} thing(s) to do"
        body = f"Dear {first.name},\n\nThe {period} performance review still needs the following from you:\n\n" + "\n".join(lines) + \
            f"\n\nThank you.\n{signature}\n"
    return Draft(first.name, first.email, first.manager_email, lang, subject, body, files, list(items))


def _manager_draft(manager: str, address: str, items: Sequence[ChaseItem], period: str, deadline: str, signature: str) -> Draft:
    langs = [i.lang for i in items]
    lang: Lang = "en" if langs.count("en") > langs.count("zh") else "zh"
    lines = []
    files: list[Path] = []
    for it in items:
        attach = f"(附件:{it.attach.name})" if lang == "zh" and it.attach else f" (attached: {it.attach.name})" if it.attach else ""
        lines.append(f"- {it.employee_id} {it.name}:{it.detail(lang)}{attach}" if lang == "zh" else
                     f"- {it.employee_id} {it.name}: {it.detail(lang)}{attach}")
        if it.attach is not None and it.attach not in files:
            files.append(it.attach)
    by = _by(deadline, lang)
    who = manager or ("部门负责人" if lang == "zh" else "Manager")
    if lang == "zh":
        subject = f"【{period} 绩效考核】{who}:您部门有 {len({i.employee_id for i in items})} 人的考核待处理"
        body = (f"{who}:\n\n您好!您部门以下同事的 {period} 绩效考核还有未完成的事项:\n\n" + "\n".join(lines)
                + f"\n\n需要您评分或签字的,请在附件中对应的考核表里填写{by}发回;其余请督促本人处理。\n\n谢谢!\n{signature}\n")
    else:
        subject = f"[{period} performance review] {who}: {len({i.employee_id for i in items})} of your people still have items open"
        body = (f"Dear {who},\n\nThe {period} performance review of these people in your team is not complete yet:\n\n" + "\n".join(lines)
                + f"\n\nWhere your rating or signature is needed, please fill it in in the attached scorecard and send it back{by}; "
                  f"for the rest, please remind the person.\n\nThank you.\n{signature}\n")
    return Draft(who, address, "", lang, subject, body, files, list(items), "manager")


def _rater_draft(rater: str, address: str, items: Sequence[ChaseItem], period: str, deadline: str, signature: str) -> Draft:
    langs = [i.lang for i in items]
    lang: Lang = "en" if langs.count("en") > langs.count("zh") else "zh"
    files = list(dict.fromkeys(i.attach for i in items if i.attach is not None))
    people = "\n".join(f"- {i.employee_id} {i.name}" for i in items)
    named = "、".join(f"《{f.name}》" for f in files) if lang == "zh" else ", ".join(f.name for f in files)
    by = _by(deadline, lang)
    if lang == "zh":
        subject = f"【{period} 绩效考核】{rater}:请交回评分表({len(items)} 人待评)"
        body = (f"{rater}:\n\n您好!{period} 绩效考核中,以下同事还在等待您的评分:\n\n{people}\n\n"
                f"请在{'附件' + named if files else '发给您的评分表'}中为他们评分并签字,保存{by}发回。\n\n谢谢!\n{signature}\n")
    else:
        subject = f"[{period} performance review] {rater}: your rating workbook ({len(items)} people waiting)"
        body = (f"Dear {rater},\n\nThese people are still waiting for your ratings in the {period} performance review:\n\n{people}\n\n"
                f"Please rate them and sign in {'the attached ' + named if files else 'the rating workbook you were sent'}, "
                f"save it and send it back{by}.\n\nThank you.\n{signature}\n")
    return Draft(rater, address, "", lang, subject, body, files, list(items), "rater")


def plan_drafts(items: Sequence[ChaseItem], period: str, by: By = "person", deadline: str = "", signature: str = "HR") -> list[Draft]:
    """The e-mails for the chase list (items addressed to HR are listed, never mailed)."""
    persons: dict[str, list[ChaseItem]] = {}
    managers: dict[str, list[ChaseItem]] = {}
    raters: dict[str, list[ChaseItem]] = {}
    for it in items:
        if it.to == "hr":
            continue
        if it.to == "rater":
            raters.setdefault(it.rater, []).append(it)
            continue
        if it.to == "manager" or (by == "manager" and it.manager):
            managers.setdefault(it.manager, []).append(it)
        else:
            persons.setdefault(it.employee_id, []).append(it)
    drafts = [_person_draft(group, period, deadline, signature) for group in persons.values()]
    for manager, group in managers.items():
        address = next((i.manager_email for i in group if i.manager_email), "")
        drafts.append(_manager_draft(manager, address, group, period, deadline, signature))
    for rater, group in raters.items():
        drafts.append(_rater_draft(rater, next((i.rater_email for i in group if i.rater_email), ""), group, period, deadline, signature))
    return drafts


def write_drafts(drafts: Sequence[Draft], folder: Path, sender: str = "") -> list[Finding]:
    """Write each draft as ``.eml`` under ``folder`` (people by department, managers apart); returns a note
    for each draft with no recipient address."""
    notes = []
    taken: set[str] = set()
    for d in drafts:
        first = d.items[0]
        manager_mail = d.recipient != "person"
        sub = folder / ({"manager": "managers", "rater": "raters"}.get(d.recipient) or safe_name(first.department or "-"))
        stem = safe_name(d.to_name or "-") if manager_mail else safe_name(f"{first.employee_id}_{first.name}")
        name, n = stem, 2
        while str(sub / name).casefold() in taken:
            name, n = f"{stem}~{n}", n + 1
        taken.add(str(sub / name).casefold())
        sub.mkdir(parents=True, exist_ok=True)
        d.path = sub / f"{name}.eml"
        d.path.write_bytes(d.message(sender).as_bytes())
        if not d.to:
            notes.append(finding("chase-no-address", file=str(d.path), employee_id="" if manager_mail else first.employee_id,
                                 who=Text(d.to_name, d.to_name)))
    return notes


def letter_draft(name: str, email: str, cc: str, department: str, employee_id: str, lang: Lang, letter: Path, period: str,
                 deadline: str, signature: str = "HR") -> Draft:
    """The e-mail that sends a person their result letter."""
    item = ChaseItem(employee_id, name, department, "", "return", "person", Text("结果通知书", "result letter"), "", letter, email, cc, lang)
    if lang == "zh":
        subject = f"【{period} 绩效结果通知】{name}"
        body = (f"{name}:\n\n您好!附件是您 {period} 的绩效结果通知书,请查阅。直接上级将与您进行绩效面谈。\n"
                f"如对结果有异议,请于 {deadline or '通知书所列日期'} 前向人力资源部提交书面申诉。\n\n谢谢!\n{signature}\n")
    else:
        subject = f"[{period} performance result] {name}"
        body = (f"Dear {name},\n\nAttached is your performance result for {period}. Your supervisor will hold the review talk with you.\n"
                f"If you disagree with the result, send HR a written appeal by {deadline or 'the date in the letter'}.\n\nThank you.\n{signature}\n")
    return Draft(name, email, cc, lang, subject, body, [letter], [item])
