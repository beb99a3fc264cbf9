package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published results are what the committed cell files say: every committed {@code summary.md},
 * {@code summary.csv} and plot under {@code docs/results/} is regenerated from the cells by {@link
 * ExperimentRunner#summarize()} ({@code drsn experiment --summary-only}) byte for byte, every cell belongs to its
 * config in {@code experiments/}, and every results table the README quotes is the table of that summary it names.
 *
 * <p>A README table is quoted between
 * {@code <!-- table from docs/results/GRID/summary.md: TITLE -->} and {@code <!-- /table -->}, where TITLE is the
 * bold title above the table in summary.md. After new cells, run
 * {@code mvn -pl experiments test -Dtest=CommittedResultsTest -Ddrsn.updateReadme=true} to copy the tables into the
 * README (the summaries themselves come from {@code drsn experiment --summary-only}).
 */
class CommittedResultsTest {

  private static final Pattern QUOTE = Pattern.compile(
      "<!-- table from (docs/results/[^ ]+/summary\\.md): (.+?) -->\\n(.*?)<!-- /table -->", Pattern.DOTALL);

  private static final Path ROOT = repositoryRoot();

  @Test
  void everyCommittedSummaryIsRegeneratedFromItsCellFiles(@TempDir Path tmp) throws IOException {
    List<Path> grids = gridsWithCells();
    assertFalse(grids.isEmpty(), "no docs/results/*/cells found under " + ROOT);
    for (Path grid : grids) {
      String name = grid.getFileName().toString();
      Path config = ROOT.resolve("experiments").resolve(name + ".json");
      assertTrue(Files.exists(config), grid + " has cells but no experiments/" + name + ".json");
      Path out = tmp.resolve(name);
      copyTree(grid.resolve("cells"), out.resolve("cells"));
      ExperimentRunner.Result result = new ExperimentRunner(ExperimentConfig.read(config), out).summarize();
      long cellFiles;
      try (Stream<Path> files = Files.walk(grid.resolve("cells"))) {
        cellFiles = files.filter(f -> f.toString().endsWith(".json")).count();
      }
      assertEquals(cellFiles, result.done(), grid + " has cell files that are no cells of " + config);
      List<String> files = new ArrayList<>(List.of("summary.md", "summary.csv"));
      try (Stream<Path> pngs = Files.list(grid)) {
        pngs.filter(f -> f.toString().endsWith(".png")).forEach(f -> files.add(f.getFileName().toString()));
      }
      for (String file : files.subList(2, files.size())) {
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(grid.resolve(file)), Files.readAllBytes(out.resolve(file))),
            grid.resolve(file) + " is not the plot `drsn experiment --summary-only` draws from the committed cells");
      }
      for (String file : files.subList(0, 2)) {
        assertEquals(read(grid.resolve(file)), read(out.resolve(file)),
            grid.resolve(file) + " is not what `drsn experiment --config " + ROOT.relativize(config)
                + " --out " + ROOT.relativize(grid) + " --summary-only` writes from the committed cells");
      }
    }
  }

  @Test
  void everyTableTheReadmeQuotesIsTheSummarysTable() throws IOException {
    Path readme = ROOT.resolve("README.md");
    String text = read(readme);
    Matcher quote = QUOTE.matcher(text);
    StringBuilder updated = new StringBuilder();
    List<String> stale = new ArrayList<>();
    int quotes = 0;
    while (quote.find()) {
      quotes++;
      String expected = tableTitled(ROOT.resolve(quote.group(1)), quote.group(2));
      if (!quote.group(3).equals(expected)) {
        stale.add(quote.group(1) + ": " + quote.group(2) + "\nREADME has:\n" + quote.group(3) + "summary has:\n"
            + expected);
      }
      quote.appendReplacement(updated, Matcher.quoteReplacement(
          "<!-- table from " + quote.group(1) + ": " + quote.group(2) + " -->\n" + expected + "<!-- /table -->"));
    }
    quote.appendTail(updated);
    assertTrue(quotes >= 2, "expected the README to quote the Gaussian and synthetic tables, found " + quotes);
    if (!stale.isEmpty() && Boolean.getBoolean("drsn.updateReadme")) {
      Files.writeString(readme, updated.toString(), StandardCharsets.UTF_8);
      return;
    }
    assertTrue(stale.isEmpty(), "README tables differ from the summaries they quote (rerun with"
        + " -Ddrsn.updateReadme=true to copy them):\n" + String.join("\n", stale));
  }

  /** The Markdown table right after the line {@code **TITLE**}, with its trailing newline. */
  private static String tableTitled(Path summary, String title) throws IOException {
    List<String> lines = Files.readAllLines(summary, StandardCharsets.UTF_8);
    int at = lines.indexOf("**" + title + "**");
    assertTrue(at >= 0, summary + " has no table titled \"" + title + "\"");
    StringBuilder table = new StringBuilder();
    for (int i = at + 1; i < lines.size(); i++) {
      if (lines.get(i).startsWith("|")) {
        table.append(lines.get(i)).append('\n');
      } else if (table.length() > 0) {
        break;
      }
    }
    assertFalse(table.isEmpty(), summary + ": no table after \"" + title + "\"");
    return table.toString();
  }

  private static List<Path> gridsWithCells() throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT.resolve("docs").resolve("results"))) {
      return dirs.filter(d -> Files.isDirectory(d.resolve("cells"))).sorted().toList();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
