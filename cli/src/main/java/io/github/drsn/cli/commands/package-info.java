/** The {@code drsn} subcommands; each parses options and calls the library. */
package io.github.drsn.cli.commands;
