#!/usr/bin/env bash
# Interleaved speed runs on one machine: per round, `./drsn bench` with the Vector API kernels, the same with the
# scalar loops (-Ddrsn.vector=false), and the PyTorch reference (tools/bench/pytorch_drsn.py), so that load from
# other processes hits all three alike. One JSON file per run in OUT; then summarise with
#   python3 tools/bench/summarise.py OUT
# Usage: tools/bench/side-by-side.sh OUT [ROUNDS=3] [BATCHES=47]
set -euo pipefail
out="${1:?usage: side-by-side.sh OUT [ROUNDS] [BATCHES]}"
rounds="${2:-3}"
batches="${3:-47}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="${PYTHON:-/usr/bin/python3}"
mkdir -p "$out"
uptime > "$out/load-before.txt"
for r in $(seq 1 "$rounds"); do
  "$root/drsn" bench --model drsn-cw --batches "$batches" --json 2>/dev/null > "$out/drsn-vector-$r.json.tmp"
  mv "$out/drsn-vector-$r.json.tmp" "$out/drsn-vector-$r.json"
  DRSN_JAVA_OPTS="-Xmx512m -XX:+UseParallelGC -Ddrsn.vector=false" \
    "$root/drsn" bench --model drsn-cw --batches "$batches" --json 2>/dev/null > "$out/drsn-scalar-$r.json.tmp"
  mv "$out/drsn-scalar-$r.json.tmp" "$out/drsn-scalar-$r.json"
  OMP_WAIT_POLICY=PASSIVE "$python" "$root/tools/bench/pytorch_drsn.py" --threads 2 --batches "$batches" --json \
    > "$out/pytorch-$r.json.tmp"
  mv "$out/pytorch-$r.json.tmp" "$out/pytorch-$r.json"
  uptime >> "$out/load-during.txt"
done
