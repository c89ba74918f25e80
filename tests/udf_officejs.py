"""The Office.js call path without Excel: ``xlwings.server.custom_functions_call``, as xlwings Server
runs it in a server process and xlwings Lite runs it in Pyodide inside Excel.

``python -m tests.udf_officejs CASES OUT [--module=NAME]`` (or this file run by Pyodide) with
``XLWINGS_ON_SERVER=true`` and ``XLWINGS_LICENSE_KEY=noncommercial`` set before xlwings is
imported (xlwings picks its host then). Each case's arguments travel as Office.js sends them — every
argument a matrix, through JSON — and come back through xlwings' own argument and result
conversion. OUT also gets the Office.js function metadata xlwings generates for the module. Only the
standard library, xlwings and the functions are imported, so Pyodide runs this file as it is.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

import xlwings
import xlwings.server


def officejs(arg: Any) -> Any:
    """An argument as Office.js hands it over: always a matrix (a list of rows)."""
    if isinstance(arg, list):
        return arg if arg and all(isinstance(row, list) for row in arg) else [arg]
    return [[arg]]


def _unwrap(value: Any) -> Any:
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list) and len(value[0]) == 1:
        return value[0][0]
    return value


def _drive(coroutine: Any) -> Any:
    """Run a coroutine that never waits (a plain function's call) to its end, with or without a running loop."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("the custom function call waited for something")


def request(fn: str, args: list[Any], row: int = 1) -> dict[str, Any]:
    """The body Office.js posts for one call (as xlwings' custom-functions-code.js builds it), through JSON."""
    return json.loads(json.dumps({
        "func_name": fn, "args": [officejs(a) for a in args], "caller_address": f"Sheet1!A{row}", "content_language": "zh-CN",
        "version": xlwings.__version__, "client": "Office.js", "runtime": "1.4", "culture_info_name": "zh-CN",
        "date_format": "yyyy/m/d"}, ensure_ascii=False))


def call(module: Any, body: dict[str, Any]) -> Any:
    """One call through xlwings' own conversion; the result as one value (or the rows it spills)."""
    result = _unwrap(_drive(xlwings.server.custom_functions_call(body, module)))
    return {"error": True} if isinstance(result, str) and result.startswith("⚠") else result


def main(cases_path: str, out_path: str, *options: str) -> None:
    names = [o.split("=", 1)[1] for o in options if o.startswith("--module=")]
    module = importlib.import_module(names[0] if names else "xl_kpi.udf.functions")
    with open(cases_path, encoding="utf-8") as f:
        cases = [c for c in json.load(f) if c["fn"]]
    results = [call(module, request(c["fn"], c["args"], k + 1)) for k, c in enumerate(cases)]
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"ids": [c["id"] for c in cases], "results": results, "meta": xlwings.server.custom_functions_meta(module),
                   "platform": sys.platform, "xlwings": xlwings.__version__}, f, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:])
