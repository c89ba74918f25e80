"""Proof that a change to the reader reads the same: every file of the bench corpora read by this checkout's reader
and by another revision's (default ``main``), one reader each as a worker keeps it, and the two results compared
file by file (``repr`` of each file's result: records, scores, findings, statuses, issues).

Usage: .venv/bin/python -W ignore bench/reader_equal.py [--against main] [--files 2000] [--practice 400] [--targets 400]
(uses the corpora bench_consolidate.py and profile_kinds.py build in bench/.cache: resaved-N holds xl-kpi's own returns
and the ones openpyxl and LibreOffice re-saved; returns-M, returns-sales_supervisor-M and returns-targets-M the plain,
practice and personal-targets returns). Exits 1 when any file reads otherwise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpora(files: int, practice: int, targets: int) -> dict[str, list[Path]]:
    """Every file of each corpus, by kind (the re-saved corpus split as bench/resaved.py shares it out)."""
    cache = ROOT / "bench" / ".cache"
    out: dict[str, list[Path]] = {"own": [], "openpyxl": [], "libreoffice": []}
    folder = cache / f"resaved-{files}"
    for k, path in enumerate(sorted(folder.rglob("*.xlsx"), key=lambda p: str(p.relative_to(folder)))):
        out["openpyxl" if k % 10 < 4 else "libreoffice" if k % 10 == 4 else "own"].append(path)
    out["plain"] = sorted((cache / f"returns-{practice}").rglob("*.xlsx"))
    out["practice"] = sorted((cache / f"returns-sales_supervisor-{practice}").rglob("*.xlsx"))
    out["targets"] = sorted((cache / f"returns-targets-{targets}").rglob("*.xlsx"))
    return out


def _child(root: str, listing: str, out: str) -> None:
    """Read every listed file with the reader of the checkout at ``root``; write each file's result as text."""
    sys.path.insert(0, root)
    from xl_kpi.consolidation.caches import ReaderCache
    from xl_kpi.consolidation.inputs import Source
    from xl_kpi.consolidation.reader import read_source
    from xl_kpi.consolidation.safety import Limits
    from xl_kpi.spec import load_specs

    specs = load_specs(ROOT / "workbook_templates")  # this checkout's templates for both: a spec names its file
    results: dict[str, list[str]] = {}
    for kind, paths in json.loads(Path(listing).read_text()).items():
        cache = ReaderCache()  # one reader per kind, as a worker keeps it across its files
        results[kind] = [repr(read_source(Source(str(p)), specs, Limits(), cache=cache)) for p in paths]
    Path(out).write_text(json.dumps(results))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:  # one checkout's reader, in a process of its own
        _child(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--against", default="main", help="the revision whose reader this one is compared with")
    for name, default, corpus in (("files", 2000, "resaved-N"), ("practice", 400, "returns-M and returns-sales_supervisor-M"),
                                  ("targets", 400, "returns-targets-M")):
        parser.add_argument(f"--{name}", type=int, default=default, help=f"the {corpus} corpus")
    args = parser.parse_args()
    kinds = corpora(args.files, args.practice, args.targets)
    empty = [kind for kind, paths in kinds.items() if not paths]
    if empty:
        raise SystemExit(f"no returns of kind {', '.join(empty)} in bench/.cache: build the corpora first "
                         f"(bench_consolidate.py --files {args.files} --resaved {args.files} --practice {args.practice}, "
                         f"profile_kinds.py)")
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other"
        other.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.against], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(other)], input=archive, check=True)
        listing = Path(tmp) / "files.json"
        listing.write_text(json.dumps({kind: [str(p) for p in paths] for kind, paths in kinds.items()}))
        read = {}
        for name, root in (("this", ROOT), ("other", other)):
            out = Path(tmp) / f"{name}.json"
            subprocess.run([sys.executable, "-W", "ignore", __file__, "--child", str(root), str(listing), str(out)], check=True)
            read[name] = json.loads(out.read_text())
    differing = 0
    for kind, paths in kinds.items():
        mine, theirs = read["this"][kind], read["other"][kind]
        bad = [p for p, a, b in zip(paths, mine, theirs) if a != b]
        differing += len(bad)
        print(f"{kind:12s} {len(paths):5d} files: {'identical' if not bad else f'{len(bad)} differ, first {bad[0]}'}")
    total = sum(len(paths) for paths in kinds.values())
    print(f"{total:,} files, {differing} read otherwise than {args.against}'s reader")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
