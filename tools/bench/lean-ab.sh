#!/usr/bin/env bash
# Interleaved A/B runs of the lean runtime's benchmark (LeanBenchmark: the `lean_*` keys of `drsn bench`) for two
# frozen sets of jars, e.g. main's and a branch's, so that load from other processes hits both alike. Each set is a
# directory holding drsn-runtime, drsn-runtime-examples, drsn-signals, drsn-contract and drsn-contract-tests jars
# (copied from the modules' target/ after `mvn -pl runtime-examples -am -DskipTests package`). Java options as the
# drsn launcher's. Per round: A, then B, each a fresh JVM; one JSON file per run and `uptime` before each in OUT.
# Usage: tools/bench/lean-ab.sh A_DIR B_DIR OUT [ROUNDS=3] [MODEL=drsn-cw]
set -euo pipefail
a="${1:?usage: lean-ab.sh A_DIR B_DIR OUT [ROUNDS] [MODEL]}"
b="${2:?usage: lean-ab.sh A_DIR B_DIR OUT [ROUNDS] [MODEL]}"
out="${3:?usage: lean-ab.sh A_DIR B_DIR OUT [ROUNDS] [MODEL]}"
rounds="${4:-3}"
model="${5:-drsn-cw}"
m2="${M2:-$HOME/.m2/repository}"
deps="$m2/com/github/wendykierp/JTransforms/3.1/JTransforms-3.1.jar:$m2/pl/edu/icm/JLargeArrays/1.5/JLargeArrays-1.5.jar"
mkdir -p "$out"
run() {
  local dir="$1" name="$2"
  local cp
  cp="$(ls "$dir"/*.jar | tr '\n' ':')$deps"
  echo "$name $(date -u +%H:%M:%S) $(uptime)" >> "$out/load.txt"
  java -Xmx512m -XX:+UseParallelGC --add-modules jdk.incubator.vector -cp "$cp" \
    io.github.drsn.runtime.bench.LeanBenchmark --model "$model" --json 2>/dev/null > "$out/$name.json.tmp"
  mv "$out/$name.json.tmp" "$out/$name.json"
}
for r in $(seq 1 "$rounds"); do
  run "$a" "a-$r"
  run "$b" "b-$r"
done
