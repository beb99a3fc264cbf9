/**
 * The user manifest (JSON or CSV) that maps a user's recordings (CSV or MAT files) to labels, sampling rates and
 * operating conditions, and loads them as a {@link io.github.drsn.datasets.Dataset}.
 */
package io.github.drsn.datasets.manifest;
