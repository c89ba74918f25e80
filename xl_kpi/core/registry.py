"""Registries found by walking a package: every module of it that defines a named object of one kind is a member
(scoring methods, return formats, the scorecard's blocks and their writers), so adding a member is adding a module."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from typing import Protocol, TypeVar

__all__ = ["discover"]


class Named(Protocol):
    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


def discover(package: str, path: Iterable[str], attribute: str, kind: type[T], what: str) -> dict[str, T]:
    """Each module of ``package`` (its ``__path__``) whose ``attribute`` is a ``kind``, by the object's name, in the
    modules' order; two of one name are a defect (``what`` names the kind in the message)."""
    found: dict[str, T] = {}
    for info in sorted(pkgutil.iter_modules(path), key=lambda m: m.name):
        member = getattr(importlib.import_module(f"{package}.{info.name}"), attribute, None)
        if isinstance(member, kind):
            if member.name in found:
                raise RuntimeError(f"two {what} are named {member.name!r}")
            found[member.name] = member
    return found
