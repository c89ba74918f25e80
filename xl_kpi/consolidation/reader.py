"""Read one returned workbook: identify it, check its integrity, recompute every score.

Nothing in the file is trusted: the metadata is checked against the templates; each person's
sheet is found by its name or, renamed, by the employee id its defined name holds; cells are
located through the sheet's defined names (rows inserted, rows sorted: :mod:`.locate`); the
values and formulas of just those cells are read from the sheet XML in one pass
(:mod:`.sheetxml` — a declared dimension or a far cell never decides what is allocated); and
every score, total and grade is recomputed with the engine. Everything wrong becomes a
:class:`Finding`.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..advice.review import review_findings
from ..core.findings import Finding, finding
from ..core.periods import period_code
from ..core.protection import Protection
from ..core.text import Text
from ..methods.grammar import number_text, value_text
from ..scoring.engine import CardInputs, CardResult, score_card
from ..scoring.inputs import read_card, sheet_differences
from ..scoring.normalize import AMBIGUOUS_FROM
from ..sheet.formulas import expected_formulas, veto_marks
from ..sheet.metadata import Metadata, person_targets
from ..sheet.person import FORMAT_VERSION, META_SHEET, PersonLayout, defined_names
from ..sheet.register import Issued, Register
from ..spec.canonical import spec_from_canonical
from ..spec.model import Indicator, Spec
from .brought import brought_in
from .inputs import Source, read_bytes
from .locate import locate, name_cells, same_value
from .record import FileResult, PersonRecord
from .safety import Limits, Package, Rejected, open_package
from .sheetxml import Book, SharedStrings, SheetCells, SheetEntry, percent_styles, read_book, read_grid, shared_strings
from .xmlscan import normalise_formula

__all__ = ["PersonRecord", "FileResult", "read_source"]

RuleCheck = tuple[str, str, Any, "str | Text", "Callable[[Any], str]"]  # (issue code, cell, expected value, indicator name, how it reads)
INTEGRITY_CODES = frozenset({"changed-target", "changed-weight", "changed-threshold", "changed-rule", "formula-changed",
                             "formula-deleted", "spec-changed", "employee-id-changed", "name-repointed", "protection-changed",
                             "not-issued", "issued-mismatch", "signature-invalid"})
META_ROWS, META_COLS = 5_000, 40  # the metadata read: a department of thousands fits; nothing beyond is read


@functools.lru_cache(maxsize=256)
def _embedded_spec(blob: str) -> Spec:
    """The spec stored in a workbook; returns of one template share it, so parse it once per process."""
    return spec_from_canonical(json.loads(blob))


@dataclass(frozen=True)
class _Plan:
    """What to read and check on one person's sheet for a spec in a formula mode; built once per process."""

    layout: PersonLayout
    cells: dict[str, Any]
    cellmap_json: str  # the cell map exactly as the generator records it (fast equality before parsing)
    formulas: dict[str, str]  # cell → expected formula, normalised
    rule_checks: list[RuleCheck]
    refs: tuple[str, ...]  # every cell whose value is read
    wanted: tuple[str, ...]  # those, the formula cells and the indicator names: one read of a return as laid out
    names: dict[str, str]  # the defined names and their cells as laid out
    rules: dict[str, Any]  # rule cell as laid out → the value it must hold


_PLANS: dict[tuple[str, str, int], _Plan] = {}


def _plan(spec: Spec, mode: str, format_version: int = FORMAT_VERSION) -> _Plan:
    """The plan for a spec, keyed by its hash (cached; hashing the frozen spec itself walks every field)."""
    key = (spec.hash, mode, format_version)
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) >= 256:
            _PLANS.clear()
        plan = _PLANS[key] = _build_plan(spec, mode, format_version)
    return plan


def _build_plan(spec: Spec, mode: str, format_version: int) -> _Plan:
    layout = PersonLayout.for_spec(spec, mode)
    cells = layout.cell_map(spec)
    checks = _rule_checks(spec, cells)
    refs = (cells["info"]["employee_id"], *cells["actual"].values(), *cells["score"].values(), cells["total"], cells["grade"],
            cells["comment"], *cells["review"].values(), *(ref for _, ref, _, _, _ in checks), *_extra_refs(cells))
    refs = tuple(dict.fromkeys(refs))
    formulas = {ref: normalise_formula(f) for ref, f in expected_formulas(spec, layout, mode, format_version).items()}
    wanted = tuple(dict.fromkeys([*refs, *formulas, *name_cells(spec, layout)]))
    return _Plan(layout, cells, json.dumps(cells, ensure_ascii=False, sort_keys=True), formulas, checks, refs, wanted,
                 defined_names(spec, cells), {ref: want for _, ref, want, _, _ in checks})


