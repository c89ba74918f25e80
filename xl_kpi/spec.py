"""Load scorecard specs from YAML files: every problem at once, or the spec.

``check_spec`` returns the problems (see :mod:`xl_kpi.spec_rules` for the rules);
``load_spec`` raises :class:`SpecError` when any of them is an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, SpecError, Text, UsageError
from .model import Spec
from .spec_rules import parse_spec

__all__ = ["check_spec", "load_spec", "load_specs", "parse_spec", "spec_files"]


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (YAML keeps the last)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[arg-type]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> tuple[Any, Problem | None]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(Text(f"找不到文件 {path}", f"file not found: {path}"),
                         Text("检查路径是否正确", "check the path")) from None
    except UnicodeDecodeError:
        return None, Problem("encoding", "error", str(path), "", Text("文件不是 UTF-8 编码", "the file is not UTF-8 text"),
                             Text("用 UTF-8 编码另存", "save it as UTF-8"))
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader), None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        loc = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        detail = getattr(exc, "problem", None) or str(exc)
        return None, Problem("yaml-syntax", "error", str(path), loc, Text(f"YAML 语法错误: {detail}", f"YAML syntax error: {detail}"),
                             Text("检查缩进、冒号和引号", "check indentation, colons and quotes"))


def check_spec(path: str | Path) -> tuple[Spec | None, list[Problem]]:
    """Read and validate one spec file; every problem found, errors and warnings."""
    path = Path(path)
    data, problem = _read_yaml(path)
    if problem is not None:
        return None, [problem]
    return parse_spec(data, str(path))


def load_spec(path: str | Path) -> Spec:
    """Load one spec, raising :class:`SpecError` (with every problem) if it has errors."""
    spec, problems = check_spec(path)
    if spec is None:
        raise SpecError([p for p in problems if p.severity == "error"])
    return spec


def spec_files(path: str | Path) -> list[Path]:
    """The YAML spec files at a path: the file itself, or every *.yaml/*.yml in a folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml"))
        if not files:
            raise UsageError(Text(f"文件夹 {path} 中没有 .yaml 规格文件", f"no .yaml spec files in folder {path}"),
                             Text("指定规格文件或包含规格文件的文件夹", "name a spec file or a folder of them"))
        return files
    if not path.exists():
        raise UsageError(Text(f"找不到文件 {path}", f"file not found: {path}"), Text("检查路径是否正确", "check the path"))
    return [path]


def load_specs(path: str | Path) -> dict[str, Spec]:
    """Every spec at a path, keyed by id; duplicate ids are an error naming both files."""
    specs: dict[str, Spec] = {}
    for file in spec_files(path):
        spec = load_spec(file)
        if spec.id in specs:
            raise SpecError([Problem("duplicate-spec", "error", str(file), "id",
                                     Text(f"规格标识 {spec.id!r} 已被 {specs[spec.id].source_path} 使用",
                                          f"spec id {spec.id!r} is already used by {specs[spec.id].source_path}"),
                                     Text("每个规格用不同的 id", "give each spec its own id"))])
        specs[spec.id] = spec
    return specs
