"""Who a return belongs to and which rules it is scored with: the file's own word, checked against HR's
templates and register. With the templates, a return is scored with HR's template, never the rules it
carries; with the register, with the rules, period, personal targets and bonus base it was issued.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from ..core.findings import Finding, finding
from ..core.text import Text
from ..sheet.metadata import Metadata, person_targets
from ..sheet.register import Issued, Register
from ..spec.canonical import spec_from_canonical
from ..spec.model import Spec
from .caches import ReaderCache
from .safety import Rejected

__all__ = ["canonical_spec", "resolve_spec", "issued_spec", "check_issued", "pay_base", "targets_of", "number_or_none", "json_or_none",
           "fmt"]


def canonical_spec(text: str, cache: ReaderCache) -> Spec:
    """A spec from its canonical JSON (as a workbook or the register stores it); returns of one template share
    it, so it is parsed once per reader."""
    found = cache.specs.get(text)
    if found is None:
        found = cache.specs.put(text, spec_from_canonical(json.loads(text)))
    return found


def targets_of(text: str, cache: ReaderCache) -> dict[str, float] | None:
    """A person's targets as the metadata records them (returns of one person share them).

    Raises:
        Rejected: ``metadata-invalid``, the record cannot be read.
    """
    if text in cache.targets:
        return cache.targets[text]
    try:
        targets = person_targets(text)
    except (ValueError, TypeError, AttributeError) as exc:
        raise Rejected("metadata-invalid", detail=f"personal targets: {type(exc).__name__}: {exc}"[:200]) from None
    return cache.targets.put(text, targets)


def resolve_spec(file: str, spec_id: str, version: str, recorded_hash: str, blob: str, templates: Mapping[str, Spec] | None,
                 issues: list[Finding], cache: ReaderCache) -> tuple[Spec | None, Spec | None]:
    """(the rules to score with, the rules the file carries, verified against their own hash). With HR's
    templates, HR's template always: rules a return carries are never the ones it is scored with — a
    return claiming another version or other rules is reported. Without them, the file's own (on trust)."""
    try:
        embedded: Spec | None = canonical_spec(blob, cache)
    except (ValueError, KeyError, TypeError) as exc:
        issues.append(finding("metadata-invalid", file=file, detail=f"spec {spec_id}: {exc}"))
        embedded = None
    if embedded is not None and embedded.hash != recorded_hash:
        issues.append(finding("metadata-invalid", file=file, detail=Text(f"规格 {spec_id}: 存储的规则与其哈希不符(规则被改动)",
                                                                    f"spec {spec_id}: the stored rules do not match their hash")))
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


def issued_spec(register: Register, issued: Issued, templates: Mapping[str, Spec] | None, embedded: Spec | None,
                cache: ReaderCache) -> Spec | None:
    """The rules a person was issued, as HR recorded them: the register's copy, else HR's template or the
    file's own copy when its hash is the one HR recorded (SHA-256: the same rules, byte for byte)."""
    canonical = register.specs.get(issued.spec_hash)
    if canonical is not None:
        try:
            return canonical_spec(canonical, cache)
        except (ValueError, KeyError, TypeError):
            pass
    for candidate in ((templates or {}).get(issued.template), embedded):
        if candidate is not None and candidate.hash == issued.spec_hash:
            return candidate
    return None


def pay_base(row: dict[str, str], eid: str, bases: Mapping[str, float | None] | None, issues: list[Finding],
              where: dict[str, str]) -> float | None:
    """The bonus base pay is computed on: the roster's (HR's latest word) when a roster is given, else the
    base as issued (the register's, or the file's own on trust); a roster that differs from the issued
    base is noted."""
    issued = number_or_none(row.get("bonus_base", ""))
    if bases is None or eid not in bases:
        return issued
    roster = bases[eid]
    if roster != issued:
        issues.append(finding("base-changed", **where, issued=fmt(issued), roster=fmt(roster)))
    return roster


