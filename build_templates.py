"""Build every bundled template with the sample roster into out/ — where `make demo` starts.

Usage: .venv/bin/python build_templates.py [OUTDIR]   (default: out)
Writes OUTDIR/workbooks/<department>/<id>_<name>.xlsx and OUTDIR/department/<department>.xlsx.
"""

from __future__ import annotations

import sys
from pathlib import Path

from xl_kpi.demo import build_bundled


def main(argv: list[str]) -> int:
    outdir = Path(argv[1]) if len(argv) > 1 else Path("out")
    _, people, written = build_bundled(outdir)
    print(f"{len(written)} workbooks for {len(people)} people → {outdir}/workbooks, {outdir}/department")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
