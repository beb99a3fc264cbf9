/** Latency, throughput, jar size and start-up benchmark of the lean runtime (BENCHMARK.md, "Speed"). */
package io.github.drsn.runtime.bench;
