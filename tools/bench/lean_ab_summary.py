#!/usr/bin/env python3
"""Medians of the interleaved runs of tools/bench/lean-ab.sh: python3 tools/bench/lean_ab_summary.py DIR.

Prints one Markdown table (per side a and b: runs, the median of each lean_* figure with all runs in brackets, and
the ratio b / a of the medians) and writes it to DIR/summary.md.
"""
import glob
import json
import os
import statistics
import sys

from summarise import write_summary

KEYS = [("lean_infer_batch1_ms_median", "batch-1 median, ms", "{:.4f}"),
        ("lean_infer_batch1_ms_p99", "batch-1 p99, ms", "{:.3f}"),
        ("lean_windows_per_sec", "windows/s, 2 threads", "{:,.0f}"),
        ("lean_windows_per_cpu_sec", "windows per CPU second", "{:,.0f}"),
        ("lean_alloc_bytes_per_window", "bytes allocated per window", "{:.0f}")]


def main(directory):
    sides = {}
    for path in sorted(glob.glob(os.path.join(directory, "[ab]-*.json"))):
        with open(path) as f:
            sides.setdefault(os.path.basename(path)[0], []).append(json.load(f))
    if set(sides) != {"a", "b"}:
        sys.exit(f"need a-*.json and b-*.json in {directory}")
    lines = ["| figure | a: median (runs) | b: median (runs) | b / a |", "|---|---|---|---|"]
    for key, label, fmt in KEYS:
        cells = []
        medians = []
        for side in ("a", "b"):
            values = [r[key] for r in sides[side]]
            medians.append(statistics.median(values))
            cells.append(f"{fmt.format(medians[-1])} ({', '.join(fmt.format(v) for v in values)})")
        ratio = f"{medians[1] / medians[0]:.2f}" if medians[0] else "-"
        lines.append(f"| {label} | {cells[0]} | {cells[1]} | {ratio} |")
    lines.append(f"\nRuns: a {len(sides['a'])}, b {len(sides['b'])}.")
    write_summary(directory, lines)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: lean_ab_summary.py DIR")
    main(sys.argv[1])
