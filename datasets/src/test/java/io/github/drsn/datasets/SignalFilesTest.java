package io.github.drsn.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sink;
import us.hebi.matlab.mat.types.Sinks;

class SignalFilesTest {

  @TempDir Path dir;

  private Path write(String name, Mat5File mat) throws Exception {
    Path file = dir.resolve(name);
    try (Sink sink = Sinks.newStreamingFile(file.toFile())) {
      Mat5.newWriter(sink).writeMat(mat);
    }
    return file;
  }

  @Test
  void aMatFileWithoutANumericVectorSaysWhatItHolds() throws Exception {
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("note", Mat5.newString("accelerometer on the drive end"));
    Path file = write("text.mat", mat);
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(file, 12_000.0, null));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("no real numeric vector") && e.getMessage().contains("note"), e.getMessage());
  }

  @Test
  void twoVectorsAskForTheChannelOption() throws Exception {
    Mat5File mat = Mat5.newMatFile();
    for (String name : new String[] {"a", "b"}) {
      Matrix m = Mat5.newMatrix(100, 1);
      m.setDouble(3, 1.5);
      mat.addArray(name, m);
    }
    Path file = write("two.mat", mat);
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> SignalFiles.read(file, 12_000.0, null));
    assertTrue(e.getMessage().contains("--channel"), e.getMessage());
    assertEquals(1.5, SignalFiles.read(file, 12_000.0, "b").samples()[3]);
  }
}
