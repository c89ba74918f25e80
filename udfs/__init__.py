"""The thin entry point the add-in docs use from a checkout (``kpi_udfs``); the functions themselves are
``xl_kpi.udf.functions`` in the installed package."""