def check_issued(register: Register, meta: Metadata, signed: bool, row: dict[str, str], targets: dict[str, float] | None,
                 issues: list[Finding], file: str, sheet: str, spec: Spec | None = None) -> tuple[dict[str, float] | None, Issued | None]:
    """Check one person of a return against HR's register (``signed``: the file's signature held, or
    none was asked for); returns the targets that apply (as issued) and what was issued to them."""
    eid = row.get("employee_id", "")
    where = {"file": file, "sheet": sheet, "employee_id": eid}
    if not signed:
        issues.append(finding("signature-invalid", **where))
    wid = meta.values.get("workbook_id", "")
    issued = register.person(wid, eid)
    if issued is not None and issued.is_rating:  # a rater's workbook presented as the person's own
        issues.append(finding("issued-mismatch", **where, what=Text("工作簿类型", "the kind of workbook"),
                              found=Text("考核表", "a scorecard"), issued=Text("评分表", "a rating workbook")))
        return targets, None
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
    if issued.bonus_base and number_or_none(row.get("bonus_base", "")) != number_or_none(issued.bonus_base):
        issues.append(finding("issued-mismatch", **where, what=Text("绩效奖金基数", "the bonus base"),
                              found=fmt(number_or_none(row.get("bonus_base", ""))), issued=fmt(number_or_none(issued.bonus_base))))
    own = issued.target_values()
    if (targets or None) != (own or None):
        issues.append(finding("issued-mismatch", **where, what=Text("个人目标值", "the personal targets"),
                              found=_targets_shown(spec, targets or {}, own or {}), issued=_targets_shown(spec, own or {}, targets or {})))
    superseded(register, issued, issues, where, spec)
    return own, issued


def superseded(register: Register, issued: Issued, issues: list[Finding], where: dict[str, str], spec: Spec | None = None) -> None:
    """A return of a card HR has since issued again to the person for the same period: scored as returned when the
    new card carries the same rules, targets (the spec's, the person's own, then approved changes), bonus base and
    raters; else not paid."""
    newer = register.newer_issue(issued)
    if newer is None:
        return
    approved = register.approved_targets(issued.employee_id, issued.period)[0]
    if issued.spec_hash in register.specs:  # the rules as issued (rare: only a card issued again gets here)
        spec = spec_from_canonical(json.loads(register.specs[issued.spec_hash]))
    template = {i.id: float(i.target) for i in spec.indicators if isinstance(i.target, (int, float))} if spec is not None else {}

    def terms(x: Issued) -> dict[str, Any]:
        return {"rules": x.spec_hash, "targets": {**template, **(x.target_values() or {}), **approved},
                "base": number_or_none(x.bonus_base), "raters": (x.ratings, x.raters)}
    old, new = terms(issued), terms(newer)
    words = {"rules": ("规则", "the rules"), "targets": ("目标值", "the targets"), "base": ("绩效奖金基数", "the bonus base"),
             "raters": ("评分人", "the raters")}
    changed = [words[k] for k in old if old[k] != new[k]]
    times = {"issued_at": _when(register.issued_at.get(issued.workbook_id, "")), "newer_at": _when(register.issued_at.get(newer.workbook_id, "")),
             "newer_file": newer.file}
    if changed:
        issues.append(finding("superseded-issue", **where, **times, what=Text("、".join(z for z, _ in changed), ", ".join(e for _, e in changed))))
    else:
        issues.append(finding("superseded-same", **where, **times))


def _when(iso: str) -> str:
    """``2026-12-07T09:30:05+00:00`` as ``2026-12-07 09:30:05 UTC``."""
    return (iso[:19].replace("T", " ") + (" UTC" if iso.endswith(("+00:00", "Z")) else "")) if iso else "—"


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


def number_or_none(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def fmt(value: Any) -> str:
    return "(空)" if value is None else (f"{value:g}" if isinstance(value, float) else repr(value))
