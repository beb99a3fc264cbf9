/** The {@code drsn} command line: picocli commands over the library APIs. */
package io.github.drsn.cli;
