"""A new user's session on the command line, in one language: every command's help and the common
mistakes, run in one process (``python -m tests.cli_session zh|en FOLDER`` prints them as JSON).

The language is chosen before xl-kpi is imported, as in a real process. The inputs are written
in that language (a Chinese card and roster for zh, an English one for en), so that whatever
of the other language the output holds is xl-kpi's own words. ``tests/test_cli_words.py`` reads
the transcript.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "workbook_templates"
CARD = {"zh": "sales_rep", "en": "sales_rep_en"}
PEOPLE = {"zh": [("E1", "张三", "销售一部"), ("E2", "李四", "销售一部"), ("E3", "王五", "销售二部")],
          "en": [("E1", "Alice Smith", "Sales East"), ("E2", "Bob Jones", "Sales East"), ("E3", "Carol White", "Sales West")]}
GOAL = {"zh": "努力提升客户满意度", "en": "Work hard to improve customer satisfaction"}
BAD_NUMBER = {"zh": "很多", "en": "lots"}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def inputs(lang: str, work: Path) -> dict[str, Path]:
    """The files of the session: a card, rosters, actuals, broken specs and tables, returned workbooks."""
    import xl_kpi

    card = CARD[lang]
    spec_path = TEMPLATES / f"{card}.yaml"
    spec = xl_kpi.load_spec(spec_path)
    ids = [ind.id for ind in spec.indicators]
    names = [ind.name for ind in spec.indicators]
    rows = "\n".join(f"{eid},{name},{dept},{'销售代表' if lang == 'zh' else 'Sales rep'},M1,{card}" for eid, name, dept in PEOPLE[lang])
    files = {"spec": spec_path,
             "roster": _write(work / "roster.csv", f"employee_id,name,department,position,manager,template\n{rows}\n"),
             "roster_bad": _write(work / "roster_bad.csv", "employee_id,name,department,position,manager,template\n"
                                  f"E1,{PEOPLE[lang][0][1]},{PEOPLE[lang][0][2]},x,M1,no_such_card\nE1,{PEOPLE[lang][1][1]},x,x,M1,{card}\n"),
             "actuals": _write(work / "actuals.csv", "employee_id,indicator_id,actual\n"
                               f"E1,{names[0]},99.9%\nE1,{ids[1]},{BAD_NUMBER[lang]}\nE1,no_such_indicator,1\nE1,{ids[0]},1\n"),
             "actuals_cols": _write(work / "cols.csv", "id,value\n1,2\n"),
             "actuals_quote": _write(work / "quote.csv", f'employee_id,indicator_id,actual\nE1,"{ids[0]},1\nE2,{ids[0]},1\n'),
             "fullwidth": _write(work / "fullwidth.yaml", "id: x\ntitle：card\ngrades: []\n"),
             "tab": _write(work / "tab.yaml", "id: x\n\ttitle: y\n"),
             "fields": _write(work / "fields.yaml", "id: x\nname: y\nindicators:\n  - id: a\n"),
             "goals": _write(work / "goals.txt", GOAL[lang] + "\n")}
    returns = work / "returns"
    people = xl_kpi.load_people(files["roster"], {card: spec})[:2]  # the third never returns
    actuals = {"E1": {ids[0]: "105%", ids[1]: BAD_NUMBER[lang]}, "E2": dict(zip(ids, (1.1, 12, 0.3, 0.95)))}  # E2's is complete
    xl_kpi.build(spec, people, returns, actuals=actuals)
    _write(returns / "expenses.xlsx", "not a workbook")  # the wrong attachment
    files["returns"] = returns
    return files


def scenarios(f: dict[str, Path], work: Path, lang: str) -> list[list[str]]:
    """The calls: help everywhere, then what a new user types wrong, then real work."""
    from xl_kpi.cli.parsing import WORKFLOW

    spec, out = str(f["spec"]), str(work / "out")
    calls: list[list[str]] = [[], ["-h"], *[[command, "-h"] for command in WORKFLOW]]
    calls += [
        ["buld"], ["build"], ["build", spec, "--rosterx", "r"], ["build", spec, "--roster"], ["--debug"], ["--debug=1", "check", spec],
        ["-x"], ["split", "abc"], ["split", "100", "extra"], ["split", "100", "--decimals", "9"], ["check", spec, "--format", "xml"],
        ["consolidate", "--workers", "0", "x"], ["demo", "--seed", "x"], ["rollup", "--history", "h", "--year", "12", "-o", "x"],
        ["smart", "--lang", "fr", "x"], ["export-spec", spec, "-o", str(work / "x.txt")],
        ["check", str(work / "missing.yaml")], ["check", str(f["fullwidth"]), str(f["tab"]), str(f["fields"])], ["check", spec],
        ["score", spec, "--actuals", str(work / "missing.csv")], ["score", spec, "--actuals", str(f["actuals"])],
        ["score", spec, "--actuals", str(f["actuals_cols"])], ["score", spec, "--actuals", str(f["actuals_quote"])],
        ["score", spec, "--actuals", str(f["actuals"]), "-o", str(work / "scores.csv")],
        ["build", spec, "--roster", str(f["roster_bad"]), "-o", out], ["build", spec, "--roster", str(f["roster"]), "-o", out, "--plan-weights", "1,2"],
        ["build", spec, "--roster", str(f["roster"]), "-o", out],
        ["consolidate", str(f["returns"]), "-o", str(work / "results"), "--templates", spec, "--roster", str(f["roster"])],
        ["rollup", "--history", str(work / "results" / "history.sqlite"), "--year", "2099", "-o", str(work / "annual.csv")],
        ["smart", GOAL[lang]], ["smart", str(f["goals"]), "--history", "80"], ["import", str(work / "missing.xlsx")],
        ["split", "1000", "--weights", "1,2,3"], ["addin", "excel"], ["addin", "lite", "-o", str(work / "addin")],
    ]
    return calls + followup(f, work)


def followup(f: dict[str, Path], work: Path) -> list[list[str]]:
    """After the consolidation: send back, chase, status, calibrate, letters, appeal, pay — the mistakes
    first, then the real calls, each on what the one before wrote."""
    import xl_kpi

    returns, spec = str(f["returns"]), str(f["spec"])
    common = ["--templates", spec, "--roster", str(f["roster"]), "--issued", str(f["returns"] / "issued.sqlite")]
    history = ["--history", str(work / "results" / "history.sqlite")]
    best = xl_kpi.load_spec(f["spec"]).grades[0].label
    nowhere = str(work / "nowhere")
    return [
        ["sendback", returns], ["sendback", returns, "-o", nowhere, "--sign-key", str(work / "key")],
        ["sendback", returns, "-o", str(work / "back"), *common],
        ["chase", returns, "-o", nowhere, "--by", "boss"], ["chase", returns, "-o", nowhere, "--signatures", "ceo"],
        ["chase", returns, "-o", str(work / "chase"), *common, "--signatures", "none"],
        ["status"], ["status", "--issued", str(f["returns"] / "issued.sqlite"), *history], ["status", returns, *common],
        ["calibrate"], ["calibrate", "make", *history, "-o", nowhere], ["calibrate", "collect", *history, "-o", nowhere],
        ["calibrate", "collect", nowhere, *history, "-o", nowhere, "--guideline", f"{best}<=20%"],
        ["calibrate", "build", *history, "-o", nowhere, "--guideline", "no_such_grade<=20%"],
        ["calibrate", "build", *history, "-o", nowhere, "--guideline", f"{best}<=120%"],
        ["calibrate", "build", *history, "-o", str(work / "calibration"), "--guideline", f"{best}<=20%"],
        ["calibrate", "collect", str(work / "calibration"), *history, "-o", str(work / "calibrated")],
        ["letters", "build", returns], ["letters", "collect", str(work / "letters")],
        ["letters", "collect", str(work / "letters"), *history, "-o", nowhere],
        ["letters", "build", returns, "-o", str(work / "letters"), *common, *history, "--appeal-days", "-1"],
        ["letters", "build", returns, "-o", str(work / "letters"), *common, *history],
        ["letters", "collect", str(work / "letters"), *history],
        ["appeal", "form", *history, "-o", nowhere], ["appeal", "form", *history, "-o", nowhere, "--employee", "E1"],
        ["appeal", "form", *history, "-o", str(work / "appeal"), "--employee", "E2"],
        ["appeal", "collect", str(work / "appeal"), *history, "-o", str(work / "appeals")],
        ["pay", *history], ["pay", *history, "-o", str(work / "pay.csv")],
    ]


def session(lang: str, work: Path) -> list[dict[str, object]]:
    """Run every call; each with its exit code, stdout and stderr."""
    from xl_kpi.cli import run

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    files = inputs(lang, work)
    transcript = []
    for args in scenarios(files, work, lang):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(args)
        transcript.append({"args": args, "code": code, "out": out.getvalue(), "err": err.getvalue()})
    return transcript


def option_texts() -> dict[str, list[str]]:
    """Each command's option and argument texts as declared (what its help page must show whole)."""
    import typer.main

    from xl_kpi.cli import app

    group = typer.main.get_command(app)
    out = {"": [p.help for p in group.params if getattr(p, "help", None)]}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        out[name] = [p.help for p in command.params if getattr(p, "help", None)]
    return out


