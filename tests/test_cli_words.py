"""Every word the command line says is in one language: a new user's session (``tests/cli_session.py``:
every command's help, the common mistakes, real work) in Chinese holds no English of xl-kpi's,
and in English no Chinese — outside ids, paths, option names and the user's own text. Help pages
fit 80 columns with every option's text whole, list the commands in the order of the work, and
show metavars as words, never Python types. Errors are one line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata

import pytest

from xl_kpi.cli.parsing import WORKFLOW
from xl_kpi.core.findings import CATALOGUE
from xl_kpi.spec import checker as rules  # the keys a spec may hold
from xl_kpi.tabular.read import ALIASES

from .conftest import ROOT

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”]+")
WORD = re.compile(r"(?<![\w./\\-])[A-Za-z][A-Za-z'-]{2,}(?![\w/\\]|\.\w)")
# English a Chinese session may show: names of formats, products, units of the trade and the
# values options take (ids, paths, option names and the user's text are taken out before).
NAMES = {"xl-kpi", "KPI", "HR", "YAML", "CSV", "XLSX", "UTF", "BOM", "Excel", "WPS", "SMART", "Dask", "tcp", "host", "xlwings",
         "xlsm", "xlsx", "xls", "ods", "csv", "yaml", "json", "text", "sqlite", "Tab", "Ctrl-C", "PDCA", "native", "udf",
         "employee", "department", "baseline", "challenge", "resource-limited", "too-short", "volatile", "spec", "zh", "en",
         "Excellent", "Good", "GB18030", "import", "export-spec", "check", "build", "consolidate", "rollup", "score", "targets",
         "split", "smart", "demo", "CPU", "total", "grade", "addin", "lite", "server", "Lite", "Server", "PRO", "noncommercial", "xl-kpi-addin",
         "sendback", "chase", "status", "calibrate", "letters", "appeal", "pay", "collect", "form", "person", "manager", "company",
         "supervisor", "reviewer", "none", "email", "eml", "drafts", "stale", "calibration", "history", "goals", "scorecard", "goal", "change",
         "auto", "separate", "inline", "all", "employees", "raters"}  # build --ratings / --books values
# ids a message may name: the spec's keys, the tables' columns, the codes of findings, the demo's folders
IDS = {*rules.TOP_KEYS, *rules.IND_KEYS, *rules.GRADE_KEYS, *rules.SECTION_KEYS, *rules.RATER_KEYS, *rules.ADJUSTMENT_KEYS,
       *rules.ITEM_KEYS, *rules.VETO_KEYS, *ALIASES, *CATALOGUE, "workbooks", "department", "returns", "results", "out", "scoring",
       "method", "bands"}


@pytest.fixture(scope="module", params=["zh", "en"])
def session(request, tmp_path_factory):
    """The transcript of one language's session, run as a user runs xl-kpi: its own process, 80 columns."""
    lang = request.param
    env = {**os.environ, "XL_KPI_LANG": lang, "COLUMNS": "80"}
    work = tmp_path_factory.mktemp(f"session_{lang}")
    done = subprocess.run([sys.executable, "-m", "tests.cli_session", lang, str(work / "w")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads(done.stdout)
    return lang, work / "w", data


def _cleaned(text: str, work, user: list[str]) -> str:
    """The text without what is not xl-kpi's words: paths, the user's text, ids, option names."""
    for path in sorted({str(work), str(ROOT)}, key=len, reverse=True):
        text = text.replace(path, " ")
    for word in sorted(user, key=len, reverse=True):
        text = text.replace(word, " ")
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # any other path
    text = re.sub(r"(?<![\w-])--?[a-z][a-z-]*", " ", text)  # option names
    text = re.sub(r"\b\w*_\w*\b", " ", text)  # ids: sales_rate, employee_id, XL_KPI_LANG
    return re.sub(r"'[^'\n]*'", " ", text)  # quoted values the user typed ('abc', 'fr')


def test_no_word_of_the_other_language(session):
    lang, work, data = session
    leaks = []
    for call in data["transcript"]:
        said = _cleaned(call["out"] + call["err"], work, data["user_words"])
        if lang == "en":
            leaks += [(call["args"][:2], w) for w in CJK.findall(said)]
        else:
            leaks += [(call["args"][:2], w) for w in WORD.findall(said) if w not in NAMES | IDS and w.upper() not in NAMES]
    assert not leaks, sorted({(a[0] if a else "", w) for a, w in leaks})


def test_no_traceback_no_internal_error_and_errors_are_one_line(session):
    lang, _, data = session
    prefix = "错误: " if lang == "zh" else "error: "
    for call in data["transcript"]:
        assert call["code"] in (0, 1, 2), call
        assert "Traceback" not in call["err"] and "╭" not in call["err"] and "│" not in call["err"], call
        if call["code"] == 2:
            assert call["err"].count("\n") == 1 and call["err"].startswith(prefix), call


def _cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _helps(data):
    return {tuple(c["args"]): c["out"] for c in data["transcript"] if c["args"][-1:] == ["-h"] or not c["args"]}


def test_help_fits_80_columns_with_every_option_text_whole(session):
    _, _, data = session
    pages = _helps(data)
    assert len(pages) == len(WORKFLOW) + 2
    for args, page in pages.items():
        assert all(_cells(line) <= 80 for line in page.splitlines()), (args, [line for line in page.splitlines() if _cells(line) > 80])
        assert "…" not in page.replace("...", ""), args  # nothing cut
        command = args[0] if args and args[0] != "-h" else ""
        flat = re.sub(r"\s+", "", page)
        for text in data["options"][command]:
            assert re.sub(r"\s+", "", text) in flat, (args, text)


def test_help_shows_words_not_python_types_and_no_internal_words(session):
    _, _, data = session
    for args, page in _helps(data).items():
        for python in ("<bool>", "<list", "<int>", "<float>", "<path>", "<text>", "list[", "Path]", "PATH...", "INTEGER", "FLOAT",
                       "TEXT", "种子文档", "seed:", "(seed"):
            assert python not in page, (args, python)


def test_commands_are_listed_in_the_order_of_the_work(session):
    _, _, data = session
    page = _helps(data)[("-h",)]
    listed = [line.split()[0] for line in page.splitlines() if line.startswith("  ") and line.split()[0] in WORKFLOW]
    assert listed == list(WORKFLOW)
    assert listed.index("import") < listed.index("check") < listed.index("build") < listed.index("consolidate") < listed.index("rollup")


def test_click_and_typer_are_not_patched():
    """Our words come through typer's supported hooks (cls=, parser=): click's and typer's own stay as they are."""
    script = ("import os; os.environ['XL_KPI_LANG'] = 'zh'\n"
              "import typer.rich_utils as r, typer._click.exceptions as e, typer._click.formatting as f\n"
              "before = (r.OPTIONS_PANEL_TITLE, e.ClickException.format_message, e.BadParameter.format_message, f.HelpFormatter.write_usage)\n"
              "import xl_kpi.cli\n"
              "xl_kpi.cli.run(['check', '--nope'])\n"
              "after = (r.OPTIONS_PANEL_TITLE, e.ClickException.format_message, e.BadParameter.format_message, f.HelpFormatter.write_usage)\n"
              "assert before == after, (before, after)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "check 没有选项 --nope" in done.stderr
