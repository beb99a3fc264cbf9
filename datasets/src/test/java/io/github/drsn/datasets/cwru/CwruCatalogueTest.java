package io.github.drsn.datasets.cwru;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.ErrorPolicy;
import io.github.drsn.datasets.RecordingLoadException;
import io.github.drsn.signals.bearing.BearingGeometry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;

class CwruCatalogueTest {

  @TempDir
  Path dir;

  @Test
  void geometryReproducesThePublishedDefectOrders() {
    // MANIFEST.md: BPFI = 5.4152 fr, BPFO = 3.5848 fr, BSF = 2.3568 fr, FTF = 0.39828 fr (SKF 6205)
    BearingGeometry de = BearingGeometry.SKF_6205;
    assertEquals(5.4152, de.bpfiOrder(), 2e-4);
    assertEquals(3.5848, de.bpfoOrder(), 2e-4);
    assertEquals(2.3568, de.bsfOrder(), 2e-4);
    assertEquals(0.39828, de.ftfOrder(), 5e-5);
    // CWRU fan-end SKF 6203: BPFI 4.9469, BPFO 3.0530, BSF 1.9953, FTF 0.3817
    BearingGeometry fe = BearingGeometry.SKF_6203;
    assertEquals(4.9469, fe.bpfiOrder(), 2e-4);
    assertEquals(3.0530, fe.bpfoOrder(), 2e-4);
    assertEquals(1.9953, fe.bsfOrder(), 2e-3); // the published table differs from the formula by 0.08 %
    assertEquals(0.3817, fe.ftfOrder(), 2e-4);
    BearingGeometry.DefectFrequencies f = de.at(1797);
    assertEquals(29.95, f.shaft(), 1e-9);
    assertEquals(162.19, f.bpfi(), 0.01);
    assertEquals(107.36, f.bpfo(), 0.01);
    assertThrows(IllegalArgumentException.class, () -> de.at(0));
  }

  @Test
  void catalogueKnowsTheQuirksAndLabels() {
    CwruFile normal = CwruCatalogue.require(97);
    assertEquals(48_000.0, normal.samplingRate());
    assertEquals("normal", normal.tenClassLabel());
    CwruFile ir = CwruCatalogue.require(105);
    assertEquals(FaultType.INNER_RACE, ir.fault());
    assertEquals(0, ir.loadHp());
    assertEquals(12_000.0, ir.samplingRate());
    assertEquals("IR007", ir.tenClassLabel());
    assertEquals(173, CwruCatalogue.require(174).variableNumber());
    assertEquals(48_000.0, CwruCatalogue.require(174).samplingRate());
    assertEquals(56, CwruCatalogue.require(3001).variableNumber());
    assertEquals(51, CwruCatalogue.require(3008).variableNumber());
    assertEquals("OR021", CwruCatalogue.require(247).tenClassLabel());
    assertEquals("OR021@3", CwruCatalogue.require(247).detailedLabel());
    assertEquals(BearingEnd.FAN_END, CwruCatalogue.require(278).faultyBearing());
    assertEquals(BearingGeometry.SKF_6203, CwruCatalogue.require(278).geometry());
    assertEquals(1, CwruCatalogue.require(158).loadHp());
    assertTrue(CwruCatalogue.find(157).isEmpty());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CwruCatalogue.require(999));
    assertTrue(e.getMessage().contains("unknown CWRU file number 999"), e.getMessage());
  }

  private static Matrix column(int n, double value) {
    Matrix m = Mat5.newMatrix(n, 1);
    for (int i = 0; i < n; i++) {
      m.setDouble(i, value + Math.sin(i));
    }
    return m;
  }

  @Test
  void renamedVariablesWithoutRpmUseTheSingleMatchAndTheNominalSpeed() throws IOException {
    // 3001.mat holds X056_DE_time and no RPM variable
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("X056_DE_time", column(5000, 0));
    Mat5.writeToFile(mat, dir.resolve("3001.mat").toFile());
    var r = new CwruLoader(dir).load(3001, List.of(Sensor.DE));
    assertEquals(5000, r.length());
    assertEquals(1797.0, r.condition().rpm());
    assertTrue(r.attributes().get("rpmSource").startsWith("catalogue"), r.attributes().toString());
    assertEquals("X056_DE_time", r.source().orElseThrow().variable());
    assertEquals("IR028", r.label());
  }

  @Test
  void missingFilesMissingChannelsAndUnknownNumbersAreReportedNotDropped() throws IOException {
    Mat5File feOnly = Mat5.newMatFile();
    feOnly.addArray("X118_FE_time", column(3000, 0));
    feOnly.addArray("X118RPM", Mat5.newScalar(1796));
    Files.createDirectories(dir.resolve("sub"));
    Mat5.writeToFile(feOnly, dir.resolve("sub").resolve("118.mat").toFile());
    Mat5File good = Mat5.newMatFile();
    good.addArray("X105_DE_time", column(3000, 0));
    good.addArray("X105RPM", Mat5.newScalar(1797));
    Mat5.writeToFile(good, dir.resolve("105.mat").toFile());

    CwruLoader loader = new CwruLoader(dir);
    RecordingLoadException missingChannel = assertThrows(RecordingLoadException.class,
        () -> loader.load(118, List.of(Sensor.DE)));
    assertTrue(missingChannel.getMessage().contains("118.mat") && missingChannel.getMessage().contains("_DE_time"),
        missingChannel.getMessage());

    Map<Integer, String> labels = new LinkedHashMap<>();
    labels.put(105, "IR007");
    labels.put(118, "B007");
    labels.put(130, "OR007");
    labels.put(999, "IR007");
    List<String> classes = List.of("IR007", "B007", "OR007");
    RecordingLoadException first = assertThrows(RecordingLoadException.class,
        () -> loader.dataset("t", classes, labels, List.of(Sensor.DE), 12_000, ErrorPolicy.FAIL_FAST));
    assertTrue(first.getMessage().contains("118.mat"), first.getMessage());

    Dataset partial = loader.dataset("t", classes, labels, List.of(Sensor.DE), 12_000, ErrorPolicy.SKIP_AND_REPORT);
    assertEquals(1, partial.recordings().size());
    assertEquals(3, partial.skipped().size(), partial.skipped().toString());
    assertTrue(partial.skipped().get(1).reason().contains("not found"), partial.skipped().toString());
    assertTrue(partial.skipped().get(2).reason().contains("unknown CWRU file number 999"),
        partial.skipped().toString());
  }
}