def _resolve_spec(file: str, spec_id: str, version: str, recorded_hash: str, blob: str, templates: dict[str, Spec] | None,
                  issues: list[Finding]) -> tuple[Spec | None, Spec | None]:
    """(the rules to score with, the rules the file carries, verified against their own hash). With HR's
    templates, HR's template always: rules a return carries are never the ones it is scored with — a
    return claiming another version or other rules is reported. Without them, the file's own (on trust)."""
    try:
        embedded: Spec | None = _embedded_spec(blob)
    except (ValueError, KeyError, TypeError) as exc:
        issues.append(finding("metadata-invalid", file=file, detail=f"spec {spec_id}: {exc}"))
        embedded = None
    if embedded is not None and embedded.hash != recorded_hash:
        issues.append(finding("metadata-invalid", file=file, detail=f"spec {spec_id}: the stored rules do not match their hash"))
        embedded = None
    if templates is None:
        return embedded, embedded
    template = templates.get(spec_id)
    if template is None:
        issues.append(finding("unknown-template", file=file, template=spec_id))
        return None, embedded
    if template.hash != recorded_hash:
        if template.version != version:
            issues.append(finding("template-version", file=file, template=spec_id, found=version, expected=template.version))
        else:
            issues.append(finding("spec-changed", file=file, template=spec_id))
    return template, embedded


@functools.lru_cache(maxsize=256)
def _registered_spec(canonical: str) -> Spec:
    return spec_from_canonical(json.loads(canonical))


def _issued_spec(register: Register, issued: Issued, templates: dict[str, Spec] | None, embedded: Spec | None) -> Spec | None:
    """The rules a person was issued, as HR recorded them: the register's copy, else HR's template or the
    file's own copy when its hash is the one HR recorded (SHA-256: the same rules, byte for byte)."""
    canonical = register.specs.get(issued.spec_hash)
    if canonical is not None:
        try:
            return _registered_spec(canonical)
        except (ValueError, KeyError, TypeError):
            pass
    for candidate in ((templates or {}).get(issued.template), embedded):
        if candidate is not None and candidate.hash == issued.spec_hash:
            return candidate
    return None


def _extra_refs(cells: dict[str, Any]) -> list[str]:
    """The cells a card with raters, sections, adjustments, veto or coefficients adds: inputs and results."""
    refs: list[str] = []
    for by_rater in cells.get("rating", {}).values():
        refs += by_rater.values()
    refs += cells.get("section", {}).values()
    refs += [cells[k] for k in ("weighted", "veto_count", "coefficient", "bonus_base", "pay") if k in cells]
    if "adjustment" in cells:
        refs += [*cells["adjustment"]["count"].values(), cells["adjustment"]["total"]]
    refs += cells.get("veto", {}).values()
    return refs


def _rule_checks(spec: Spec, cells: dict[str, Any]) -> list[RuleCheck]:
    """Every cell whose value is part of the scoring rules: targets, weights, parameters, and the
    weights, points, bounds and coefficients a card with sections, raters or adjustments adds —
    each with how the sheet shows its value (110%, not 1.1), for the message."""
    number, percent = _shown(None), _shown("%")
    checks: list[RuleCheck] = []
    for section in spec.sections:
        checks.append(("changed-rule", cells["section_weight"][section.id], section.weight, Text(f"{section.name} 权重", f"{section.name} weight"), percent))
    for rater in spec.raters:
        checks.append(("changed-rule", cells["rater_weight"][rater.id], rater.weight, Text(f"{rater.name} 权重", f"{rater.name} weight"), percent))
    if spec.adjustments:
        adj = cells["adjustment"]
        for item in spec.adjustments.items:
            checks.append(("changed-rule", adj["points"][item.id], item.points, Text(f"{item.name} 分值", f"{item.name} points"), number))
            checks.append(("changed-rule", adj["max"][item.id], item.max, Text(f"{item.name} 上限", f"{item.name} cap"), number))
        checks.append(("changed-rule", adj["min"], spec.adjustments.min, Text("加减分下限", "adjustment minimum"), number))
        checks.append(("changed-rule", adj["max_total"], spec.adjustments.max, Text("加减分上限", "adjustment maximum"), number))
    for g, cell in zip(spec.grades, cells.get("grade_coefficient", [])):
        checks.append(("changed-rule", cell, g.coefficient, Text(f"{g.label} 系数", f"{g.label} coefficient"), number))
    for g, cell in zip(spec.grades, cells["grade_min"]):
        checks.append(("changed-rule", cell, g.min, Text(f"{g.label} 最低分", f"{g.label} minimum"), number))
    for ind in spec.indicators:
        value = _shown(ind)
        checks.append(("changed-target", cells["target"][ind.id], ind.target, ind.name, value))
        checks.append(("changed-weight", cells["weight"][ind.id], ind.weight, ind.name, percent))
        for p, param in enumerate(ind.method.params(ind)):
            checks.append(("changed-threshold", cells["params"][ind.id][p], param.value, ind.name, number))
            if param.key_is_rule:  # thresholds and levels; labels such as 下限 are not rules
                checks.append(("changed-threshold", cells["param_keys"][ind.id][p], param.key, ind.name,
                               percent if ind.relative else value))
    return checks


