"""An imported role as a spec file people read and edit: the fields in the usual order, one line
per grade, section or band list, and every inference stated as a comment above what it concerns."""

from __future__ import annotations

from typing import Any

import yaml

from ..core.text import Text
from ..core.version import VERSION

__all__ = ["spec_yaml"]


def _plain(value: Any) -> Any:
    """Whole-number floats as ints (``100`` rather than ``100.0``): the spec reads them the same."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _flow(value: Any) -> str:
    text = yaml.safe_dump([_plain(value)], default_flow_style=True, allow_unicode=True, width=10**9, sort_keys=False).strip()
    return text[1:-1]


def _comment(lines: list[Text], lang: str, indent: str) -> list[str]:
    return [f"{indent}# {' '.join(t(lang).split())}" for t in lines]  # type: ignore[arg-type]


def spec_yaml(data: dict[str, Any], notes: dict[str, list[Text]], source: str, places: dict[str, str] | None = None,
              sheet: str = "") -> str:
    """The spec data as YAML with the notes as comments (``notes`` keyed by field: ``indicators[2]``)."""
    lang = str(data.get("language", "zh"))
    places = places or {}
    head = (f"由 xl-kpi {VERSION} 从 {source} 导入;请核对以 # 开头的推断说明,然后运行 xl-kpi check" if lang == "zh" else
            f"Imported by xl-kpi {VERSION} from {source}; check the inferences in the # comments, then run xl-kpi check")
    out = [f"# {data.get('title', '')}", f"# {head}"]
    for key in ("id", "version", "title", "language", "period", "position", "responsibilities"):
        if key in data:
            out += _comment(notes.get(key, []), lang, "")
            out.append(f"{key}: {_flow(data[key])}")
    for key in ("sections", "raters", "grades"):
        if data.get(key):
            out += _comment(notes.get(key, []), lang, "")
            out.append(f"{key}:")
            for k, item in enumerate(data[key]):
                out += _comment(notes.get(f"{key}[{k}]", []), lang, "  ")
                out.append(f"  - {_flow(item)}")
    out.append("indicators:")
    for i, ind in enumerate(data.get("indicators", [])):
        where = f"indicators[{i}]"
        cell = places.get(f"{where}.scoring") or places.get(where)
        out.append(f"  # {ind.get('name', '')}" + (f" ({sheet}!{cell})" if cell and sheet else f" ({cell})" if cell else ""))
        out += _comment(notes.get(where, []), lang, "  ")
        first = True
        for key, value in ind.items():
            out.append(f"  {'- ' if first else '  '}{key}: {_flow(value)}")
            first = False
    if data.get("adjustments"):
        adj = data["adjustments"]
        out += _comment(notes.get("adjustments", []), lang, "")
        out.append("adjustments:")
        out.append("  items:")
        out += [f"    - {_flow(item)}" for item in adj["items"]]
        for key in ("min", "max"):
            if key in adj:
                out.append(f"  {key}: {_flow(adj[key])}")
    if data.get("veto"):
        out.append("veto:")
        out += [f"  - {_flow(item)}" for item in data["veto"]]
    return "\n".join(out) + "\n"
