package io.github.drsn.datasets.cwru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.RecordingLoadException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;

/** CWRU files on disk whose variables belong to another catalogued file: a renamed file is not trained under a label. */
class CwruLoaderTest {

  @TempDir Path dir;

  /** {@code <file>.mat} holding {@code X<variables>_DE_time} (a 1 kHz tone) and {@code X<variables>RPM}. */
  private void write(int file, String variables) throws IOException {
    write(file, variables, variables);
  }

  /** {@code <file>.mat} holding {@code X<channel>_DE_time} (a 1 kHz tone) and {@code X<rpm>RPM}. */
  private void write(int file, String channel, String rpm) throws IOException {
    Matrix signal = Mat5.newMatrix(4096, 1);
    for (int i = 0; i < 4096; i++) {
      signal.setDouble(i, Math.sin(2 * Math.PI * 1000 * i / 12_000.0));
    }
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("X" + channel + "_DE_time", signal);
    mat.addArray("X" + rpm + "RPM", Mat5.newScalar(1797));
    Mat5.writeToFile(mat, dir.resolve(file + ".mat").toFile());
  }

  @Test
  void aFileHoldingTheVariablesOfAnotherCataloguedFileIsRefusedNamingBoth() throws IOException {
    // 105.mat (inner race, 0.007") saved as 130.mat (outer race @6:00, 0.007"): its windows would train OR007.
    write(130, "105");
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> new CwruLoader(dir).load(130, List.of(Sensor.DE)));
    assertTrue(e.getMessage().contains("130.mat holds X105_DE_time, a variable of CWRU file 105 (IR007), not of file"
        + " 130 (OR007)"), e.getMessage());
  }

  @Test
  void aVariableNumberTheCatalogueDoesNotKnowIsStillReadAsTheOnlyCandidate() throws IOException {
    // Quirks beyond the catalogue's (a file re-saved with its variables renumbered) keep loading.
    write(130, "9130");
    Recording r = new CwruLoader(dir).load(130, List.of(Sensor.DE));
    assertEquals("OR007", r.label());
    assertEquals(4096, r.length());
  }

  @Test
  void aFileWhoseOwnChannelIsPresentIsNotRefusedForAnRpmVariableOfAnotherNumber() throws IOException {
    // X130_DE_time shows the file is 130.mat; a speed saved under another number (X105RPM) is another file's speed,
    // left out for the nominal one, not a reason to refuse the recording as renamed (a review found it refused).
    write(130, "130", "105");
    Recording r = new CwruLoader(dir).load(130, List.of(Sensor.DE));
    assertEquals("OR007", r.label());
    assertEquals("catalogue nominal speed (the file has no RPM variable of its own)", r.attributes().get("rpmSource"));
    assertEquals(4096, r.length());
  }
}
