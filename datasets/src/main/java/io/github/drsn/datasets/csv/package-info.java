/** Recordings from CSV files, and the CSV/JSON manifest that maps a user's files to labels and conditions. */
package io.github.drsn.datasets.csv;
