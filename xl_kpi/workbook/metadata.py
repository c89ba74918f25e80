"""The hidden metadata sheet: what consolidation needs to trust nothing else in the file.

Rows of text: format and generator, each spec used (id, version, hash, canonical JSON) and
each person's sheet with its cell map. Very hidden and protected; its content is checked
against the spec on return, so editing it is detected, not prevented.
"""

from __future__ import annotations

import json
from typing import Any

from xlsxwriter.worksheet import Worksheet

from .. import __version__
from ..cellmap import FORMAT_VERSION
from ..model import Spec
from ..roster import Person

CHUNK = 30000  # a cell holds at most 32,767 characters
PEOPLE_HEADER = ("sheet", "employee_id", "name", "department", "template", "version", "spec_hash", "period", "cellmap",
                 "targets")


def write_metadata(ws: Worksheet, layout: str, specs: list[Spec], people: list[tuple[str, Person, Spec, dict[str, Any]]],
                   password: str = "", formulas: str = "native", vba_sha256: str = "",
                   targets: Any = None) -> None:
    rows: list[list[str]] = [
        ["xl-kpi metadata — generated, do not edit / 自动生成,请勿修改"],
        ["format", "xl-kpi"],
        ["format_version", str(FORMAT_VERSION)],
        ["generator", f"xl-kpi {__version__}"],
        ["layout", layout],
        ["formulas", formulas],
        ["vba_sha256", vba_sha256],
        ["specs", str(len(specs))],
    ]
    for spec in specs:
        blob = spec.canonical_json
        rows.append(["spec", spec.id, spec.version, spec.hash, *[blob[i:i + CHUNK] for i in range(0, len(blob), CHUNK)]])
    rows.append(["people", str(len(people))])
    rows.append(list(PEOPLE_HEADER))
    for sheet, person, spec, cells in people:
        own = dict((targets or {}).get(person.employee_id) or {})
        rows.append([sheet, person.employee_id, person.name, person.department, spec.id, spec.version, spec.hash,
                     person.period or spec.period, json.dumps(cells, ensure_ascii=False, sort_keys=True),
                     json.dumps(own, sort_keys=True) if own else ""])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    ws.very_hidden()
    ws.protect(password)