def _shown(how: Any) -> Callable[[Any], str]:
    """How a rule's value reads on the sheet: an indicator's own notation (110%, 12个), a percentage, or a number."""
    def show(value: Any) -> str:
        if value is None or value == "":
            return "(空)"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return repr(value) if isinstance(value, str) else str(value)
        if how == "%":
            return value_text(float(value), True)
        if how is not None:
            return str(how.show(float(value)))
        return number_text(float(value))
    return show


def _check_sheet_rules(file: str, sheet: str, eid: str, checks: list[RuleCheck], values: dict[str, Any],
                       issues: list[Finding]) -> None:
    for code, ref, expected, name, show in checks:
        found = values[ref]
        if not same_value(found, expected):
            issues.append(finding(code, file=file, sheet=sheet, employee_id=eid, cell=ref, indicator=name, what=name,
                                  found=show(found), expected=show(expected)))


def _check_formulas(file: str, sheet: str, eid: str, expected: dict[str, str], formulas: dict[str, str | None],
                    issues: list[Finding]) -> None:
    for ref, want in expected.items():
        got = formulas.get(ref)
        if got is None:
            issues.append(finding("formula-deleted", file=file, sheet=sheet, employee_id=eid, cell=ref))
        elif _normalised(got) != want:
            issues.append(finding("formula-changed", file=file, sheet=sheet, employee_id=eid, cell=ref))


_normalised = functools.lru_cache(maxsize=4096)(normalise_formula)  # returns of a template carry the same formulas

def _typed_inputs(spec: Spec, cells: dict[str, Any], values: dict[str, Any]) -> CardInputs:
    """Every input of the card as typed in the sheet (read as :mod:`~xl_kpi.scoring.inputs` reads it next)."""
    actuals = {ind.id: values[cells["actual"][ind.id]] for ind in spec.indicators if not ind.rated}
    ratings = {ind.id: {r: values[cells["rating"][ind.id][r]] for r in ind.raters} for ind in spec.indicators if ind.rated}
    counts = {item.id: values[cells["adjustment"]["count"][item.id]] for item in spec.adjustments.items} if spec.adjustments else {}
    marks = {v.id: values[cells["veto"][v.id]] for v in spec.veto}
    return CardInputs(actuals, ratings, counts, marks)


def _input_cells(cells: dict[str, Any], where: dict[str, str]) -> Callable[[str], dict[str, str]]:
    """Each input's key (``actual:<id>``, ``rating:<id>:<rater>``, ``adj:<item>``, ``veto:<item>``) → its cell, with ``where``."""
    def locate_input(key: str) -> dict[str, str]:
        kind, _, rest = key.partition(":")
        if kind == "actual":
            ref = cells["actual"][rest]
        elif kind == "rating":
            ind, _, rater = rest.partition(":")
            ref = cells["rating"][ind][rater]
        elif kind == "adj":
            ref = cells["adjustment"]["count"][rest]
        else:
            ref = cells["veto"][rest]
        return {**where, "cell": ref}
    return locate_input


def _in_percent_cells(spec: Spec, typed: CardInputs, locate_input: Callable[[str], dict[str, str]], sheet_cells: SheetCells,
                      percent: Callable[[], frozenset[int]]) -> frozenset[str]:
    """The percent indicators' inputs holding a number that reads otherwise as a percentage (above
    200%) and typed in a cell formatted as one: read as typed there (300% stays 300%). Rare, so the
    cells' styles are looked up only then."""
    keys = []
    for ind in spec.indicators:
        if not ind.is_percent:
            continue
        for key in _keys(ind):
            raw = (typed.ratings.get(ind.id) or {}).get(key.rsplit(":", 1)[-1]) if ind.rated else typed.actuals.get(ind.id)
            if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw > AMBIGUOUS_FROM:
                keys.append(key)
    if not keys:
        return frozenset()
    styles = sheet_cells.styles(locate_input(key)["cell"] for key in keys)
    formats = percent()
    return frozenset(key for key in keys if styles[locate_input(key)["cell"]] in formats)


