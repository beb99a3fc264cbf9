package io.github.drsn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.drsn.datasets.SignalFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the Spark scorer decides something itself that {@code drsn predict} leaves to the runtime's readers: which
 * files are recordings. No Spark session: {@link RecordingInputs#list} is what the driver runs.
 */
class ScorerParityTest {

  @TempDir
  Path dir;

  /**
   * SignalFiles reads {@code .txt} as CSV (SignalFiles.isCsv: {@code .csv} or {@code .txt}), so
   * {@code drsn predict --rate 12000 pump.txt} diagnoses it; the scorer's own list of types
   * (.mat, .csv, .wav in RecordingInputs) left it out of a folder (the job failed with "no recording found"
   * here, and in a mixed folder the file silently got no row). Both now ask SignalFiles.isRecordingName; a .txt given
   * as {@code --input} itself stays a list file, as docs/spark.md says.
   */
  @Test
  void aTxtRecordingThatPredictReadsIsScoredByTheJob() throws Exception {
    StringBuilder csv = new StringBuilder("accel\n");
    for (int i = 0; i < 1600; i++) {
      csv.append(String.format(Locale.ROOT, "%.6f%n", Math.sin(2 * Math.PI * 157 * i / 12_000.0)));
    }
    Path in = Files.createDirectories(dir.resolve("archive"));
    Path txt = Files.writeString(in.resolve("pump.txt"), csv);
    Files.writeString(in.resolve("other.csv"), csv);
    // predict's read of it (PredictCommand.java:159-160, SignalFiles.readDescribed): 1,600 samples at 12 kHz.
    assertEquals(1600, SignalFiles.readDescribed(txt, 12_000.0, null).signal().samples().length);

    List<String> listed = RecordingInputs.list(in.toString()).stream().map(RecordingInputs.Sized::path).toList();
    assertEquals(List.of(in.resolve("other.csv").toString(), txt.toString()), listed,
        "every recording predict diagnoses in the folder gets a row");
  }
}
