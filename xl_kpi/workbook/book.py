"""An XlsxWriter Workbook that can also lock its structure (XlsxWriter has no API for it)."""

from __future__ import annotations

from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from xlsxwriter.color import Color
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import CellBlankTuple

from ..core.protection import legacy_password_hash
from ..xlsx_text import TextWorkbook, TextWorksheet
from .sheetdata import BlockRows
from .stamp import SHEETS_RECORDED, NamedFormat, StampedSheet, StampStrings
from .stamp_package import StampPackager, write_zip

_KEYS: dict[Any, dict[str, str]] = {}  # the keys XlsxWriter computes of a format (NamedFormat), by its properties as made
_MADE: dict[Any, dict[str, Any]] = {}  # a format's state right after XlsxWriter made it, by its properties (colours are never changed in place)


class PortableWorksheet(StampedSheet, BlockRows, TextWorksheet):
    """A worksheet for formulas made only of Excel 2010 functions.

    XlsxWriter runs ~30 regex rewrites on every formula to add ``_xlfn.`` prefixes for newer
    functions; ours never use them (``test_formulas_use_only_portable_non_volatile_functions``),
    so the rewrites are a no-op that cost a third of the build time. Its dynamic-array check
    still runs before this. Its XML is taken from an equal sheet written before when everything that feeds it is
    equal (:mod:`~xl_kpi.workbook.stamp`).
    """

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        # Two cells in three of a scorecard are the formatted blanks of merged ranges: write them
        # directly, as XlsxWriter's general path does (a blank cell always carries a format).
        if cell.__class__ is CellBlankTuple and cell.format is not None:
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell.format._get_xf_index()}"/>')
            return
        super()._write_cell(row, col, cell)

    def _escape_attributes(self, attribute: Any) -> Any:
        # Most attributes are integers (style indexes): XlsxWriter's regex raises TypeError on them and
        # catches it, once per cell attribute. Same output, without the exception.
        if type(attribute) is not str:
            return attribute
        return super()._escape_attributes(attribute)

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula


class ScorecardWorkbook(TextWorkbook):
    """Workbook whose structure (add, delete, rename, unhide sheets) is locked on request."""

    worksheet_class = PortableWorksheet

    def __init__(self, filename: Any, options: dict[str, Any] | None = None) -> None:
        super().__init__(filename, options)
        self._lock_password: str | None = None
        self.str_table = StampStrings()
        self._stamp_formats: dict[Any, Any] = {}
        self._stamp_seen = 0

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Any:
        ws = super().add_worksheet(name, worksheet_class)
        if isinstance(ws, StampedSheet):
            ws.stamp_book = self
            if len(self.worksheets_objs) > SHEETS_RECORDED:
                ws.stamp_log = None
        return ws

    def add_format(self, properties: dict[str, Any] | None = None) -> Format:
        """XlsxWriter's ``add_format`` (its steps), each format a :class:`~xl_kpi.workbook.stamp.NamedFormat`; one of
        the same properties as a format made before (in any workbook) is a copy of that one's state as it was made,
        instead of being parsed again from its properties."""
        props = self.default_format_properties.copy()
        if properties:
            props.update(properties)
        try:
            key: Any = tuple(sorted(props.items()))
            made = _MADE.get(key)
        except TypeError:  # a property that is not hashable: made from its properties, not remembered
            key, made = None, None
        if made is None:
            fmt = NamedFormat(props, self.xf_format_indices, self.dxf_format_indices)
            state = {k: v for k, v in vars(fmt).items() if k not in ("xf_format_indices", "dxf_format_indices", "stamp_keys")}
            if key is not None and len(_MADE) < 1024 and fmt.xf_index is None and fmt.dxf_index is None \
                    and all(type(v) in (int, float, str, bool, type(None), Color) for v in state.values()):
                _MADE[key] = state
                fmt.__dict__["stamp_keys"] = _KEYS[key] = {}  # its keys, shared with the copies of its state
        else:
            fmt = NamedFormat.__new__(NamedFormat)
            state = fmt.__dict__
            state.update(made)
            state["stamp_keys"] = _KEYS[key]
            state["xf_format_indices"], state["dxf_format_indices"] = self.xf_format_indices, self.dxf_format_indices
        self.formats.append(fmt)
        return fmt

    def stamp_formats(self) -> dict[Any, Any]:
        """This workbook's formats by the Styles name each was made from (see :mod:`~xl_kpi.workbook.stamp`)."""
        if self._stamp_seen != len(self.formats):
            self._stamp_formats = {f.stamp_token: f for f in self.formats if getattr(f, "stamp_token", None) is not None}
            self._stamp_seen = len(self.formats)
        return self._stamp_formats

    def _get_packager(self) -> StampPackager:
        return StampPackager()

    def _store_workbook(self) -> None:
        """XlsxWriter's own (3.3), the in-memory parts zipped by :func:`~xl_kpi.workbook.stamp.write_zip`: a part
        equal to one written before keeps its deflated bytes."""
        if not self.in_memory:
            super()._store_workbook()
            return
        xlsx_file = ZipFile(self.filename, "w", compression=ZIP_DEFLATED, allowZip64=self.allow_zip64)
        try:
            packager = self._get_packager()
            if not self.worksheets():
                self.add_worksheet()
            if self.worksheet_meta.activesheet == 0:
                self.worksheets_objs[0].selected = 1
                self.worksheets_objs[0].hidden = 0
            for sheet in self.worksheets():
                if sheet.index == self.worksheet_meta.activesheet:
                    sheet.active = 1
            if self.vba_project:
                for sheet in self.worksheets():
                    if sheet.vba_codename is None:
                        sheet.set_vba_name()
            self._prepare_sst_string_data()
            self._prepare_vml()
            self._prepare_defined_names()
            self._prepare_drawings()
            self._add_chart_data()
            self._prepare_tables()
            self._prepare_metadata()
            packager._add_workbook(self)
            packager._set_tmpdir(self.tmpdir)
            packager._set_in_memory(self.in_memory)
            write_zip(xlsx_file, packager._create_package())
        finally:
            xlsx_file.close()

    def lock_structure(self, password: str = "") -> None:
        self._lock_password = password

    def add_hidden_record(self, name: str, rows: Any, password: str = "") -> None:
        """A very hidden, protected sheet ``name`` holding ``rows`` of text: what a workbook says it is (the
        scorecard's metadata, a follow-up workbook's record), read back when it returns."""
        ws = self.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write_string(r, c, value)
        ws.very_hidden()
        ws.protect(password)

    def _write_workbook_pr(self) -> None:
        super()._write_workbook_pr()
        if self._lock_password is None:
            return
        # CT_Workbook order: workbookPr, then workbookProtection, then bookViews.
        attributes: list[tuple[str, Any]] = []
        if self._lock_password:
            attributes.append(("workbookPassword", legacy_password_hash(self._lock_password)))
        attributes.append(("lockStructure", 1))
        self._xml_empty_tag("workbookProtection", attributes)
