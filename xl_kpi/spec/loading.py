"""Load scorecard specs from YAML (or JSON) files: every problem at once, or the spec.

``check_spec`` returns the findings (see :mod:`xl_kpi.spec.rules` for the rules);
``load_spec`` raises :class:`SpecError` when any of them is an error.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from ..core.errors import SpecError, UsageError
from ..core.files import read_regular
from ..core.findings import Finding, finding
from ..core.text import Text
from .model import Spec
from .rules import parse_spec
from .yaml_errors import explain_yaml_error, fullwidth_key_lines

__all__ = ["check_spec", "load_spec", "load_specs", "spec_files", "SPEC_SUFFIXES"]

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


@functools.cache
def _loader() -> Any:
    """The YAML loader: PyYAML is imported here, on the spec-file path only (the scoring core is stdlib-only).

    A SafeLoader (libyaml's parser when built with it: 3× faster) that refuses a key given twice in
    one mapping (YAML keeps the last).
    """
    import yaml

    safe: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class UniqueKeyLoader(safe):  # type: ignore[valid-type,misc]
        pass

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line
        return loader.construct_mapping(node, deep=deep)

    UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return UniqueKeyLoader


MAX_SPEC_BYTES = 4 * 1024 * 1024  # a spec of a thousand indicators is ~300 KB
MAX_DEPTH = 64  # a spec nests about six levels; libyaml's composer recurses, and crashes the process ~100,000 deep
MAX_NODES = 1_000_000  # with aliases expanded: a few aliases of aliases stand for billions of nodes


def _bound(text: str, file: str) -> Finding | None:
    """What makes a YAML text unsafe to load, found from its events alone (libyaml's parser keeps its
    own stack, so any depth is read safely here): nesting depth and the node count aliases expand to."""
    import yaml

    depth, total = 0, 0
    sizes: list[int] = []  # nodes in each open collection
    opened: list[str | None] = []  # and its anchor
    anchors: dict[str, int] = {}
    for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return finding("yaml-too-deep", file=file, limit=MAX_DEPTH)
            sizes.append(1)
            opened.append(event.anchor)
            total += 1
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            size, anchor = sizes.pop(), opened.pop()
            if anchor:
                anchors[anchor] = size
        elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            size = anchors.get(event.anchor or "", 1) if isinstance(event, yaml.AliasEvent) else 1
            if isinstance(event, yaml.ScalarEvent) and event.anchor:
                anchors[event.anchor] = 1
            total += size
        else:
            continue
        if sizes:
            sizes[-1] += size
        if total > MAX_NODES:
            return finding("yaml-too-large", file=file, detail=Text(f"别名展开后超过 {MAX_NODES:,} 个节点",
                                                                     f"more than {MAX_NODES:,} nodes once aliases are expanded"))
    return None


def _read_yaml(path: Path) -> tuple[Any, Finding | None]:
    data = read_regular(path, MAX_SPEC_BYTES)  # a named pipe is refused, not waited on
    if len(data) > MAX_SPEC_BYTES:
        return None, finding("yaml-too-large", file=str(path), detail=Text(f"超过 {MAX_SPEC_BYTES:,} 字节", f"over {MAX_SPEC_BYTES:,} bytes"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, finding("encoding", file=str(path))
    import yaml

    try:
        problem = _bound(text, str(path))
        if problem is not None:
            return None, problem
        return yaml.load(text, Loader=_loader()), None  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        where, detail = explain_yaml_error(exc, text)
        return None, finding("yaml-syntax", file=str(path), field=where, detail=detail)


def check_spec(path: str | Path) -> tuple[Spec | None, list[Finding]]:
    """Read and validate one spec file; every finding, errors and warnings."""
    path = Path(path)
    data, problem = _read_yaml(path)
    if problem is not None:
        return None, [problem]
    spec, problems = parse_spec(data, str(path))
    if spec is None and path.suffix.lower() != ".json":  # a key written with a full-width colon reads as a plain word
        text = path.read_text(encoding="utf-8-sig")
        problems = [finding("fullwidth-colon", file=str(path), field=f"line {n}") for n in fullwidth_key_lines(text)] + problems
    return spec, problems


def load_spec(path: str | Path) -> Spec:
    """Load one spec, raising :class:`SpecError` (with every problem) if it has errors."""
    spec, problems = check_spec(path)
    if spec is None:
        raise SpecError([p for p in problems if p.severity == "error"])
    return spec


def spec_files(path: str | Path) -> list[Path]:
    """The spec files at a path: the file itself, or every YAML/JSON spec in a folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in SPEC_SUFFIXES)
        if not files:
            raise UsageError("no-specs", path=path)
        return files
    if not path.exists():
        raise UsageError("file-not-found", path=path)
    return [path]


def load_specs(path: str | Path) -> dict[str, Spec]:
    """Every spec at a path, keyed by id; duplicate ids are an error naming both files."""
    specs: dict[str, Spec] = {}
    for file in spec_files(path):
        spec = load_spec(file)
        if spec.id in specs:
            raise SpecError([finding("duplicate-spec", file=str(file), field="id", spec_id=spec.id,
                                     other=specs[spec.id].source_path)])
        specs[spec.id] = spec
    return specs