def user_words(lang: str, work: Path) -> set[str]:
    """What the user wrote (names, titles, the card's words, typed values): allowed in any language."""
    import xl_kpi

    spec = xl_kpi.load_spec(TEMPLATES / f"{CARD[lang]}.yaml")
    words = {spec.id, spec.title, spec.position, spec.period, GOAL[lang], BAD_NUMBER[lang], *(g.label for g in spec.grades),
             "extra", "no_such_card", "no_such_indicator"}  # what the session types
    for ind in spec.indicators:
        words |= {ind.id, ind.name, ind.unit, ind.definition, ind.source}
    for item in spec.adjustments.items if spec.adjustments else ():
        words |= {item.id, item.name}
    words |= {v.name for v in spec.veto} | {s.name for s in spec.sections} | {r.name for r in spec.raters}
    for person in PEOPLE[lang]:
        words |= set(person)
    return {w for w in words if w}


if __name__ == "__main__":
    language, folder = sys.argv[1], Path(sys.argv[2])
    assert os.environ.get("XL_KPI_LANG") == language, "set XL_KPI_LANG before xl-kpi is imported"
    print(json.dumps({"transcript": session(language, folder), "user_words": sorted(user_words(language, folder)),
                      "options": option_texts()}, ensure_ascii=False))
