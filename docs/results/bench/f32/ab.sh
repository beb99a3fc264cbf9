#!/usr/bin/env bash
# usage: ab.sh DIR ROUNDS : interleaved base/branch bench runs, logging the load before each
dir=$1; rounds=$2
for i in $(seq 1 $rounds); do for w in base branch; do
  echo "$w $i $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $dir/log
  /tmp/f32-base/bench.sh $w $dir/$w-$i.json --json
done; done
echo done >> $dir/log
