package io.github.drsn.spark;

import io.github.drsn.datasets.SignalFiles;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The recordings a scoring job reads, listed on the driver with their sizes (for {@link SizePartitions}); the
 * executors read the files themselves, so the paths must be visible to every executor (a shared file system).
 */
public final class RecordingInputs {

  /**
   * A recording and its size in bytes.
   *
   * @param path its path, absolute
   * @param bytes its size
   * @param rpm its shaft speed when a list file gives one ({@code rpm=R} after the path), else null
   */
  public record Sized(String path, long bytes, Double rpm) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A recording without a stated speed. */
    public Sized(String path, long bytes) {
      this(path, bytes, null);
    }
  }

  /** A list file's line: a path, then optionally blanks and {@code rpm=R}. */
  private static final java.util.regex.Pattern LISTED = java.util.regex.Pattern.compile("(.*?)\\s+rpm=(\\S+)");

  private static final String TYPES = "(" + String.join(", ", SignalFiles.RECORDING_TYPES) + ")";

  private RecordingInputs() {
  }

  /**
   * The recordings {@code input} names, sorted by path:
   * <ul>
   *   <li>a folder: every recording under it (recursively), by {@link SignalFiles#isRecordingName}: .mat, .csv, .txt
   *       (CSV text, as {@code drsn predict} reads it) and .wav;</li>
   *   <li>a glob ({@code *}, {@code ?}, {@code [..]} or <code>{a,b}</code> in it): the files matching it, e.g.
   *       {@code data/2026-*&#47;*.wav};</li>
   *   <li>a list file ({@code .txt} or {@code .list}): one recording path per line, relative to the list's folder,
   *       optionally followed by the recording's shaft speed as {@code rpm=R} (for an order-domain model), blank lines
   *       and lines starting with {@code #} ignored;</li>
   *   <li>a single recording.</li>
   * </ul>
   *
   * @throws IllegalArgumentException if nothing exists at {@code input}, it names no recording, a listed file is
   *     missing or a listed speed is not a finite positive number (the message names the input and what was expected)
   */
  public static List<Sized> list(String input) throws IOException {
    List<Path> paths;
    Map<Path, Double> speeds = Map.of();
    Path path = Path.of(input);
    if (Files.isDirectory(path)) {
      try (Stream<Path> walk = Files.walk(path)) {
        paths = walk.filter(Files::isRegularFile).filter(RecordingInputs::isRecording).toList();
      }
    } else if (input.matches(".*[*?\\[{].*")) {
      paths = glob(input);
    } else if (Files.isRegularFile(path) && lower(path).matches(".*\\.(txt|list)")) {
      speeds = new java.util.HashMap<>();
      paths = listFile(path, speeds);
    } else if (Files.isRegularFile(path) && isRecording(path)) {
      paths = List.of(path);
    } else {
      throw new IllegalArgumentException(input + ": " + (Files.exists(path) ? "not a recording " + TYPES
          : "no such file or folder") + "; expected a folder of recordings, a glob such as 'data/*.wav', a list"
          + " file (.txt, one recording per line) or a recording");
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException(input + ": no recording " + TYPES + " found");
    }
    List<Sized> sized = new ArrayList<>();
    for (Path p : paths) {
      sized.add(new Sized(p.toAbsolutePath().normalize().toString(), Files.size(p), speeds.get(p)));
    }
    sized.sort(java.util.Comparator.comparing(Sized::path));
    return List.copyOf(sized);
  }

  private static List<Path> glob(String input) throws IOException {
    // Walk from the deepest folder before the first wildcard; match the whole path against the pattern.
    String prefix = input.substring(0, input.replaceAll("[*?\\[{].*", "").lastIndexOf('/') + 1);
    Path base = Path.of(prefix.isEmpty() ? "." : prefix);
    if (!Files.isDirectory(base)) {
      throw new IllegalArgumentException(input + ": folder " + base + " does not exist");
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + (prefix.isEmpty() ? "./" : "") + input);
    try (Stream<Path> walk = Files.walk(base)) {
      return walk.filter(Files::isRegularFile).filter(matcher::matches).toList();
    }
  }

  /** The list's recordings; their stated speeds go into {@code speeds}. */
  private static List<Path> listFile(Path list, Map<Path, Double> speeds) throws IOException {
    Path base = list.toAbsolutePath().getParent();
    List<Path> paths = new ArrayList<>();
    int number = 0;
    for (String line : Files.readAllLines(list)) {
      number++;
      String entry = line.strip();
      if (entry.isEmpty() || entry.startsWith("#")) {
        continue;
      }
      Double rpm = null;
      java.util.regex.Matcher m = LISTED.matcher(entry);
      if (m.matches()) {
        entry = m.group(1);
        try {
          rpm = Double.parseDouble(m.group(2));
        } catch (NumberFormatException e) {
          rpm = Double.NaN;
        }
        if (!(rpm > 0) || rpm.isInfinite()) {
          throw new IllegalArgumentException(list + ", line " + number + ": rpm=" + m.group(2) + " is not a shaft"
              + " speed; expected a finite number > 0 of revolutions per minute");
        }
      }
      Path p = base.resolve(entry);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(list + ", line " + number + ": " + entry + " is not a file");
      }
      paths.add(p);
      if (rpm != null) {
        speeds.put(p, rpm);
      }
    }
    return paths;
  }

  private static boolean isRecording(Path p) {
    return SignalFiles.isRecordingName(p);
  }

  private static String lower(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT);
  }
}
