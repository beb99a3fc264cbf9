/**
 * Run reports: training history, report.json and report.md with provenance and
 * metrics, PNG plots (learning curves, confusion heat map, accuracy vs SNR) and mean ± std result tables.
 */
package io.github.drsn.experiments.report;
