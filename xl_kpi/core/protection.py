"""Sheet protection as Excel stores it: the legacy password hash, and what a sheet's protection
holds — whether it is protected, its password's hash, and each "allow users to edit" range's.

Protection proves nothing about a file (it can be removed in minutes), but removing or changing it is
itself a fact HR must see: a sheet whose supervisor's range lost its password could have had the
supervisor's cells filled by whoever held the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

__all__ = ["legacy_password_hash", "Protection"]


def legacy_password_hash(password: str) -> str:
    """The 16-bit hash Excel stores for sheet and workbook protection (ECMA-376-4 §18.2.29)."""
    digest = 0
    for char in password[::-1]:
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(char)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password)
    digest ^= 0xCE4B
    return f"{digest:X}"


@dataclass(frozen=True)
class Protection:
    """A sheet's protection: on or off, its password's hash ("" for none) and each edit range's (by name)."""

    sheet: bool = True
    password: str = ""
    ranges: dict[str, str] = field(default_factory=dict)

    @classmethod
    def issued(cls, password: str, ranges: dict[str, str]) -> Protection:
        """What ``build`` sets: the sheet protected with ``password``, ``ranges`` (name → its password)."""
        return cls(True, legacy_password_hash(password) if password else "",
                   {name: legacy_password_hash(p) if p else "" for name, p in ranges.items()})

    def to_json(self) -> str:
        return json.dumps({"sheet": self.sheet, "password": self.password, "ranges": self.ranges}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Protection | None:
        """From :meth:`to_json`; None for anything else (a metadata or register from before protection was recorded)."""
        try:
            data = json.loads(text)
            return cls(bool(data["sheet"]), str(data["password"]).upper(),
                       {str(k): str(v).upper() for k, v in dict(data["ranges"]).items()})
        except (ValueError, KeyError, TypeError):
            return None

    def lost(self, found: Protection) -> list[str]:
        """What of this protection (as issued) ``found`` no longer has, in words for a finding's ``what``:
        the sheet's protection, its password, a range's password. A range without a password protects
        nothing, so losing one is not a loss (Gnumeric drops ranges on save)."""
        out = []
        if self.sheet and not found.sheet:
            return ["sheet"]
        if self.password and found.password.upper() != self.password:
            out.append("password")
        for name, pw in self.ranges.items():
            if pw and found.ranges.get(name, "").upper() != pw:
                out.append(f"range:{name}")
        return out
