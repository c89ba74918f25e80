"""The xl-kpi sheet functions for xlwings, from a checkout of the repository: ``UDF Modules = kpi_udfs``
with ``PYTHONPATH`` pointing at this folder (workbooks built before the functions moved into the
package name this module).

The functions live in the installed package, ``xl_kpi.udf.functions`` (``UDF Modules =
xl_kpi.udf.functions`` needs no PYTHONPATH); this module only re-exports them, so both names call
the same code. See docs/excel-addin.md.
"""

from xl_kpi.udf.functions import (
    KPIADJUST,
    KPICOEF,
    KPIDEDUCT,
    KPIEVENTS,
    KPIGRADE,
    KPILINEAR,
    KPIRANK,
    KPIRATING,
    KPISCORE,
    KPISTEP,
    KPITOTAL,
    KPIVALUE,
    SMARTCHECK,
    WEIGHTED_TOTAL,
)

__all__ = ["KPISCORE", "KPILINEAR", "KPIDEDUCT", "KPIEVENTS", "KPISTEP", "KPIRANK", "KPIRATING", "WEIGHTED_TOTAL", "KPIADJUST",
           "KPITOTAL", "KPIGRADE", "KPICOEF", "KPIVALUE", "SMARTCHECK"]
