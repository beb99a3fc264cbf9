package io.github.drsn.datasets.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.drsn.contract.io.FileFormatException;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.datasets.csv.CsvTable;
import io.github.drsn.datasets.csv.HeaderMode;
import io.github.drsn.datasets.io.WavReader;
import io.github.drsn.datasets.mat.MatContents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the recording readers (docs/fuzzing.md): MAT, CSV and WAV files of arbitrary bytes. In
 * a normal build each target replays its committed inputs; with {@code JAZZER_FUZZ=1} one target fuzzes. A reader
 * may refuse any input, only with its typed error naming the file: anything else is a finding.
 */
class RecordingReadersFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void mat(byte[] input) throws IOException {
    Path file = write(input, ".mat");
    try {
      MatContents.read(file);
    } catch (RecordingLoadException e) {
      assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    } finally {
      Files.delete(file);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void csv(byte[] input) throws IOException {
    Path file = write(input, ".csv");
    try {
      CsvTable.read(file, HeaderMode.AUTO);
    } catch (RecordingLoadException e) {
      assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    } finally {
      Files.delete(file);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void wav(byte[] input) throws IOException {
    Path file = write(input, ".wav");
    try {
      WavReader.read(file);
    } catch (FileFormatException e) {
      assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    } finally {
      Files.delete(file);
    }
  }

  private static Path write(byte[] input, String suffix) throws IOException {
    Path file = Files.createTempFile("fuzz", suffix);
    Files.write(file, input);
    return file;
  }
}
