"""What a returned workbook brings in besides its cells: external links, embedded objects, ActiveX
controls and data connections — none of them in a workbook xl-kpi issues.

None is ever opened, followed or run here; each is reported once per file, like macros, because
HR opening the file in Excel would meet it (a prompt to update links from another file, an object
that runs a program, a control that runs code, a query that connects to a database or a web page).
The parts are recognised by their place in the package, which is how Excel finds them too; an
external link's target is quoted (made visible, shortened) so HR can see where it points.
"""

from __future__ import annotations

import re

from ..core.findings import Finding, finding
from ..core.text import Text
from ..core.visible import visible
from .safety import Package, Rejected

__all__ = ["brought_in"]

_TARGET = re.compile(rb"""\sTarget\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CONNECTION = re.compile(rb"<(?:[\w.-]+:)?connection[\s>/]")


_FOLDERS = ("xl/externallinks/", "xl/embeddings/", "xl/activex/", "xl/querytables/")


def _parts(names: list[str], folder: str) -> list[str]:
    return [name for name in names if name.lower().startswith(folder) and not name.lower().endswith(".rels")]


def _link_target(package: Package, link: str) -> str:
    """Where the first external link points, as its relationship says (a path or an address), or ""."""
    folder, _, name = link.rpartition("/")
    rels = f"{folder}/_rels/{name}.rels"
    entry = package.entries.get(rels)
    if entry is None or entry.file_size > 65_536:
        return ""
    try:
        m = _TARGET.search(package.xml(rels))
    except Rejected:  # a declared DTD or broken part: the link is reported without its target
        return ""
    if m is None:
        return ""
    target = (m.group(1) if m.group(1) is not None else m.group(2)).decode("utf-8", "replace")
    return visible(target if len(target) <= 120 else target[:117] + "…")


def brought_in(package: Package, file: str) -> list[Finding]:
    """One finding per kind of thing the workbook brings in (none for a workbook as xl-kpi issues it)."""
    found: list[Finding] = []
    names = [name for name in package.entries if name.lower().startswith(_FOLDERS)]  # none in a workbook as issued: one pass
    links = _parts(names, "xl/externallinks/")
    if links:
        found.append(finding("external-links", file=file, count=len(links), target=_link_target(package, sorted(links)[0]) or "?"))
    embedded = _parts(names, "xl/embeddings/")
    if embedded:
        found.append(finding("ole-objects", file=file, count=len(embedded)))
    controls = _parts(names, "xl/activex/")
    if controls:  # a control is an .xml part, often with a .bin beside it
        found.append(finding("activex-controls", file=file, count=max(1, sum(n.lower().endswith(".xml") for n in controls))))
    connections = _connections(package, names)
    if connections is not None:
        found.append(finding("data-connections", file=file, detail=connections))
    return found


def _connections(package: Package, names: list[str]) -> Text | None:
    """How many data connections and query tables the workbook holds, in words (None for none)."""
    count = 0
    entry = package.entries.get("xl/connections.xml")
    if entry is not None:
        try:
            count = max(1, len(_CONNECTION.findall(package.xml("xl/connections.xml"))) if entry.file_size <= 1 << 20 else 1)
        except Rejected:  # reported as one connection: its part is not read
            count = 1
    queries = len(_parts(names, "xl/querytables/"))
    if not count and not queries:
        return None
    zh = "、".join(w for n, w in ((count, f"{count} 个连接"), (queries, f"{queries} 个查询表")) if n)
    en = ", ".join(w for n, w in ((count, f"{count} connection(s)"), (queries, f"{queries} query table(s)")) if n)
    return Text(zh, en)
