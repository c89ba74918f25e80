"""What a stamped sheet's record holds of its formats and texts (issue 32; :mod:`~xl_kpi.workbook.stamp`): a format as
the Styles name it was made from, a text as the index the shared strings gave it."""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.sharedstrings import SharedStringTable

__all__ = ["NamedFormat", "StampStrings"]


class NamedFormat(Format):
    """XlsxWriter's Format, equal to a format of the same Styles name (``stamp_token``, set once, as it is made) in
    any workbook, and to no other: a sheet's record holds its formats as they are and compares as their names."""

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        token = self.__dict__.get("stamp_token")
        return token is not None and isinstance(other, NamedFormat) and other.__dict__.get("stamp_token") == token

    def __hash__(self) -> int:
        token = self.__dict__.get("stamp_token")
        return hash(token) if token is not None else id(self) >> 4


class StampStrings(SharedStringTable):
    """XlsxWriter's shared strings, telling the sheet last written to which index each of its texts got (into its
    record: a sheet that is not recorded may add indexes to another's record, which only makes that record longer)."""

    def __init__(self) -> None:
        super().__init__()
        self.sink: list[Any] | None = None
        self.texts: list[tuple[str, int]] | None = None  # every text and its index, while a sheet is recorded to be replayed

    def _get_shared_string_index(self, string: str) -> int:
        index = super()._get_shared_string_index(string)
        if self.sink is not None:
            self.sink.append(index)
        if self.texts is not None:
            self.texts.append((string, index))
        return index
