#!/usr/bin/env python3
"""Medians of the interleaved runs of tools/bench/side-by-side.sh: python3 tools/bench/summarise.py DIR.

Prints one Markdown table (per variant: runs, median training windows/s, per CPU second, and the ratio of the
medians to PyTorch's) and writes it to DIR/summary.md.
"""
import glob
import json
import os
import statistics
import sys


def main(directory):
    variants = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        name = os.path.basename(path).rsplit("-", 1)[0]
        with open(path) as f:
            variants.setdefault(name, []).append(json.load(f))
    if "pytorch" not in variants:
        sys.exit(f"no pytorch-*.json in {directory}")
    torch = statistics.median(r["train_windows_per_sec"] for r in variants["pytorch"])
    lines = ["| variant | runs | training windows/s, median (all runs) | per CPU second, median | ÷ PyTorch |",
             "|---|---|---|---|---|"]
    for name, runs in sorted(variants.items()):
        wall = [r["train_windows_per_sec"] for r in runs]
        cpu = [r["train_windows_per_cpu_sec"] for r in runs]
        lines.append(f"| {name} | {len(runs)} | {statistics.median(wall):,.1f} ({', '.join(f'{w:,.1f}' for w in wall)})"
                     f" | {statistics.median(cpu):,.1f} | {statistics.median(wall) / torch:.2f}x |")
    write_summary(directory, lines)


def write_summary(directory, lines):
    """Writes the table's lines to DIR/summary.md (temp file, then rename) and prints them."""
    text = "\n".join(lines) + "\n"
    with open(os.path.join(directory, "summary.md.tmp"), "w") as f:
        f.write(text)
    os.replace(os.path.join(directory, "summary.md.tmp"), os.path.join(directory, "summary.md"))
    print(text, end="")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: summarise.py DIR")
    main(sys.argv[1])
