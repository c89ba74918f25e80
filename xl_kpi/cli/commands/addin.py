"""``xl-kpi addin lite|server``: what Excel needs to call the scoring functions through xlwings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from ...udf.addin import FUNCTION_NAMES, lite_files, server_files, write
from ..app import command
from ..i18n import T
from ..options import FOLDER, TextOrJson, choice, echo, echo_json, output_folder, say


@command(help=T("写出在 Excel 中调用计分函数所需的文件(xlwings Lite 或 Server)。",
                "Write what Excel needs to call the scoring functions (xlwings Lite or Server)."),
         epilog=T("lite = xlwings Lite 的 main.py 与 requirements.txt(免费,含商业用途);"
                  "server = xlwings Server 项目的 custom_functions(需 xlwings PRO 许可证,noncommercial 仅限非商业用途)。",
                  "lite = main.py and requirements.txt for xlwings Lite (free, commercial use included); server = the "
                  "custom_functions of an xlwings Server project (needs an xlwings PRO licence key; noncommercial is for "
                  "non-commercial use only)."))
def addin(
    host: Annotated[Literal["lite", "server"], typer.Argument(help=T("lite 或 server(见下)。", "lite or server (below)."),
                                                              show_default=False, metavar="lite|server", parser=choice("lite", "server"))],
    output: Annotated[Path, typer.Option("-o", "--output", metavar=FOLDER, help=T("输出文件夹。", "Output folder."))] = Path("xl-kpi-addin"),
    format: TextOrJson = "text",
) -> None:
    written = write(lite_files() if host == "lite" else server_files(), output_folder(output))
    if format == "json":
        echo_json({"host": host, "files": [str(p) for p in written], "functions": list(FUNCTION_NAMES)})
        return
    for path in written:
        echo(str(path))
    if host == "lite":
        say("把 main.py 和 requirements.txt 的内容分别粘贴到 xlwings Lite 编辑器的同名标签页(见 docs/excel-addin.md)",
            "paste main.py and requirements.txt into the tabs of the same names in the xlwings Lite editor (see docs/excel-addin.md)")
    else:
        say("按 README.md 的步骤启动 xlwings Server(需要许可证密钥)",
            "follow README.md to start xlwings Server (a licence key is needed)")
