"""SMART checker quality on the labelled examples (tests/data/smart_examples.csv): precision and
recall of "fail" per criterion and language, for the dev part (used while writing the rules)
and the held-out part (not used), the goal's agreement on measurable and time-bound, the vague
goals that pass as measurable (the goal: none), and the time per check.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xl_kpi.advice.smart import check_smart  # noqa: E402
from xl_kpi.advice.smart_quality import evaluate, load_labelled  # noqa: E402

DATA = ROOT / "tests" / "data" / "smart_examples.csv"


def load() -> list[dict[str, str]]:
    return load_labelled(DATA)


def main() -> dict:
    rows = load()
    report: dict = {}
    for lang in ("zh", "en", "all"):
        for split in ("dev", "heldout"):
            part = [r for r in rows if lang in ("all", r["lang"]) and r["split"] == split]
            report[(lang, split)] = evaluate(part)
            cells = "  ".join(f"{c}: P {m['precision']:.2f} R {m['recall']:.2f} acc {m['accuracy']:.2f}"
                              for c, m in report[(lang, split)].items())
            print(f"{lang:3s} {split:7s} n={len(part):3d}  {cells}")
    held = [r for r in rows if r["split"] == "heldout"]
    agree = report[("all", "heldout")]
    vague = [r["text"] for r in held if r["measurable"] == "fail" and check_smart(r["text"], r["lang"]).measurable == "pass"]
    print(f"goal (held-out, n={len(held)}): measurable {agree['measurable']['accuracy']:.1%}, time-bound "
          f"{agree['time_bound']['accuracy']:.1%} agreement (≥ 95%); vague goals passing as measurable: {len(vague)} (0) {vague}")
    start = time.perf_counter()
    for r in rows * 5:
        check_smart(r["text"], r["lang"])
    print(f"check_smart: {(time.perf_counter() - start) / (len(rows) * 5) * 1e6:.0f} us per text")
    return report


if __name__ == "__main__":
    main()
