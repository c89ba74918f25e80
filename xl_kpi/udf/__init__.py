"""The scoring engine as Excel functions, for every host xlwings reaches: classic UDFs (Windows),
xlwings Server (Office.js: Windows, Mac, the web) and xlwings Lite (Pyodide in Excel).

``functions`` holds the functions; ``cells`` reads what Excel hands them; ``rules`` builds a
method's rule from their arguments; ``addin`` writes what each host needs (``xl-kpi addin``).
This package imports nothing by itself, so ``addin`` loads neither xlwings nor the functions.
"""
