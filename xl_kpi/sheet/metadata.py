"""The hidden metadata sheet's format: what consolidation needs to trust nothing else in a file.

Both halves live here: :func:`metadata_rows` gives the rows the workbook writer stores (format
and generator, each spec used with its hash and canonical JSON, each person's sheet with its
cell map), and :class:`Metadata` parses rows read back from a returned file. The sheet is
very hidden and protected; its content is checked against the spec on return, so editing it
is detected, not prevented.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..core.protection import Protection
from ..spec.model import Person, Spec
from .person import FORMAT_VERSION

__all__ = ["metadata_rows", "Metadata", "PEOPLE_HEADER", "CHUNK", "signature"]

CHUNK = 30000  # a cell holds at most 32,767 characters
PEOPLE_HEADER = ("sheet", "employee_id", "name", "department", "template", "version", "spec_hash", "period", "cellmap",
                 "targets", "bonus_base", "protection", "peers")
PersonSheet = tuple[str, Person, Spec, Mapping[str, Any], Protection]  # sheet name, person, template, cell map, protection


def metadata_rows(layout: str, specs: Sequence[Spec], people: Iterable[PersonSheet], generator: str, formulas: str = "native",
                  vba_sha256: str = "", targets: Mapping[str, Mapping[str, float]] | None = None,
                  sign_key: bytes | None = None, extra: Sequence[Sequence[str]] = (),
                  peers: Mapping[str, int] | None = None) -> list[list[str]]:
    """The metadata sheet as rows of text, one list per row: with the workbook's identifier, and
    signed when HR gives a key (:func:`signature`). ``extra`` are key-value rows of the workbook
    (``ratings``, a rating workbook's ``rater_id`` …); ``peers`` how many peers rate each person whose
    sheet carries their ratings (single-file mode with a peer rater)."""
    rows: list[list[str]] = [
        ["xl-kpi metadata — generated, do not edit / 自动生成,请勿修改"],
        ["format", "xl-kpi"],
        ["format_version", str(FORMAT_VERSION)],
        ["generator", generator],
        ["layout", layout],
        ["formulas", formulas],
        ["vba_sha256", vba_sha256],
        *([str(v) for v in row] for row in extra),
        ["specs", str(len(specs))],
    ]
    for spec in specs:
        blob = spec.canonical_json
        rows.append(["spec", spec.id, spec.version, spec.hash, *[blob[i:i + CHUNK] for i in range(0, len(blob), CHUNK)]])
    people = list(people)
    rows.append(["people", str(len(people))])
    rows.append(list(PEOPLE_HEADER))
    for sheet, person, spec, cells, protection in people:
        own = dict((targets or {}).get(person.employee_id) or {})
        cellmap = json.dumps(cells, ensure_ascii=False, sort_keys=True)
        rows.append([sheet, person.employee_id, person.name, person.department, spec.id, spec.version, spec.hash,
                     person.period or spec.period, cellmap[:CHUNK],
                     json.dumps(own, sort_keys=True) if own else "", "" if person.bonus_base is None else repr(person.bonus_base),
                     protection.to_json(), str((peers or {}).get(person.employee_id) or ""), *_continued(cellmap)])
    rows.insert(_ID_ROW, ["workbook_id", uuid.uuid4().hex])  # this copy as issued: a rebuild is another workbook
    if sign_key:
        rows.insert(SIGNATURE_ROW, ["signature", signature(rows, sign_key)])
    return rows


_ID_ROW = 7  # after vba_sha256: before the specs and people, where Metadata reads key-value rows
SIGNATURE_ROW = _ID_ROW + 1  # the one row the signature leaves out: this place, and only this place


def _continued(cellmap: str) -> list[str]:
    """The rest of a cell map longer than one cell holds (~230 indicators): in the cells after the
    people table's last column, which :class:`Metadata` joins back."""
    return [cellmap[i : i + CHUNK] for i in range(CHUNK, len(cellmap), CHUNK)]


def _rows(rows: Iterable[Sequence[Any]]) -> list[list[str]]:
    """The rows as text, each without trailing blanks (a blank cell is not stored, so it is not read back)."""
    out = []
    for row in rows:
        cells = ["" if v is None else str(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    return out


def _canonical(rows: Iterable[Sequence[Any]]) -> bytes:
    """Every row that is read, in order, but the signature's own place: a row anywhere else whose first
    cell says ``signature`` is signed like any other (and read like any other)."""
    out = [cells for k, cells in enumerate(_rows(rows)) if cells and not (k == SIGNATURE_ROW and cells[0] == "signature")]
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(rows: Iterable[Sequence[Any]], key: bytes) -> str:
    """HMAC-SHA256 over every metadata row that is read but the signature's own, with a key only HR holds."""
    return hmac.new(key, _canonical(rows), hashlib.sha256).hexdigest()


class Metadata:
    """The metadata sheet of a returned file, parsed: ``values``, ``specs`` and ``people``.

    Raises:
        ValueError: the rows are not xl-kpi metadata.
    """

    def signed_by(self, key: bytes) -> bool:
        """Whether the signature in its place is HR's (made with ``key``) over exactly every other row read."""
        rows = _rows(self.rows)
        found = rows[SIGNATURE_ROW] if len(rows) > SIGNATURE_ROW else []
        recorded = found[1] if len(found) == 2 and found[0] == "signature" else ""
        return bool(recorded) and hmac.compare_digest(recorded, signature(self.rows, key))

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        self.rows = rows  # as read, for the signature check
        self.values: dict[str, str] = {}
        self.specs: list[tuple[str, str, str, str]] = []  # (id, version, hash, canonical JSON)
        self.people: list[dict[str, str]] = []
        header: list[str] | None = None
        for row in rows:
            cells = ["" if v is None else str(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()
            if not cells:
                continue
            if header is not None:
                person = dict(zip(header, cells + [""] * (len(header) - len(cells))))
                if len(cells) > len(header) and "cellmap" in person:  # a long cell map continues past the last column
                    person["cellmap"] += "".join(cells[len(header):])
                self.people.append(person)
            elif cells[0] == "spec" and len(cells) >= 5:
                self.specs.append((cells[1], cells[2], cells[3], "".join(cells[4:])))
            elif cells[0] == "sheet" and "cellmap" in cells:
                header = cells
            elif len(cells) >= 2:
                self.values[cells[0]] = cells[1]
        if self.values.get("format") != "xl-kpi":
            raise ValueError("format is not xl-kpi")


def person_targets(blob: str) -> dict[str, float] | None:
    """Per-person targets recorded for a sheet (``{indicator_id: target}``), or None."""
    if not blob:
        return None
    data = json.loads(blob)
    return {str(k): float(v) for k, v in data.items()}
