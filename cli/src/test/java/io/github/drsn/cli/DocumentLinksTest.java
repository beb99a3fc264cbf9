package io.github.drsn.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the hand-written documents (README.md and the Markdown pages under {@code docs/} other
 * than generated summaries and run reports) leads to a file of the checkout, and a {@code #fragment} into a
 * Markdown file names one of its headings, so moving a file or renaming a section cannot leave a dead link.
 */
class DocumentLinksTest {

  /** The target of {@code [text](target)} or {@code ![alt](target)}, up to an optional title. */
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern FENCED_CODE = Pattern.compile("(?ms)^```.*?^```");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\n]*`");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$");

  private static final Path ROOT = repositoryRoot();

  @Test
  void everyRelativeLinkOfTheDocumentsResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path document : documents()) {
      // Code is not Markdown: `[a](b)` inside it is text, and so is a `#` line inside a fenced block.
      String text = CODE_SPAN.matcher(FENCED_CODE.matcher(read(document)).replaceAll("")).replaceAll("``");
      Matcher link = LINK.matcher(text);
      while (link.find()) {
        String target = link.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue;
        }
        links++;
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
        String where = ROOT.relativize(document) + ": (" + target + ")";
        if (!Files.exists(resolved)) {
          broken.add(where + " -> no " + ROOT.relativize(resolved));
        } else if (hash >= 0 && resolved.toString().endsWith(".md")
            && !anchors(resolved).contains(target.substring(hash + 1))) {
          broken.add(where + " -> " + ROOT.relativize(resolved) + " has no heading #" + target.substring(hash + 1));
        }
      }
    }
    assertTrue(links > 20, "expected the README and results pages to link their files, found " + links + " links");
    assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
  private static Set<String> anchors(Path markdown) {
    Set<String> anchors = new HashSet<>();
    Matcher heading = HEADING.matcher(FENCED_CODE.matcher(read(markdown)).replaceAll(""));
    while (heading.find()) {
      String slug = heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      String anchor = slug;
      for (int n = 1; !anchors.add(anchor); n++) {
        anchor = slug + "-" + n;
      }
    }
    return anchors;
  }

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

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no checkout (README.md + docs/) above " + Path.of("").toAbsolutePath());
  }
}
