package io.github.drsn.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.experiments.ExperimentConfig;
import io.github.drsn.experiments.ExperimentRunner;
import io.github.drsn.experiments.RunSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * One-off migration of the committed cell files from command-line arguments to run settings. Cells before run
 * settings recorded {@code train_arguments} (the {@code drsn train} argv), {@code command} (the command line)
 * and {@code experiment} (the config with argv fragments). Run with {@code -Ddrsn.migrateCells=true}, it
 * rewrites each such cell: {@code train_arguments} becomes {@code settings}, the settings the argv parses to
 * with this version's {@code drsn train}, after checking that they equal the settings the rewritten config in
 * {@code experiments/} gives the cell (so the rewritten configs mean what the old ones did); {@code command}
 * goes, the report's {@code configuration.arguments} becomes {@code configuration.settings}, and {@code
 * experiment} becomes the rewritten config. Without the property it checks that no cell needs migrating.
 */
class MigrateCellsToSettings {

  private static final ObjectMapper JSON = JsonMappers.indented();

  @Test
  void everyCommittedCellRecordsRunSettings() throws IOException {
    Path root = repositoryRoot();
    List<String> legacy = new ArrayList<>();
    try (Stream<Path> grids = Files.list(root.resolve("docs").resolve("results"))) {
      for (Path grid : grids.filter(g -> Files.isDirectory(g.resolve("cells"))).sorted().toList()) {
        ExperimentConfig config =
            ExperimentConfig.read(root.resolve("experiments").resolve(grid.getFileName() + ".json"));
        try (Stream<Path> files = Files.walk(grid.resolve("cells"))) {
          for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
            ObjectNode cell = (ObjectNode) JSON.readTree(file.toFile());
            if (!cell.has("train_arguments")) {
              assertTrue(cell.has(ExperimentRunner.SETTINGS_KEY), file + " records neither arguments nor settings");
              continue;
            }
            legacy.add(root.relativize(file).toString());
            if (Boolean.getBoolean("drsn.migrateCells")) {
              Files.writeString(file, JSON.writeValueAsString(migrated(cell, config, grid, file)));
            }
          }
        }
      }
    }
    if (!Boolean.getBoolean("drsn.migrateCells")) {
      assertEquals(List.of(), legacy, "cells still record train_arguments; migrate them with -Ddrsn.migrateCells=true");
    }
  }

  private static ObjectNode migrated(ObjectNode cell, ExperimentConfig config, Path grid, Path file) {
    String id = grid.resolve("cells").relativize(file).toString().replaceFirst("\\.json$", "");
    ExperimentConfig.Cell gridCell = config.cells().stream().filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError(file + " is not a cell of " + config.name()));
    List<String> arguments = new ArrayList<>();
    cell.path("train_arguments").forEach(a -> arguments.add(a.asText()));
    TrainCommand parsed = new TrainCommand();
    new CommandLine(parsed).parseArgs(arguments.toArray(String[]::new));
    RunSettings fromArguments = parsed.settings();
    assertEquals(gridCell.settings(config), fromArguments, file + ": the rewritten config gives other settings than "
        + arguments);
    ObjectNode updated = JSON.createObjectNode();
    cell.fields().forEachRemaining(field -> {
      switch (field.getKey()) {
        case "train_arguments" -> updated.set(ExperimentRunner.SETTINGS_KEY, fromArguments.toJson());
        case "command" -> { }
        case "configuration" -> updated.set("configuration", configuration(field.getValue(), fromArguments));
        case "experiment" -> updated.set("experiment", config.toJson());
        default -> updated.set(field.getKey(), field.getValue());
      }
    });
    assertFalse(updated.has("train_arguments"));
    return updated;
  }

  /** The report's configuration with the settings in place of the arguments, as runs write it now. */
  private static JsonNode configuration(JsonNode recorded, RunSettings settings) {
    ObjectNode updated = JSON.createObjectNode();
    recorded.fields().forEachRemaining(field -> {
      if (field.getKey().equals("arguments")) {
        updated.set("settings", settings.toJson());
      } else {
        updated.set(field.getKey(), field.getValue());
      }
    });
    return updated;
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("experiments"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no checkout (README.md + experiments/) above " + Path.of("").toAbsolutePath());
  }
}
