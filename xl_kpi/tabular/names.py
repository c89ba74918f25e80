"""HR's words where an id is asked: an indicator by its name (销售额完成率) or its id (sales_rate), a
card by its title (销售代表绩效考核表) or its id (sales_rep).

Names are compared as people type them: full-width folded, case and spaces ignored. A name two
things share is not resolved (the table then gets the usual "unknown" finding listing both).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping

from ..spec.model import Spec

__all__ = ["fold", "indicator_resolver", "template_resolver", "named"]


def fold(text: object) -> str:
    """A name as compared: ``" 销售额 完成率 "`` and ``"销售额完成率"`` are one; so are ``Sales Rate`` and ``sales rate``."""
    return "".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def _unique(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Folded name → id, leaving out a name two different ids share."""
    found: dict[str, str] = {}
    shared: set[str] = set()
    for name, ident in pairs:
        key = fold(name)
        if not key:
            continue
        if key in found and found[key] != ident:
            shared.add(key)
        found.setdefault(key, ident)
    return {k: v for k, v in found.items() if k not in shared}


def indicator_resolver(spec: Spec) -> Callable[[object], object]:
    """What an actuals or targets table writes in its indicator column, as the id the spec uses:
    an id as it is, an indicator's name as its id, ``adj:<item>`` and ``veto:<item>`` by the item's
    name too; anything else unchanged (reported as unknown by whoever reads it)."""
    ids = {ind.id for ind in spec.indicators}
    names = _unique((ind.name, ind.id) for ind in spec.indicators)
    items = {"adj": _unique((i.name, i.id) for i in (spec.adjustments.items if spec.adjustments else ())),
             "veto": _unique((v.name, v.id) for v in spec.veto)}

    def resolve(value: object) -> object:
        if not isinstance(value, str) or value in ids:
            return value
        text = value.strip()
        if text in ids:
            return text
        head, sep, rest = text.partition(":")
        if sep and head.strip().lower() in items:
            kind = head.strip().lower()
            return f"{kind}:{items[kind].get(fold(rest), rest.strip())}"
        return names.get(fold(text), value)

    return resolve


def template_resolver(specs: Mapping[str, Spec]) -> Callable[[str], str]:
    """A roster's 模板 cell as a spec id: the id, or the card's title (or its position) as HR knows it."""
    titles = _unique((s.title, sid) for sid, s in specs.items())
    positions = _unique((s.position, sid) for sid, s in specs.items() if s.position)

    def resolve(value: str) -> str:
        if value in specs:
            return value
        key = fold(value)
        return titles.get(key) or next((sid for sid in specs if fold(sid) == key), None) or positions.get(key) or value

    return resolve


def named(specs: Mapping[str, Spec]) -> str:
    """The known templates as a message lists them: ``sales_rep(销售代表绩效考核表), …``."""
    return ", ".join(f"{sid}({s.title})" if s.title else sid for sid, s in sorted(specs.items()))