def _keys(ind: Indicator) -> list[str]:
    return [f"rating:{ind.id}:{r}" for r in ind.raters] if ind.rated else [f"actual:{ind.id}"]


def _report_adjustments(spec: Spec, counts: dict[str, Any], result: CardResult, where: dict[str, str],
                        issues: list[Finding]) -> None:
    """Any adjustment (info, with what made it), and every bound that cut it (a warning HR should see)."""
    if not spec.adjustments or result.adjustment is None:
        return
    parts = []
    for item in spec.adjustments.items:
        count = counts.get(item.id) or 0.0
        if count:
            parts.append(f"{item.name}×{count:g}")
            uncapped = count * item.points
            if uncapped != result.adjustment_items[item.id]:
                issues.append(finding("adjustment-capped", **where, what=item.name, applied=f"{result.adjustment_items[item.id]:+g}",
                                      raw=f"{uncapped:+g}"))
    block = sum(result.adjustment_items.values())
    if block != result.adjustment:
        issues.append(finding("adjustment-capped", **where, what=Text("加减分合计", "the adjustment total"), applied=f"{result.adjustment:+g}",
                              raw=f"{block:+g}"))
    if parts:
        issues.append(finding("adjustment-applied", **where, adjustment=f"{result.adjustment:+g}", detail="、".join(parts)))


def _cached_results(cells: dict[str, Any], result: CardResult, grade: str | None) -> list[tuple[str, Any]]:
    """The result cells whose cached values are compared with the recomputation."""
    out: list[tuple[str, Any]] = [(cells["total"], result.total), (cells["grade"], grade)]
    out += [(cell, result.sections.get(sid)) for sid, cell in cells.get("section", {}).items()]
    if "weighted" in cells:
        out.append((cells["weighted"], result.weighted))
    if "adjustment" in cells:
        out.append((cells["adjustment"]["total"], result.adjustment))
    if "coefficient" in cells:
        out += [(cells["coefficient"], result.coefficient), (cells["pay"], result.pay)]
    return out


def _format_version(text: str) -> int:
    """The workbook format a return was written in (1 when unreadable: the formulas of the first format
    are then expected, and any other formula is reported as changed)."""
    return int(text) if text.isdigit() and 1 <= int(text) <= FORMAT_VERSION else 1


