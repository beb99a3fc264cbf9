/** Speed benchmark of the DRSN networks (training throughput, inference latency, start-up). */
package io.github.drsn.model.bench;
