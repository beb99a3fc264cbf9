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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published results are what the committed cell files say: every committed {@code summary.md} and
 * {@code summary.csv} and plot under {@code docs/results/} is regenerated from the cells by {@link
 * ExperimentRunner#summarize()} ({@code drsn experiment --summary-only}) byte for byte, every cell belongs to its
 * config in {@code experiments/}, and every results table a document quotes is the table of the summary it names.
 *
 * <p>Documents are README.md and every Markdown page under {@code docs/}. A table is quoted between
 * {@code <!-- table from PATH/summary.md: TITLE -->} and {@code <!-- /table -->}, where PATH is relative to the
 * quoting document (as its links are) and TITLE is the bold title above the table in summary.md. The test only
 * reads the documents: after new cells, regenerate the summaries with {@code drsn experiment --summary-only} and
 * copy the changed tables by hand, the failure message shows both versions.
 */
class CommittedResultsTest {

  private static final Pattern QUOTE = Pattern.compile(
      "<!-- table from ([^ ]+/summary\\.md): ([^\n]+?) -->\\n(.*?)<!-- /table -->", Pattern.DOTALL);

  /** A line that opens a quote; each must be one the pattern above reads. */
  private static final Pattern MARKER_LINE = Pattern.compile("^<!-- table from ", Pattern.MULTILINE);

  /** The results page, which must quote the headline tables of the CWRU and synthetic grids. */
  private static final String RESULTS_PAGE = "docs/results/README.md";

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
      List<String> texts = new ArrayList<>(files.subList(0, 2));
      if (Files.exists(grid.resolve("open_set.md"))) {
        texts.add("open_set.md"); // the open-set protocol's summary, regenerated from the cells' open_set rows
      }
      for (String file : texts) {
        assertEquals(read(grid.resolve(file)), read(out.resolve(file)),
            grid.resolve(file) + " is not what `drsn experiment --config " + ROOT.relativize(config)
                + " --out " + ROOT.relativize(grid) + " --summary-only` writes from the committed cells");
      }
    }
  }

  @Test
  void everyTableADocumentQuotesIsTheSummarysTable() throws IOException {
    List<String> stale = new ArrayList<>();
    Map<Path, List<Path>> quotedSummaries = new TreeMap<>();
    for (Path document : documents()) {
      String text = read(document);
      Matcher quote = QUOTE.matcher(text);
      long quotes = 0;
      while (quote.find()) {
        quotes++;
        Path summary = document.getParent().resolve(quote.group(1)).normalize();
        String where = ROOT.relativize(document) + " quotes " + quote.group(1) + ": " + quote.group(2);
        assertTrue(Files.isRegularFile(summary), where + ", but there is no " + summary);
        quotedSummaries.computeIfAbsent(ROOT.relativize(document), d -> new ArrayList<>())
            .add(ROOT.relativize(summary));
        String expected = tableTitled(summary, quote.group(2));
        if (!quote.group(3).equals(expected)) {
          stale.add(where + "\nthe document has:\n" + quote.group(3) + "the summary has:\n" + expected);
        }
      }
      // A marker the pattern does not read (misspelt, or without its closing marker) would go unchecked.
      assertEquals(MARKER_LINE.matcher(text).results().count(), quotes,
          ROOT.relativize(document) + " has a table marker that is not <!-- table from PATH/summary.md: TITLE -->"
              + " ... <!-- /table -->");
    }
    List<Path> onResultsPage = quotedSummaries.getOrDefault(Path.of(RESULTS_PAGE), List.of());
    for (String grid : List.of("cwru-gaussian", "synthetic")) {
      assertTrue(onResultsPage.contains(Path.of("docs", "results", grid, "summary.md")),
          RESULTS_PAGE + " should quote the " + grid + " summary's tables; quotes found: " + quotedSummaries);
    }
    assertTrue(stale.isEmpty(), "quoted tables differ from the summaries they name (copy the summary's table):\n"
        + String.join("\n", stale));
  }

  /** README.md and every Markdown page under docs/ except the generated ones (summaries, run reports). */
  private static List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md"))
          .filter(f -> !Set.of("summary.md", "report.md").contains(f.getFileName().toString()))
          .sorted()
          .forEach(documents::add);
    }
    return documents;
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
