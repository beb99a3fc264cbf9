/** Latency, throughput, jar size and start-up benchmark of the lean runtime (docs/protocol.md, "Speed"). */
package io.github.drsn.runtime.bench;
