/** Recordings from CSV files: delimiter and header detection, and errors that name the file, line and column. */
package io.github.drsn.datasets.csv;
