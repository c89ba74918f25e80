"""Every problem consolidation reports: a stable code, a severity, and a message with a fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..errors import Lang, Text, ui_lang

Severity = Literal["error", "warning", "info"]

# code: (severity, zh, en, fix zh, fix en); messages are str.format templates.
CATALOGUE: dict[str, tuple[Severity, str, str, str, str]] = {
    "empty-file": ("error", "文件为空", "the file is empty", "请对方重新发送工作簿", "ask for the workbook again"),
    "too-large": ("error", "文件过大({size} 字节,上限 {limit})", "file too large ({size} bytes, limit {limit})",
                  "确认发送的是考核表", "check that this is the scorecard"),
    "encrypted": ("error", "工作簿已加密(设置了打开密码)", "the workbook is encrypted (it has an open password)",
                  "请对方去掉打开密码后重新发送", "ask for a copy without an open password"),
    "legacy-xls": ("error", "这是旧版 .xls 或其他 OLE 文件,不是生成的考核表", "this is a legacy .xls or other OLE file, not a generated scorecard",
                   "请用下发的 .xlsx 考核表填写", "fill in the .xlsx scorecard that was sent"),
    "not-a-workbook": ("error", "不是 Excel 工作簿(文件头: {head})", "not an Excel workbook (starts with {head})",
                       "确认附件是否发错", "check whether the wrong attachment was sent"),
    "corrupt-file": ("error", "工作簿已损坏或不完整: {detail}", "the workbook is damaged or truncated: {detail}",
                     "请对方重新保存并发送", "ask for the file to be saved and sent again"),
    "zip-bomb": ("error", "压缩内容异常,拒绝解压: {detail}", "refused to decompress: {detail}",
                 "该文件可能是恶意构造的,请勿打开", "the file may be hostile; do not open it"),
    "xml-entities": ("error", "XML 中含有实体声明(DOCTYPE/ENTITY),已拒绝解析: {part}", "XML declares entities (DOCTYPE/ENTITY), refused: {part}",
                     "该文件可能是恶意构造的,请勿打开", "the file may be hostile; do not open it"),
    "macros-present": ("warning", "工作簿含有宏(未运行)", "the workbook contains macros (never run)",
                       "宏不会被执行;请确认来源", "macros are never run; check where it came from"),
    "not-a-scorecard": ("error", "不是 xl-kpi 考核表(缺少隐藏的元数据表)", "not an xl-kpi scorecard (the hidden metadata sheet is missing)",
                        "请用下发的考核表填写,不要复制到新文件", "use the scorecard that was sent, not a copy in a new file"),
    "metadata-invalid": ("error", "元数据表已损坏: {detail}", "the metadata sheet is damaged: {detail}",
                         "请重新下发考核表", "issue the scorecard again"),
    "unknown-template": ("error", "未知模板 {template}", "unknown template {template}",
                         "用 --templates 指定包含该模板的文件夹", "pass the folder holding it with --templates"),
    "template-version": ("warning", "模板 {template} 的版本 {found} 与当前版本 {expected} 不同,按文件内版本计分",
                         "template {template} is version {found}, the current one is {expected}; scored with the file's version",
                         "确认该员工使用的是最新考核表", "check that the person used the current scorecard"),
    "spec-changed": ("error", "考核规则与模板 {template} 不一致(哈希不同)", "scoring rules differ from template {template} (hash mismatch)",
                     "按模板重新计分;请核实是否被改动", "scored with the template; check who changed it"),
    "sheet-missing": ("error", "找不到工作表 {missing}", "sheet {missing} is missing",
                      "不要删除或重命名工作表", "do not delete or rename sheets"),
    "changed-target": ("error", "{indicator} 的目标值被改为 {found}(应为 {expected})", "{indicator}: target changed to {found} (expected {expected})",
                       "按规定目标值计分;核实改动原因", "scored with the agreed target; find out why it changed"),
    "changed-weight": ("error", "{indicator} 的权重被改为 {found}(应为 {expected})", "{indicator}: weight changed to {found} (expected {expected})",
                       "按规定权重计分;核实改动原因", "scored with the agreed weight; find out why it changed"),
    "changed-threshold": ("error", "{indicator} 的评分参数 {cell} 被改为 {found}(应为 {expected})",
                          "{indicator}: scoring parameter {cell} changed to {found} (expected {expected})",
                          "按规定标准计分;核实改动原因", "scored with the agreed standard; find out why it changed"),
    "formula-changed": ("error", "{cell} 的公式被改动", "the formula in {cell} was changed",
                        "已忽略表内结果并重新计分", "the sheet's result was ignored and rescored"),
    "formula-deleted": ("error", "{cell} 的公式被删除或覆盖为数值", "the formula in {cell} was deleted or overwritten",
                        "已忽略表内结果并重新计分", "the sheet's result was ignored and rescored"),
    "missing-actual": ("warning", "{indicator} 未填写实际值", "{indicator}: no actual entered",
                       "请员工补填", "ask the person to fill it in"),
    "invalid-actual": ("error", "{indicator} 的实际值 {value} 无法识别", "{indicator}: actual {value} cannot be read",
                       "填写数字(百分比如 105%)或有效等级", "enter a number (percentages like 105%) or a valid level"),
    "ambiguous-percent": ("warning", "{indicator} 填写了 {value},是 {value}% 还是 {pct}?已按 {pct} 计分",
                          "{indicator}: {value} entered — {value}% or {pct}? scored as {pct}",
                          "请员工确认", "ask the person to confirm"),
    "normalised-actual": ("info", "{indicator} 的实际值 {value} 已规范为 {normalised}({how})",
                          "{indicator}: actual {value} read as {normalised} ({how})", "", ""),
    "cached-mismatch": ("warning", "{cell} 表内显示 {found},重新计算为 {expected}", "{cell} shows {found}, recomputed {expected}",
                        "以重新计算的结果为准", "the recomputed result is used"),
    "duplicate-person": ("warning", "{employee_id} 重复提交,保留 {kept}", "{employee_id} returned more than once; kept {kept}",
                         "确认哪一份是最终版本", "confirm which copy is final"),
    "not-returned": ("warning", "{employee_id} {name} 未提交考核表", "{employee_id} {name} has not returned a scorecard",
                     "请催交", "chase the return"),
    "unknown-person": ("warning", "{employee_id} 不在花名册中", "{employee_id} is not on the roster",
                       "核对员工编号", "check the employee id"),
    "employee-id-changed": ("error", "表内员工编号 {found} 与下发记录 {expected} 不一致", "employee id on the sheet {found} differs from the issued {expected}",
                            "以下发记录为准;核实是否填错表", "the issued id is used; check whether the wrong file was filled"),
    "worker-crashed": ("error", "读取时解析程序崩溃或超出内存: {detail}", "the reader crashed or ran out of memory: {detail}",
                       "该文件可能已损坏或被恶意构造", "the file may be damaged or hostile"),
    "timeout": ("error", "读取超时({seconds} 秒)", "reading timed out ({seconds} s)",
                "该文件可能已损坏或被恶意构造", "the file may be damaged or hostile"),
}


@dataclass(frozen=True)
class Issue:
    """One finding about one returned file (and person, where known)."""

    file: str
    code: str
    severity: Severity
    message: Text
    hint: Text | None = None
    sheet: str = ""
    employee_id: str = ""
    cell: str = ""

    def row(self, lang: Lang | None = None) -> dict[str, str]:
        lang = lang or ui_lang()
        return {"file": self.file, "sheet": self.sheet, "employee_id": self.employee_id, "cell": self.cell,
                "code": self.code, "severity": self.severity, "message": self.message(lang),
                "hint": self.hint(lang) if self.hint else ""}


def issue(code: str, file: str, *, sheet: str = "", employee_id: str = "", cell: str = "", **fields: Any) -> Issue:
    """An :class:`Issue` from the catalogue, its message filled with ``fields``."""
    severity, zh, en, fix_zh, fix_en = CATALOGUE[code]
    fields = {"sheet": sheet, "employee_id": employee_id, "cell": cell, **{k: ("" if v is None else v) for k, v in fields.items()}}
    hint = Text(fix_zh.format(**fields), fix_en.format(**fields)) if fix_zh or fix_en else None
    return Issue(file=file, code=code, severity=severity, message=Text(zh.format(**fields), en.format(**fields)), hint=hint,
                 sheet=sheet, employee_id=employee_id, cell=cell)
