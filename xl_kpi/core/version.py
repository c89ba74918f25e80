"""xl-kpi's version: one place, read by the package metadata and recorded in every workbook."""

VERSION = "0.2.0"
