"""``python -m xl_kpi …`` works like ``xl-kpi …``; :func:`main` is the entry point of both."""

from __future__ import annotations

import sys


def main() -> None:
    """Console entry point (``xl-kpi`` and ``python -m xl_kpi``). Loading the commands takes most of a second; a Ctrl-C
    then ends as one during a command does — one line, exit code 130 — not with a traceback."""
    try:
        from .cli import run
    except KeyboardInterrupt:
        from .core.findings import finding
        from .core.text import ui_lang

        sys.stderr.write(("错误: " if ui_lang() == "zh" else "error: ") + finding("interrupted").render() + "\n")
        sys.exit(130)
    sys.exit(run())


if __name__ == "__main__":
    main()
