"""Precision and recall of the per-segment checks on the hand-labelled set, and their cost per segment.

Run by hand: ``python benchmarks/segment_checks.py [--set eval/labelled/segment-checks.jsonl] [--runs 20]``.
The set holds correct Persian and Albanian translations of news sentences (most from the shared
corpus article) and copies of them with one injected error each, labelled with the check that should
catch it. Its ``calibration`` part set the length bounds and name rules; the ``held-out`` part was
written afterwards and first run unseen: 15 of 18 caught, 3 false alarms on 20 correct. What it
showed was fixed in general ways (see docs/eval.md), so it is no longer unseen. Per check: recall = injected errors of that kind it flags / injected errors of that kind;
precision = its flags on those segments / its flags there plus its flags on correct segments (a flag
of another check on an injected segment, such as ``omission`` where a name was cut, is counted
neither way). Prints a Markdown table (pasted into docs/eval.md) and the CPU time per segment
(process time, so a shared machine inflates it less than wall time).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections import Counter
from pathlib import Path

from toolkit.eval.names import source_names
from toolkit.eval.segment_checks import SegmentChecker
from toolkit.text.flags import FLAG_CHECKS

DEFAULT_SET = Path(__file__).resolve().parent.parent / "eval" / "labelled" / "segment-checks.jsonl"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def flagged(rows: list[dict]) -> list[set[str]]:
    checkers = {}
    out = []
    for row in rows:
        pair = (row["src_lang"], row["lang"])
        checker = checkers.setdefault(pair, SegmentChecker(*pair))
        out.append({flag.check for flag in checker(row["source"], row["translation"])})
    return out


def table(rows: list[dict], flags: list[set[str]]) -> list[str]:
    lines = ["| language | check | injected | caught | false alarms on correct | precision | recall |",
             "|---|---|---|---|---|---|---|"]
    for lang in sorted({row["lang"] for row in rows}):
        pairs = [(row, found) for row, found in zip(rows, flags) if row["lang"] == lang]
        correct = [found for row, found in pairs if row["error"] is None]
        injected = Counter(row["error"] for row, _ in pairs if row["error"])
        for check in FLAG_CHECKS:
            caught = sum(row["error"] == check and check in found for row, found in pairs)
            false = sum(check in found for found in correct)
            if not injected[check] and not false:
                continue
            precision = f"{caught / (caught + false):.2f}" if caught + false else "-"
            recall = f"{caught / injected[check]:.2f}" if injected[check] else "-"
            lines.append(f"| {lang} | {check} | {injected[check]} | {caught} | {false} | {precision} | {recall} |")
        caught_any = sum(row["error"] in found for row, found in pairs if row["error"])
        lines.append(f"| {lang} | **all** | {sum(injected.values())} | {caught_any} | "
                     f"{sum(bool(found) for found in correct)} of {len(correct)} correct flagged | | |")
    return lines


def cost_per_segment(rows: list[dict], runs: int) -> float:
    """Microseconds of CPU per segment, the identifier loaded beforehand; the cache of source names
    emptied before each run (each source is read once per run, for its two translations)."""
    flagged(rows)
    spent = 0.0
    for _ in range(runs):
        source_names.cache_clear()
        start = time.process_time()
        flagged(rows)
        spent += time.process_time() - start
    return spent / (runs * len(rows)) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rows = load(args.set)
    found = flagged(rows)
    for split in dict.fromkeys(row["split"] for row in rows):
        chosen = [i for i, row in enumerate(rows) if row["split"] == split]
        print(f"\n{split}:\n")
        print("\n".join(table([rows[i] for i in chosen], [found[i] for i in chosen])))

    print(f"\n{len(rows)} segments; CPU per segment: {cost_per_segment(rows, args.runs):.0f} µs "
          f"({platform.processor() or platform.machine()}, {args.runs} runs)")


if __name__ == "__main__":
    main()
