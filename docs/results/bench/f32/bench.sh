#!/usr/bin/env bash
# usage: bench.sh base|branch OUTFILE [extra bench args]
set -euo pipefail
which=$1; out=$2; shift 2
if [ "$which" = base ]; then
  cp=/tmp/f32-base/jars/drsn-cli.jar:$(cat /tmp/f32-base/classpath.txt)
else
  cp=/tmp/f32-branch/jars/drsn-cli.jar:$(cat /tmp/f32-branch/classpath.txt)
fi
export OMP_WAIT_POLICY=PASSIVE
java -Xmx512m -XX:+UseParallelGC --add-modules jdk.incubator.vector -Dorg.bytedeco.javacpp.cachedir=/tmp/f32-base/javacpp-cache \
  -cp "$cp" io.github.drsn.cli.Main bench --model drsn-cw "$@" > "$out" 2>/tmp/f32-base/last.err
