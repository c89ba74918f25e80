"""An OpenDocument formula (``of:=IF(ISNUMBER([.K18]);[.K18]*[.F18];"")``) in the A1 notation Excel and
the generator write (``IF(ISNUMBER(K18),K18*F18,"")``), so a return re-saved as .ods is compared with the
engine's translation exactly as an .xlsx is (:func:`~.xmlscan.normalise_formula` then folds the rest).

Translated: the namespace (``of:``, ``oooc:``), references in brackets — ``[.K18]``, ``[.K18:.K20]``,
``[$Sheet.$A$1]``, ``[$'KPI 考核'.A1:.B2]``, whole columns and rows, ``[.#REF!]`` — the ``;`` between
arguments (``,`` in Excel) and an array constant's ``;``/``|`` (Excel's ``,``/``;``). Text in quotes is
kept exactly. A formula already in Excel's notation (``msoxl:=``) is taken as it is.
"""

from __future__ import annotations

import re

__all__ = ["a1_formula"]

_BARE = re.compile(r"[A-Za-z_\u0080-\uffff][\w.\u0080-\uffff]*")
_REF_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]{1,7}")
_BRACKET = re.compile(r"\[([^\]]*)\]")


def a1_formula(odf: str) -> str:
    """The formula in A1 notation, without its leading ``=``."""
    namespace, _, body = odf.partition(":=") if re.match(r"^[a-z]+:=", odf) else ("", "", odf.removeprefix("="))
    if namespace == "msoxl":
        return body
    parts = body.split('"')
    depth = 0  # inside an array constant {…}, across text in quotes
    for k in range(0, len(parts), 2):  # outside text in quotes ("" inside text splits into an empty part: still inside)
        parts[k], depth = _outside(parts[k], depth)
    return '"'.join(parts)


def _outside(text: str, depth: int) -> tuple[str, int]:
    out = []
    pos = 0
    for m in _BRACKET.finditer(text):
        translated, depth = _separators(text[pos : m.start()], depth)
        out += [translated, _reference(m.group(1))]
        pos = m.end()
    translated, depth = _separators(text[pos:], depth)
    out.append(translated)
    return "".join(out), depth


def _separators(text: str, depth: int) -> tuple[str, int]:
    """``;`` between arguments is ``,``; inside an array constant a column's ``;`` is ``,`` and a row's ``|`` is ``;``."""
    out = []
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        if ch == ";":
            out.append(",")
        elif ch == "|" and depth:
            out.append(";")
        else:
            out.append(ch)
    return "".join(out), depth


def _reference(inner: str) -> str:
    """``.K18`` → ``K18``; ``$'Sheet'.$A$1:.B2`` → ``Sheet!$A$1:B2``; a 3-D range keeps both sheets."""
    ends = _split_range(inner)
    parsed = [_end(e) for e in ends]
    sheets = [sheet for sheet, _ in parsed]
    if len(parsed) == 2 and (not sheets[1] or sheets[1] == sheets[0]):
        sheet = sheets[0]
        cells = f"{parsed[0][1]}:{parsed[1][1]}"
        return f"{_sheet(sheet)}!{cells}" if sheet else cells
    return ":".join(f"{_sheet(sheet)}!{cell}" if sheet else cell for sheet, cell in parsed)


def _split_range(inner: str) -> list[str]:
    """The ends of a reference, split at a ``:`` outside a quoted sheet name."""
    ends, quoted, start = [], False, 0
    for k, ch in enumerate(inner):
        if ch == "'":
            quoted = not quoted
        elif ch == ":" and not quoted:
            ends.append(inner[start:k])
            start = k + 1
    ends.append(inner[start:])
    return ends


def _end(text: str) -> tuple[str, str]:
    """(sheet name or "", cell) of one end of a reference: ``$'My sheet'.$A$1`` → (``My sheet``, ``$A$1``)."""
    text = text.strip()
    if text.startswith("$"):
        text = text[1:]
    if text.startswith("'"):
        close = 1
        while close < len(text):
            if text[close] == "'" and text[close + 1 : close + 2] == "'":
                close += 2
                continue
            if text[close] == "'":
                break
            close += 1
        name = text[1:close].replace("''", "'")
        return name, text[close + 1 :].lstrip(".")
    sheet, dot, cell = text.rpartition(".")
    return (sheet, cell) if dot else ("", text)


def _sheet(name: str) -> str:
    """A sheet name as Excel writes it in a reference: quoted only where it must be."""
    if _BARE.fullmatch(name) and not _REF_LIKE.fullmatch(name):
        return name
    return "'" + name.replace("'", "''") + "'"
