"""HR's own KPI tables ⇄ specs: ``import`` reads a table written the way HR writes it (Excel, WPS,
CSV) into a spec, stating every inference; ``export-spec`` writes a spec as a workbook HR edits
and imports back unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import TABLE_SUFFIXES, is_table
from ..core.findings import Finding, finding
from ..spec.model import Spec
from .export import export_spec
from .importer import import_specs
from .review import Inference, readings
from .yamlout import spec_yaml

__all__ = ["ImportedSpec", "Inference", "import_tables", "export_spec", "is_table", "TABLE_SUFFIXES"]


@dataclass(frozen=True)
class ImportedSpec:
    """One role read from a table: the spec, its YAML (inferences as comments), where it came from."""

    spec: Spec
    yaml: str
    source: str  # "file (sheet)"
    notes: int = 0  # how many inferences the YAML states
    warnings: list[Finding] = field(default_factory=list)
    review: list[Inference] = field(default_factory=list)  # what was inferred, cell by cell: printed by import, a sheet of the spec workbook


def import_tables(paths: Sequence[str | Path]) -> tuple[list[ImportedSpec], list[Finding]]:
    """Every role in the tables, and every finding (errors, warnings) placed at its cell.

    A role with errors is left out of the first list; nothing is written here.
    """
    imported: list[ImportedSpec] = []
    problems: list[Finding] = []
    seen: dict[str, str] = {}
    for path in paths:
        results, found = import_specs(path)
        problems += found
        for spec, role in results:
            if spec is None:
                continue
            source = f"{Path(path).name} ({role.sheet})"
            if spec.id in seen:
                problems.append(finding("duplicate-spec", file=str(path), sheet=role.sheet, field="id", spec_id=spec.id, other=seen[spec.id]))
                continue
            seen[spec.id] = source
            text = spec_yaml(role.data, role.notes, source, role.places, role.sheet)
            imported.append(ImportedSpec(spec, text, source, sum(len(v) for v in role.notes.values()),
                                         [f for f in role.findings if f.severity == "warning"], readings(role)))
    return imported, problems
