"""xlwings worksheet functions over the xl-kpi engine (``udfs.kpi_udfs``)."""
