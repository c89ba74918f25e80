"""Generate protected scorecard workbooks that score live in Excel, WPS, LibreOffice and Sheets."""

from .build import BuildOptions, build_all, build_department_workbook, build_employee_workbook

__all__ = ["BuildOptions", "build_all", "build_department_workbook", "build_employee_workbook"]
