"""An input cell whose number format shows something other than what it holds.

The supervisor signs the card as it shows; consolidation pays what the cells hold. A return whose
person's input cell was given a number format like ``"88.9%"`` (a constant), ``0.0"%"`` (a percent sign
that does not multiply by 100), ``0,`` (thousands scaled away) or ``;;;`` (nothing shown) makes the two
differ: the card shows 88.9% while 150% is paid. A protected sheet lets nobody change a format; only an
edit of the file's parts does. Such a cell is reported (``input-masked``, an integrity finding: the return
is ``tampered``), with the format and the value it hides; the value is still read as typed.

The styles part is read once per distinct styles part (the reader's cache, by its bytes): returns of one
template share it, so an own return costs a dictionary lookup; the cells' styles only when the part holds
such a format. A conditional format can carry a number format too (``<dxfs>``): one that masks is
reported on the sheet, whichever cell it applies to. Returns in OpenDocument format are not checked here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..core.findings import Finding, finding
from ..core.text import Text
from .workbookxml import _CELL_XFS, _NUM_FMT, _XF  # the styles part's elements, as the percent styles are found
from .xmlscan import _attrs

__all__ = ["Masking", "masking_formats", "masks", "check_display"]

_DXFS = re.compile(r"<(?:\w+:)?dxfs\b[^>]*>(.*?)</(?:\w+:)?dxfs>", re.S)
_LITERAL = re.compile(r'"([^"]*)"|\\(.)')  # quoted text, an escaped character
_SKIP = re.compile(r"\[[^\]]*\]|_.|\*.")  # [colour]/[condition]/[$-locale], a space as wide as a character, a fill
_PLACES = re.compile(r"[0#?]|general|[ymdhse]|a/p|am/pm|@", re.I)  # something of the value is shown
_EQUALS = re.compile(r"\[=\s*-?[\d.]+\s*\]")  # a condition naming one value
_BOOLEAN = re.compile(r'^"([^"]+)";"\1";"([^"]+)"$')  # LibreOffice's boolean format: "TRUE";"TRUE";"FALSE"
_SCALED = re.compile(r"[0#?.],+(?![0#?])")  # thousands scaled away: 0, 0.0,,


@dataclass(frozen=True)
class Masking:
    """A styles part's masking formats: the cell styles using one (index → format code) and the conditional ones."""

    styles: dict[int, str] = field(default_factory=dict)
    conditional: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.styles or self.conditional)


NONE = Masking()


def _sections(code: str) -> list[str]:
    """The format's sections (positive; negative; zero; text), split where a ';' is not quoted or escaped."""
    out: list[str] = []
    cur: list[str] = []
    quoted = escaped = False
    for ch in code:
        if escaped:
            escaped = False
        elif ch == "\\" and not quoted:
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return out


def masks(code: str) -> bool:
    """A number format that shows a number as something other than it is: a section for numbers that shows
    none of the value (a constant, or nothing where a positive or negative number would show; a text for one
    value only, ``[=0]"未否决"``, says which value it is), a literal
    digit or percent sign, or thousands scaled away."""
    sections = _sections(code)
    for k, section in enumerate(sections[:3]):  # the fourth section is for text
        literals = "".join(a or b for a, b in _LITERAL.findall(section))
        if any(ch.isdigit() or ch == "%" for ch in literals):
            return True
        if _EQUALS.search(section):  # [=0]"未否决": a text for one value only says which value it is
            continue
        bare = _SKIP.sub("", _LITERAL.sub("", section))
        if not bare.strip():
            if k < 2 and (len(sections) > 1 or literals):  # ';;;', or a positive number shown as a constant text
                return True
            continue
        if not _PLACES.search(bare) or _SCALED.search(bare):
            return True
    return False


def masking_formats(xml: str) -> Masking:
    """The masking formats of a styles part (its text): which cell styles use one, and the conditional ones."""
    dxfs = _DXFS.search(xml)
    custom: dict[int, str] = {}
    conditional: list[str] = []
    for m in _NUM_FMT.finditer(xml):
        a = _attrs(m.group(1))
        code = a.get("formatCode", "")
        if not masks(code):
            continue
        if dxfs is not None and dxfs.start(1) <= m.start() < dxfs.end(1):
            conditional.append(code)
        elif a.get("numFmtId", "").isdigit():
            custom[int(a["numFmtId"])] = code
    styles: dict[int, str] = {}
    if custom:
        xfs = _CELL_XFS.search(xml)
        for k, m in enumerate(_XF.finditer(xfs.group(1) if xfs else "")):
            fmt = _attrs(m.group(1)).get("numFmtId", "0")
            if fmt.isdigit() and int(fmt) in custom:
                styles[k] = custom[int(fmt)]
    return Masking(styles, tuple(conditional)) if styles or conditional else NONE


def check_display(s: Any) -> list[Finding]:
    """The person's own input cells whose format masks what they hold (a step of :mod:`.person_read`)."""
    masked = getattr(s.cells_of, "masked_cells", None)
    if masked is None:
        return []
    keys = [(key, name) for key, name in s.plan.named_inputs if key not in s.others]
    shown = masked([s.cell_of(key) for key, _ in keys])
    if not shown:
        return []
    out = []
    for key, name in keys:
        ref = s.cell_of(key)
        code = shown.get(ref)
        if code is None:
            continue
        value = s.values.get(ref)
        if _BOOLEAN.match(code) and (isinstance(value, bool) or value in (0, 1)):
            continue  # TRUE typed in LibreOffice: it gives the cell its boolean format, which shows the value it holds
        out.append(finding("input-masked", **s.where, cell=ref, what=name, format=code, value=_value(s, key, value)))
    conditional = shown.get("")
    if conditional is not None:
        out.append(finding("input-masked", **s.where, cell="", what=Text("条件格式", "a conditional format"), format=conditional, value="—"))
    return out


def _value(s: Any, key: str, value: Any) -> str | Text:
    """The held value as the cell would show it issued: a percent indicator's actual as a percentage."""
    if value is None:
        return Text("(空)", "(blank)")
    kind, _, ind_id = key.partition(":")
    ind = next((i for i in s.spec.indicators if i.id == ind_id), None) if kind == "actual" else None
    if ind is not None and ind.is_percent and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value * 100:.10g}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
