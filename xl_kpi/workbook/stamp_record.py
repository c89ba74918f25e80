"""What a stamped sheet's record holds of its formats and texts (issue 32; :mod:`~xl_kpi.workbook.stamp`): a format as
the Styles name it was made from, a text as the index the shared strings gave it."""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.sharedstrings import SharedStringTable

__all__ = ["NamedFormat", "StampStrings", "KEYED"]


# The attributes a format's keys are computed from (XlsxWriter's _get_format_key, _get_font_key, _get_border_key,
# _get_fill_key, _get_alignment_key; tests/test_stamp.py checks the list against its source).
KEYED = frozenset({"hidden", "locked", "num_format", "checkbox", "quote_prefix", "bold", "font_charset", "font_color",
                   "font_family", "font_name", "font_outline", "font_script", "font_shadow", "font_size", "font_strikeout",
                   "italic", "theme", "underline", "bottom", "bottom_color", "diag_border", "diag_color", "diag_type", "left",
                   "left_color", "right", "right_color", "top", "top_color", "bg_color", "fg_color", "pattern", "indent",
                   "reading_order", "rotation", "shrink", "text_h_align", "text_v_align", "text_wrap"})


class NamedFormat(Format):
    """XlsxWriter's Format, equal to a format of the same Styles name (``stamp_token``, set once, as it is made) in
    any workbook, and to no other: a sheet's record holds its formats as they are and compares as their names.

    A format made as a copy of one made before of the same properties (``ScorecardWorkbook.add_format``) shares its
    keys (``stamp_keys``): XlsxWriter computes them again in every workbook (its index, its font's, fill's and
    border's), from attributes that are those of the copy while it is not changed; a change to one of them
    (:data:`KEYED`) drops the keys shared, and the format's own are computed as always."""

    def __setattr__(self, name: str, value: Any) -> None:
        state = self.__dict__
        if name in KEYED:
            state["stamp_keys"] = None
        state[name] = value

    def _shared(self, kind: str, compute: Any) -> Any:
        keys = self.__dict__.get("stamp_keys")
        if keys is None:
            return compute(self)
        key = keys.get(kind)
        if key is None:
            key = keys[kind] = compute(self)
        return key

    def _get_format_key(self) -> str:
        known: str | None = self.__dict__.get("_format_key")
        if known is None:
            known = self._format_key = self._shared("format", Format._get_format_key)
        return known

    def _get_font_key(self) -> str:
        return self._shared("font", Format._get_font_key)

    def _get_border_key(self) -> str:
        return self._shared("border", Format._get_border_key)

    def _get_fill_key(self) -> str:
        return self._shared("fill", Format._get_fill_key)

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
