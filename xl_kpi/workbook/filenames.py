"""The names of the files a build writes: valid wherever HR copies them, short enough, and unique.

A roster's names become folder and file names. Characters no file system (or no zip HR sends on)
takes are replaced, control and bidi characters dropped (U+202E would show ``E1_张三.xlsx`` as
something else), a name is cut to :data:`MAX_NAME_BYTES` of UTF-8 (a file name holds 255 bytes,
and the temporary name written first needs room too), and Windows' reserved device names are
avoided. Names are then made unique across the whole build — compared as Windows and macOS compare
them, without case and in one Unicode normal form — so ``销售/一部``, ``销售_一部`` and ``销售:一部``,
or ``E5:07`` and ``E5_07``, get numbered names (``~2``) instead of overwriting each other; each
numbered or shortened name is reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..core.findings import Finding, finding
from ..core.text import Text
from ..core.visible import name_part
from ..spec.model import Person

__all__ = ["safe_name", "FilePlan", "plan_files", "plan_rating_files", "MAX_NAME_BYTES"]

MAX_NAME_BYTES = 120  # of one folder or file name before its suffix: 40 Chinese characters, with room for the temporary name
_BAD_FILE_CHARS = re.compile(r'[<>:"/\\|?*]')
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))})
DEPARTMENT, PERSON, RATER = Text("部门", "department"), Text("员工", "person"), Text("评分人", "rater")


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` bytes of UTF-8, never inside a character."""
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", "ignore")


def _clean(text: str, limit: int) -> tuple[str, bool]:
    """A folder or file name (without its suffix) from a name, and whether it had to be shortened."""
    cleaned = _BAD_FILE_CHARS.sub("_", name_part(text)).strip(" .") or "_"
    cut = _cut(cleaned, limit).rstrip(" .") or "_"
    return (cut + "_" if cut.split(".")[0].upper() in _RESERVED else cut), cut != cleaned


def safe_name(text: str, limit: int = MAX_NAME_BYTES) -> str:
    """A folder or file name (without its suffix) from a person's or department's name."""
    return _clean(text, limit)[0]


def _key(name: str) -> str:
    """How a file system that ignores case and normal forms (Windows, macOS) tells names apart."""
    return unicodedata.normalize("NFC", name).casefold()


class _Taken:
    """Names given so far; a name another original already took gets the next free ``~n``."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # key → the original it was given for

    def give(self, stem: str, suffix: str, original: str) -> tuple[str, str | None]:
        """A unique name for ``original`` and, when it had to be numbered, the original that had the name."""
        name, n, other = stem + suffix, 2, None
        while _key(name) in self.names and self.names[_key(name)] != original:
            other = other or self.names[_key(name)]
            tail = f"~{n}"
            name = _cut(stem, MAX_NAME_BYTES - len(tail)).rstrip(" .") + tail + suffix
            n += 1
        self.names[_key(name)] = original
        return name, other


@dataclass(frozen=True)
class FilePlan:
    """Where each workbook of a build goes (paths relative to the output folder), and what was renamed."""

    paths: tuple[PurePosixPath, ...]  # one per person (employee layout) or per department, in build order
    findings: tuple[Finding, ...]


def _noted(notes: list[Finding], what: Text, original: str, stem: str, name: str, other: str | None, short: bool) -> None:
    if other is not None:
        notes.append(finding("name-collision", what=what, original=original, other=other, name=stem, written=name))
    elif short:
        notes.append(finding("name-shortened", what=what, original=original, written=name))


def plan_files(layout: str, people: Sequence[Person], departments: Iterable[str], suffix: str) -> FilePlan:
    """The paths of a build's workbooks, every one unique: ``employee`` layout — a folder per
    department, a file per person (file names unique across the build, so the register's file
    names name one file each); ``department`` layout — a file per department."""
    notes: list[Finding] = []
    files = _Taken()
    if layout == "department":
        paths = []
        for department in departments:
            stem, short = _clean(department, MAX_NAME_BYTES)
            name, other = files.give(stem, suffix, department)
            _noted(notes, DEPARTMENT, department, stem, name, other, short)
            paths.append(PurePosixPath(name))
        return FilePlan(tuple(paths), tuple(notes))
    folders, folder_of = _Taken(), {}
    out = []
    for person in people:
        if person.department not in folder_of:
            stem, short = _clean(person.department, MAX_NAME_BYTES)
            folder_of[person.department], other = folders.give(stem, "", person.department)
            _noted(notes, DEPARTMENT, person.department, stem, folder_of[person.department], other, short)
        label = f"{person.employee_id}_{person.name}"
        (eid, short_id), (name_, short_name) = _clean(person.employee_id, MAX_NAME_BYTES // 2), _clean(person.name, MAX_NAME_BYTES // 2)
        stem = f"{eid}_{name_}"
        name, other = files.give(stem, suffix, label)
        _noted(notes, PERSON, label, stem, name, other, short_id or short_name)
        out.append(PurePosixPath(folder_of[person.department], name))
    return FilePlan(tuple(out), tuple(notes))


def plan_rating_files(books: Sequence[tuple[str, str, str]], folder: str, taken_folders: Iterable[PurePosixPath],
                      suffix: str) -> FilePlan:
    """The paths of the rating workbooks: one folder (``folder``, numbered if a department has that name)
    holding a file per rater and role, ``<role word>_<rater id>_<name>`` (the id alone when it is the
    name). ``books`` are (role word, rater id, rater name)."""
    notes: list[Finding] = []
    folders = _Taken()
    for path in taken_folders:
        if path.parts[:-1]:
            folders.give(path.parts[0], "", path.parts[0])
    stem, _ = _clean(folder, MAX_NAME_BYTES)
    home, _ = folders.give(stem, "", "\0ratings")
    files = _Taken()
    out = []
    for role, rater_id, name in books:
        label = f"{role}_{rater_id}" if rater_id == name else f"{role}_{rater_id}_{name}"
        cleaned, short = _clean(label, MAX_NAME_BYTES)
        written, other = files.give(cleaned, suffix, label)
        _noted(notes, RATER, label, cleaned, written, other, short)
        out.append(PurePosixPath(home, written))
    return FilePlan(tuple(out), tuple(notes))