def _number_or_none(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _fmt(value: Any) -> str:
    return "(空)" if value is None else (f"{value:g}" if isinstance(value, float) else repr(value))


LATER_CELLS = frozenset({"grade_rank", "signoff"})  # cells that joined the layout after 0.1: older returns lack them


def _same_layout(recorded: Any, cells: dict[str, Any]) -> bool:
    """The recorded cell map is the template's, as this version or an earlier one wrote it."""
    return (isinstance(recorded, dict) and set(cells) - set(recorded) <= LATER_CELLS
            and recorded == {k: v for k, v in cells.items() if k in recorded})


def _read_person(file: str, row: dict[str, str], spec: Spec, sheet_cells: SheetCells, entry: SheetEntry, book: Book,
                 issues: list[Finding], mtime: float, mode: str, format_version: int,
                 percent: Callable[[], frozenset[int]], pay_base: float | None = None, workbook_id: str = "") -> PersonRecord:
    sheet, eid = entry.name, row["employee_id"]
    plan = _plan(spec, mode, format_version)
    cells = plan.cells
    where = {"file": file, "sheet": sheet, "employee_id": eid}
    if row.get("cellmap", "") != plan.cellmap_json and not _same_layout(_json_or_none(row.get("cellmap", "")), cells):
        issues.append(finding("metadata-invalid", **where,
                              detail=Text("单元格映射与模板的版式不符,已按模板的版式读取", "the cell map does not match the template's layout; cells read from the template's layout")))
    read = sheet_cells.cells(plan.wanted)  # as laid out: what almost every return needs, in one pass

    def values_of(wanted: list[str]) -> dict[str, Any]:
        missing = [ref for ref in wanted if ref not in read]
        if missing:
            read.update(sheet_cells.cells(missing))
        return {ref: (None if read[ref][0] == "" else read[ref][0]) for ref in wanted}

    placement, moves = locate(spec, plan.layout, cells, book.local_names(entry.index), values_of, where, plan.names,
                                 plan.rules)
    issues += moves
    formulas, checks = plan.formulas, plan.rule_checks
    if placement.moved:
        cells = placement.mapped(cells)
        formulas = {placement.cell(ref): normalise_formula(placement.formula(ref, text)) for ref, text in plan.formulas.items()}
        checks = [(code, placement.cell(ref), want, name, show) for code, ref, want, name, show in checks]
        read = sheet_cells.cells([*(placement.cell(ref) for ref in plan.refs), *formulas])
    values = {ref: (None if value == "" else value) for ref, (value, _) in read.items()}
    on_sheet = values[cells["info"]["employee_id"]]
    if on_sheet is not None and str(on_sheet).strip() != eid:
        issues.append(finding("employee-id-changed", **where, cell=cells["info"]["employee_id"], found=on_sheet, expected=eid))
    _check_sheet_rules(file, sheet, eid, checks, values, issues)
    _check_formulas(file, sheet, eid, formulas, {ref: read[ref][1] for ref in formulas}, issues)

    typed = _typed_inputs(spec, cells, values)
    locate_input = _input_cells(cells, where)
    reading = read_card(spec, typed, locate_input, percent_cells=_in_percent_cells(spec, typed, locate_input, sheet_cells, percent))
    issues += reading.findings
    invalid = reading.unusable
    base = _number_or_none(row.get("bonus_base", ""))  # as issued
    if "bonus_base" in cells and not same_value(values[cells["bonus_base"]], base):
        issues.append(finding("changed-rule", **where, cell=cells["bonus_base"], what=Text("绩效奖金基数", "the bonus base"),
                              found=_fmt(values[cells["bonus_base"]]), expected=_fmt(base)))
    result = score_card(spec, dataclasses.replace(reading.inputs, bonus_base=pay_base))
    counts = dict(reading.inputs.adjustments)
    _report_adjustments(spec, counts, result, where, issues)
    if result.vetoed:
        issues.append(finding("veto-applied", **where, items="、".join(v.name for v in spec.veto if v.id in result.vetoed)))
    differences = sheet_differences(spec, typed, reading.inputs, locate_input, veto_marks(format_version))
    issues += differences

    # An input the sheet reads otherwise, or one refused, explains its score's cached value (both are reported already);
    # one that is not an indicator's (a count, a mark) explains every result after it.
    actuals, raw, ratings_raw = dict(reading.inputs.actuals), dict(typed.actuals), {k: dict(v) for k, v in typed.ratings.items()}
    differing = {f.cell for f in differences} | {f.cell for f in reading.findings if f.severity == "error"}
    explained = {ind.id for ind in spec.indicators
                 if any(locate_input(key)["cell"] in differing for key in _keys(ind))}
    others = [f"adj:{i.id}" for i in (spec.adjustments.items if spec.adjustments else ())] + [f"veto:{v.id}" for v in spec.veto]
    if any(locate_input(key)["cell"] in differing for key in others):
        explained.add("*")  # not an indicator's score: every result shown after it
    grade = result.grade.label if result.grade else None
    results = [(cells["score"][ind.id], result.scores[ind.id]) for ind in spec.indicators] + _cached_results(cells, result, grade)
    if any(want is not None for _, want in results) and all(values[ref] is None for ref, _ in results):
        issues.append(finding("not-recalculated", **where))  # saved by a program that does not calculate: one note, not one per cell
        explained |= {ind.id for ind in spec.indicators}
    for ind in spec.indicators:
        ref = cells["score"][ind.id]
        cached, want = values[ref], result.scores[ind.id]
        if ind.id not in explained and not (cached is None and want is None) and not same_value(cached, want):
            issues.append(finding("cached-mismatch", **where, cell=ref, found=_fmt(cached), expected=_fmt(want)))
    if not explained:
        for ref, want in _cached_results(cells, result, grade):
            cached = values[ref]
            if not (cached is None and want is None) and not same_value(cached, want) and not (want is None and cached == ""):
                issues.append(finding("cached-mismatch", **where, cell=ref, found=_fmt(cached), expected=_fmt(want)))

    mine = [i for i in issues if i.employee_id == eid and i.sheet == sheet]
    if any(i.code in INTEGRITY_CODES for i in mine):
        status = "tampered"
    elif invalid:
        status = "invalid"
    elif result.total is None:
        status = "incomplete"
    else:
        status = "ok"
    text = lambda ref: "" if values[ref] is None else str(values[ref])  # noqa: E731
    review = {k: text(ref) for k, ref in cells["review"].items()}
    return PersonRecord(
        file=file, sheet=sheet, employee_id=eid, name=row.get("name", ""), department=row.get("department", ""),
        template=spec.id, version=spec.version, period=period_code(row.get("period", "") or spec.period), actuals=actuals, raw=raw,
        scores=result.scores, total=result.total, grade=grade, status=status, comment=text(cells["comment"]),
        ratings=ratings_raw, sections=result.sections, weighted=result.weighted,
        adjustment=result.adjustment if spec.adjustments else None, adjustment_counts=counts, vetoed=result.vetoed,
        coefficient=result.coefficient, bonus_base=pay_base, pay=result.pay, workbook_id=workbook_id,
        review=review, filled=sum(v is not None for v in actuals.values()), mtime=mtime,
        findings=review_findings({**review, "comment": text(cells["comment"])}))


def read_source(source: Source, templates: dict[str, Spec] | None, limits: Limits = Limits(),
                register: Register | None = None, bases: Mapping[str, float | None] | None = None) -> FileResult:
    """Read, check and recompute one returned file. Never raises for a bad file. With HR's
    ``register``, who the file belongs to, for which period, the rules, targets and bonus base that
    apply come from it, not the file; with the roster's ``bases`` (employee id → bonus base), pay is
    computed on those."""
    file = source.display
    out = FileResult(source=file)
    try:
        data, mtime = read_bytes(source, limits)
        from .other_formats import identify  # (it builds this module's records)

        other = identify(data, file, limits, templates, mtime)
        if other is not None:
            return other  # a generated workbook re-saved as .ods or .xls: tied to its people, not scored
        package = open_package(data, limits)
        book = read_book(package)
        meta_entry = book.sheet(META_SHEET)
        if meta_entry is None:
            out.issues.append(finding("not-a-scorecard", file=file))
            return out
        names = [s.name.casefold() for s in book.sheets]
        if len(set(names)) != len(names) or meta_entry.part not in package.entries:
            raise Rejected("corrupt-file", detail=Text("xl/workbook.xml 中的工作表列表有歧义", "xl/workbook.xml lists its sheets ambiguously"))
        package.keep(meta_entry.part)
        package.check_prolog(meta_entry.part)
        sst = shared_strings(package, book.sst_part)
        meta = Metadata(read_grid(package, meta_entry.part, sst, META_ROWS, META_COLS))
    except Rejected as rej:
        out.issues.append(finding(rej.code, file=file, **rej.fields))
        return out
    except OSError as exc:
        out.issues.append(finding("corrupt-file", file=file, detail=str(exc)))
        return out
    except ValueError as exc:
        out.issues.append(finding("metadata-invalid", file=file, detail=str(exc)))
        return out
    except MemoryError:
        raise  # the memory limit, not a damaged file: reported as such by the runner
    except Exception as exc:  # noqa: BLE001 - any parser failure on an untrusted file is a reported issue
        out.issues.append(finding("corrupt-file", file=file, detail=f"{type(exc).__name__}: {exc}"[:300]))
        return out
    sheets_named = [row.get("sheet", "") for row in meta.people]
    if len(sheets_named) > len(book.sheets) - 1 or len(set(sheets_named)) != len(sheets_named):
        # each person issued has a sheet of their own: a metadata listing more is forged or broken
        out.issues.append(finding("metadata-invalid", file=file, detail=f"{len(sheets_named)} people listed for "
                                  f"{len(book.sheets) - 1} sheets, or two people on one sheet; none read"))
        return out
    resolved = {spec_id: _resolve_spec(file, spec_id, version, recorded_hash, blob, templates, out.issues)
                for spec_id, version, recorded_hash, blob in meta.specs}
    out.specs = {k: spec for k, (spec, _) in resolved.items() if spec is not None}
    if not meta.people:
        out.issues.append(finding("metadata-invalid", file=file, detail=Text("没有记录任何人", "no people recorded")))
    if package.macros and package.macro_digest() != meta.values.get("vba_sha256"):
        out.issues.append(finding("macros-present", file=file))  # issued UDF workbooks carry xlwings' known project
    out.issues += brought_in(package, file)  # external links, embedded objects, ActiveX, data connections: reported, never opened
    format_version = _format_version(meta.values.get("format_version", ""))
    mode = meta.values.get("formulas", "native")
    if mode not in ("native", "udf"):
        out.issues.append(finding("metadata-invalid", file=file, detail=f"unknown formula mode {mode!r}"))
        return out
    renamed = functools.cache(lambda: _sheets_by_id(package, book, sst))  # read only if a sheet was renamed
    percent = functools.cache(lambda: percent_styles(package, book.styles_part))  # read only if a number could be a percentage
    signed = register is None or register.key is None or meta.signed_by(register.key)  # once per file
    wid = meta.values.get("workbook_id", "")
    for row in meta.people:
        template = row.get("template", "")
        spec, embedded = resolved.get(template, (None, None))
        sheet = row.get("sheet", "")
        eid = row.get("employee_id", "")
        issued: Issued | None = None
        try:
            entry = _person_sheet(package, book, renamed, sheet, eid, out.issues, file)
            if entry is None:
                out.issues.append(finding("sheet-missing", file=file, sheet=sheet, employee_id=eid, missing=sheet))
                continue
            targets = _person_targets(row.get("targets", ""))
            if register is not None:
                targets, issued = _check_issued(register, meta, signed, row, targets, out.issues, file, entry.name, spec)
                if issued is not None:  # what HR issued, never what the file says: rules, period, bonus base
                    spec = _issued_spec(register, issued, templates, embedded) or spec
                    row = {**row, "period": issued.period, "bonus_base": issued.bonus_base or row.get("bonus_base", "")}
                    if spec is not None:
                        out.specs.setdefault(spec.id, spec)
            if spec is None:
                if template not in resolved or register is not None:
                    out.issues.append(finding("unknown-template", file=file, sheet=sheet, employee_id=eid, template=template))
                continue
            spec = spec.with_targets(targets)
            where = {"file": file, "sheet": entry.name, "employee_id": eid}
            pay_base = _pay_base(row, eid, bases, out.issues, where)
            cells = SheetCells(package, entry.part, sst)
            out.issues += _protection(issued.protection if issued is not None and issued.protection else row.get("protection", ""),
                                      cells, where)
            out.records.append(_read_person(file, row, spec, cells, entry, book, out.issues, mtime, mode, format_version, percent,
                                            pay_base, wid))
        except Rejected as rej:
            out.issues.append(finding(rej.code, file=file, sheet=sheet, employee_id=eid, **rej.fields))
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001
            out.issues.append(finding("corrupt-file", file=file, sheet=sheet, employee_id=eid,
                                    detail=f"{type(exc).__name__}: {exc}"[:300]))
    return out


_issued_protection = functools.lru_cache(maxsize=256)(Protection.from_json)  # people of a template share it


def _protection(issued: str, cells: SheetCells, where: dict[str, str]) -> list[Finding]:
    """The person's sheet protection against what was issued: removed, or a password changed or gone, is
    an integrity finding — the cells it guarded (the supervisor's, the reviewer's) may then have been
    filled by whoever held the file."""
    expected = _issued_protection(issued) if issued else None
    if expected is None:
        return []  # a workbook from before protection was recorded
    lost = expected.lost(cells.protection())
    words = {"sheet": Text("工作表保护已被取消", "the sheet's protection was removed"),
             "password": Text("工作表保护密码已被更改或去掉", "the sheet's protection password was changed or removed")}
    return [finding("protection-changed", **where, what=words.get(item) or Text(f"“{item[6:]}”区域的密码已被更改或去掉",
                                                                               f"the password of the range '{item[6:]}' was changed or removed"))
            for item in lost]


def _pay_base(row: dict[str, str], eid: str, bases: Mapping[str, float | None] | None, issues: list[Finding],
              where: dict[str, str]) -> float | None:
    """The bonus base pay is computed on: the roster's (HR's latest word) when a roster is given, else the
    base as issued (the register's, or the file's own on trust); a roster that differs from the issued
    base is noted."""
    issued = _number_or_none(row.get("bonus_base", ""))
    if bases is None or eid not in bases:
        return issued
    roster = bases[eid]
    if roster != issued:
        issues.append(finding("base-changed", **where, issued=_fmt(issued), roster=_fmt(roster)))
    return roster


def _check_issued(register: Register, meta: Metadata, signed: bool, row: dict[str, str], targets: dict[str, float] | None,
                  issues: list[Finding], file: str, sheet: str, spec: Spec | None = None) -> tuple[dict[str, float] | None, Issued | None]:
    """Check one person of a return against HR's register (``signed``: the file's signature held, or
    none was asked for); returns the targets that apply (as issued) and what was issued to them."""
    eid = row.get("employee_id", "")
    where = {"file": file, "sheet": sheet, "employee_id": eid}
    if not signed:
        issues.append(finding("signature-invalid", **where))
    wid = meta.values.get("workbook_id", "")
    issued = register.person(wid, eid)
    if issued is None:
        owners = register.issued_to(wid)
        if owners:  # a genuine workbook relabelled as someone else's
            issues.append(finding("issued-mismatch", **where, what=Text("员工编号", "the employee id"), found=eid,
                                  issued="、".join(owners[:5])))
        else:
            issues.append(finding("not-issued", **where))
        return targets, None
    for what, found, want in ((Text("模板", "the template"), row.get("template", ""), issued.template),
                              (Text("版本", "the version"), row.get("version", ""), issued.version),
                              (Text("规格指纹", "the spec hash"), row.get("spec_hash", ""), issued.spec_hash),
                              (Text("考核期间", "the period"), row.get("period", ""), issued.period)):
        if found != want:
            issues.append(finding("issued-mismatch", **where, what=what, found=found or "—", issued=want or "—"))
    if issued.bonus_base and _number_or_none(row.get("bonus_base", "")) != _number_or_none(issued.bonus_base):
        issues.append(finding("issued-mismatch", **where, what=Text("绩效奖金基数", "the bonus base"),
                              found=_fmt(_number_or_none(row.get("bonus_base", ""))), issued=_fmt(_number_or_none(issued.bonus_base))))
    own = issued.target_values()
    if (targets or None) != (own or None):
        issues.append(finding("issued-mismatch", **where, what=Text("个人目标值", "the personal targets"),
                              found=_targets_shown(spec, targets or {}, own or {}), issued=_targets_shown(spec, own or {}, targets or {})))
    return own, issued


def _targets_shown(spec: Spec | None, targets: dict[str, float], other: dict[str, float]) -> Text:
    """The targets that differ from ``other``, by indicator name and as the sheet shows them
    (销售额完成率 110%、新客户开发数 12); one without a personal target is the spec's."""
    by_id = {ind.id: ind for ind in spec.indicators} if spec is not None else {}
    order = {iid: k for k, iid in enumerate(by_id)}
    zh, en = [], []
    for iid in sorted(set(targets) | set(other), key=lambda i: (order.get(i, len(order)), i)):
        if targets.get(iid) == other.get(iid):
            continue
        ind, value = by_id.get(iid), targets.get(iid)
        name = ind.name if ind is not None else iid
        if value is None:
            zh.append(f"{name} 沿用规格目标")
            en.append(f"{name} the spec's target")
        else:
            shown = ind.show(value) if ind is not None else f"{value:g}"
            zh.append(f"{name} {shown}")
            en.append(f"{name} {shown}")
    return Text("、".join(zh) or "—", "; ".join(en) or "—")


def _person_sheet(package: Package, book: Book, renamed: Callable[[], dict[str, SheetEntry]], name: str, eid: str,
                  issues: list[Finding], file: str) -> SheetEntry | None:
    """The person's sheet: by the name the metadata records, else — renamed — the sheet whose
    KPI_EMPLOYEE_ID name holds the person's id (reported once, as information)."""
    entry = book.sheet(name)
    if entry is not None:
        if entry.part not in package.entries:
            raise Rejected("corrupt-file", detail=f"{name}: the sheet's part is missing")
        package.keep(entry.part)
        package.check_prolog(entry.part)
        return entry
    candidate = renamed().get(eid)
    if candidate is not None:
        issues.append(finding("sheet-renamed", file=file, sheet=candidate.name, employee_id=eid, old=name, new=candidate.name))
    return candidate


def _sheets_by_id(package: Package, book: Book, sst: SharedStrings) -> dict[str, SheetEntry]:
    """Employee id (from each sheet's KPI_EMPLOYEE_ID name) → sheet, for sheets renamed since issue."""
    found: dict[str, SheetEntry] = {}
    for candidate in book.sheets:
        ref = book.local_names(candidate.index).get("KPI_EMPLOYEE_ID")
        if ref is None or candidate.part not in package.entries:
            continue
        package.keep(candidate.part)
        package.check_prolog(candidate.part)
        value = SheetCells(package, candidate.part, sst).values([ref])[ref]
        if value is not None:
            found.setdefault(str(value).strip(), candidate)
    return found


_person_targets = functools.lru_cache(maxsize=4096)(person_targets)  # returns of one person share them
