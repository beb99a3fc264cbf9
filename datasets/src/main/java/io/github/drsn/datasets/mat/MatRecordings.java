package io.github.drsn.datasets.mat;

import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds {@link Recording}s from MAT-files: channels chosen by variable name or pattern, samples
 * checked for NaN/Inf, provenance (file, variable, SHA-256) attached.
 *
 * <pre>{@code
 * Recording r = MatRecordings.load(Path.of("rig/run7.mat"), List.of(Pattern.compile("acc_x")),
 *     "inner", 25_600, new OperatingCondition(0.5, 1500));
 * }</pre>
 */
public final class MatRecordings {

  private MatRecordings() {
  }

  /**
   * Loads one recording whose channels are vectors (or the columns of one matrix) in a MAT-file.
   *
   * @param file the MAT-file
   * @param channelPatterns one pattern per channel, each matching exactly one numeric variable or
   *     struct field (use {@link Pattern#quote} for a literal name); a single pattern that matches an
   *     N x C matrix (N &gt;= C: samples in rows) yields C channels
   * @param label class name
   * @param samplingRate sampling rate in Hz
   * @param condition operating condition
   * @return the recording, id = file name without extension
   * @throws RecordingLoadException if the file cannot be read, a channel is missing or ambiguous, the
   *     channels differ in length, or a sample is NaN/Inf
   */
  public static Recording load(Path file, List<Pattern> channelPatterns, String label, double samplingRate,
      OperatingCondition condition) throws RecordingLoadException {
    if (channelPatterns.isEmpty()) {
      throw new IllegalArgumentException("expected at least one channel pattern for " + file);
    }
    MatContents mat = MatContents.read(file);
    List<String> names = new ArrayList<>();
    List<double[]> channels = new ArrayList<>();
    List<String> variables = new ArrayList<>();
    for (Pattern pattern : channelPatterns) {
      String variable = mat.requireSingleMatch(pattern);
      variables.add(variable);
      int[] dims = mat.dimensions(variable);
      if (channelPatterns.size() == 1 && dims.length == 2 && dims[0] > 1 && dims[1] > 1) {
        if (dims[1] > dims[0]) {
          // Channels in rows (C x N), as MATLAB code often keeps them: column by column it would be N "channels" of C
          // samples each.
          throw new RecordingLoadException(file, "variable " + variable + " is " + dims[0] + "x" + dims[1]
              + ", more channels (columns) than samples (rows); expected samples x channels (N x C): store its"
              + " transpose (" + variable + ".')");
        }
        double[][] columns = mat.columns(variable);
        for (int c = 0; c < columns.length; c++) {
          names.add(variable + "[" + (c + 1) + "]");
          channels.add(columns[c]);
        }
      } else {
        names.add(variable);
        channels.add(mat.vector(variable));
      }
    }
    double[][] samples = channels.toArray(double[][]::new);
    checkSamples(file, names, samples);
    String id = stripExtension(file.getFileName().toString());
    SourceFile source = new SourceFile(file, String.join(",", variables), mat.sha256());
    try {
      return new Recording(id, label, samplingRate, names, samples, condition, source, Map.of());
    } catch (IllegalArgumentException e) {
      throw new RecordingLoadException(file, e.getMessage(), e);
    }
  }

  /**
   * Rejects NaN/Inf samples and channels of unequal length, naming the file, variable and index.
   *
   * @param file the file the samples came from
   * @param names one name per channel
   * @param channels the samples
   * @throws RecordingLoadException on the first problem found
   */
  public static void checkSamples(Path file, List<String> names, double[][] channels) throws RecordingLoadException {
    for (int c = 0; c < channels.length; c++) {
      int bad = Recording.firstNonFinite(channels[c]);
      if (bad >= 0) {
        throw new RecordingLoadException(file, "variable " + names.get(c) + " has " + channels[c][bad]
            + " at sample " + bad + " (0-based); expected finite samples only");
      }
      if (channels[c].length != channels[0].length) {
        throw new RecordingLoadException(file, "variable " + names.get(c) + " has " + channels[c].length
            + " samples but " + names.get(0) + " has " + channels[0].length + "; expected equal lengths");
      }
    }
  }

  static String stripExtension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.substring(0, dot) : fileName;
  }
}
