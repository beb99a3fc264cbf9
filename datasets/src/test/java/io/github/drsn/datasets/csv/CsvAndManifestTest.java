package io.github.drsn.datasets.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.ErrorPolicy;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.RecordingLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Struct;

class CsvAndManifestTest {

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private static String rows(int n, String delimiter) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i * 0.5).append(delimiter).append(-i).append('\n');
    }
    return b.toString();
  }

  @Test
  void headerDelimitersAndTrailingEmptyRows() throws IOException {
    Path withHeader = write("a.csv", "# rig 3\n\"acc_x\",acc_y\n1.5,2\n-3e-2,4\n\n\n  \n");
    CsvTable a = CsvTable.read(withHeader, HeaderMode.AUTO);
    assertEquals(List.of("acc_x", "acc_y"), a.columnNames());
    assertArrayEquals(new double[] {1.5, -0.03}, a.columns()[0]);
    assertEquals(2, a.rows());

    CsvTable b = CsvTable.read(write("b.tsv", "1\t2\n3\t4\n"), HeaderMode.AUTO);
    assertEquals(List.of("col1", "col2"), b.columnNames());
    assertArrayEquals(new double[] {2, 4}, b.columns()[1]);

    CsvTable c = CsvTable.read(write("c.txt", "  1.0   2.0\n3.0 4.0\n"), HeaderMode.ABSENT);
    assertArrayEquals(new double[] {1, 3}, c.columns()[0]);

    CsvTable european = CsvTable.read(write("eu.csv", "\uFEFFzeit;acc\n0,5;1,25\n1,0;-2,5\n"), HeaderMode.AUTO);
    assertEquals(List.of("zeit", "acc"), european.columnNames());
    assertArrayEquals(new double[] {1.25, -2.5}, european.columns()[1]);

    CsvTable d = CsvTable.read(write("d.csv", "1;2\n3;4\n"), HeaderMode.AUTO);
    assertArrayEquals(new double[] {3, 4}, new double[] {d.columns()[0][1], d.columns()[1][1]});

    Recording r = CsvRecordings.load(withHeader, "healthy", 25_600, List.of("acc_y"), new OperatingCondition(0.5, 1500),
        HeaderMode.AUTO);
    assertEquals(List.of("acc_y"), r.channelNames());
    assertArrayEquals(new double[] {2, 4}, r.channel(0));
    Recording byPosition = CsvRecordings.load(withHeader, "healthy", 25_600, List.of("2"), OperatingCondition.UNKNOWN,
        HeaderMode.AUTO);
    assertArrayEquals(new double[] {2, 4}, byPosition.channel(0));
  }

  @Test
  void badCsvInputNamesTheFileLineAndColumn() throws IOException {
    Path nan = write("nan.csv", "x,y\n1,2\n3,NaN\n");
    RecordingLoadException e1 = assertThrows(RecordingLoadException.class, () -> CsvTable.read(nan, HeaderMode.AUTO));
    assertTrue(e1.getMessage().startsWith(nan.toString()) && e1.getMessage().contains("line 3, column 2"),
        e1.getMessage());

    Path text = write("text.csv", "1,2\n3,abc\n");
    RecordingLoadException e2 = assertThrows(RecordingLoadException.class, () -> CsvTable.read(text, HeaderMode.AUTO));
    assertTrue(e2.getMessage().contains("\"abc\" is not a number"), e2.getMessage());

    Path ragged = write("ragged.csv", "1,2\n3\n");
    RecordingLoadException e3 = assertThrows(RecordingLoadException.class,
        () -> CsvTable.read(ragged, HeaderMode.AUTO));
    assertTrue(e3.getMessage().contains("line 2 has 1 fields, expected 2"), e3.getMessage());

    Path gap = write("gap.csv", "1,2\n\n3,4\n");
    RecordingLoadException e4 = assertThrows(RecordingLoadException.class, () -> CsvTable.read(gap, HeaderMode.AUTO));
    assertTrue(e4.getMessage().contains("line 2 is empty"), e4.getMessage());

    Path missing = dir.resolve("missing.csv");
    RecordingLoadException e5 = assertThrows(RecordingLoadException.class,
        () -> CsvTable.read(missing, HeaderMode.AUTO));
    assertTrue(e5.getMessage().contains("does not exist"), e5.getMessage());

    Path ok = write("ok.csv", "x,y\n1,2\n");
    RecordingLoadException e6 = assertThrows(RecordingLoadException.class, () -> CsvRecordings.load(ok, "a", 100,
        List.of("z"), OperatingCondition.UNKNOWN, HeaderMode.AUTO));
    assertTrue(e6.getMessage().contains("no column z") && e6.getMessage().contains("[x, y]"), e6.getMessage());
  }

  private void writeMat(String name) throws IOException {
    Matrix signal = Mat5.newMatrix(400, 1);
    for (int i = 0; i < 400; i++) {
      signal.setDouble(i, Math.cos(i));
    }
    Struct run = Mat5.newStruct();
    run.set("acc", signal);
    run.set("fs", Mat5.newScalar(1000));
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("run", run);
    Mat5.writeToFile(mat, dir.resolve(name).toFile());
  }

  @Test
  void jsonManifestMapsCsvAndMatFilesToLabelsAndConditions() throws IOException {
    write("data/h.csv", "acc\n" + rows(500, ",").lines().map(l -> l.split(",")[0]).reduce("", (s, l) -> s + l + "\n"));
    write("data/f.csv", rows(500, ","));
    writeMat("data/f2.mat");
    Path manifest = write("set.json", """
        {
          "name": "bench",
          "samplingRate": 1000,
          "classes": ["healthy", "fault"],
          "recordings": [
            {"file": "data/h.csv", "label": "healthy", "load": 0, "rpm": 1500, "channels": ["acc"]},
            {"file": "data/f.csv", "label": "fault", "load": 1, "rpm": 1480, "channels": ["1"], "header": "ABSENT"},
            {"file": "data/f2.mat", "label": "fault", "load": 1, "channels": ["run\\\\.acc"],
             "samplingRateVariable": "run.fs"}
          ]
        }
        """);
    Dataset d = Manifest.load(manifest, ErrorPolicy.FAIL_FAST);
    assertEquals("bench", d.name());
    assertEquals(List.of("healthy", "fault"), d.classes());
    assertEquals(3, d.recordings().size());
    assertEquals(new OperatingCondition(1, 1480), d.recordings().get(1).condition());
    assertEquals(500, d.recordings().get(1).length());
    assertEquals(400, d.recordings().get(2).length());
    assertEquals(1000.0, d.recordings().get(2).samplingRate());
    assertEquals(-499.0 * 0 + 249.5, d.recordings().get(0).channel(0)[499]);
  }

  @Test
  void jsonManifestResamplesToACommonRate() throws IOException {
    StringBuilder fast = new StringBuilder("v\n");
    StringBuilder slow = new StringBuilder("v\n");
    for (int i = 0; i < 4000; i++) {
      fast.append(Math.sin(2 * Math.PI * 50 * i / 2000.0)).append('\n');
    }
    for (int i = 0; i < 2000; i++) {
      slow.append(Math.sin(2 * Math.PI * 50 * i / 1000.0)).append('\n');
    }
    write("fast.csv", fast.toString());
    write("slow.csv", slow.toString());
    Path manifest = write("rates.json", """
        {"resampleTo": 1000, "recordings": [
          {"file": "fast.csv", "label": "a", "samplingRate": 2000},
          {"file": "slow.csv", "label": "b", "samplingRate": 1000}]}""");
    Dataset d = Manifest.load(manifest, ErrorPolicy.FAIL_FAST);
    assertEquals(1000.0, d.samplingRate());
    assertEquals(2000, d.recordings().get(0).length(), 1);
    assertEquals("2000", d.recordings().get(0).attributes().get("resampledFromHz"));
    // the 50 Hz tone survives the anti-aliased decimation
    double[] x = d.recordings().get(0).channel(0);
    double peak = io.github.drsn.signals.Fft.amplitudeSpectrum(java.util.Arrays.copyOfRange(x, 500, 1500), 1000)
        .peakFrequency(1, 499);
    assertEquals(50, peak, 1.0);
  }

  @Test
  void csvManifestSkipsAndReportsUnreadableFiles() throws IOException {
    write("a.csv", rows(300, ","));
    write("b.csv", "1,2\n3,Inf\n");
    Path manifest = write("set.csv", """
        # my rig
        file,label,samplingRate,load,rpm,channels
        a.csv,healthy,2000,0,1500,col1|col2
        b.csv,inner,2000,0,1500,
        gone.csv,inner,2000,1,1500,
        """);
    Dataset d = Manifest.load(manifest, ErrorPolicy.SKIP_AND_REPORT);
    assertEquals(List.of("healthy", "inner"), d.classes());
    assertEquals(1, d.recordings().size());
    assertEquals(2, d.recordings().get(0).channelCount());
    assertEquals(2, d.skipped().size());
    assertTrue(d.skipped().get(0).source().endsWith("b.csv") && d.skipped().get(0).reason().contains("not finite"),
        d.skipped().toString());
    assertTrue(d.skipped().get(1).reason().contains("does not exist"), d.skipped().toString());
    RecordingLoadException strict = assertThrows(RecordingLoadException.class,
        () -> Manifest.load(manifest, ErrorPolicy.FAIL_FAST));
    assertTrue(strict.getMessage().contains("b.csv"), strict.getMessage());
  }

  @Test
  void manifestMistakesAlwaysFailNamingTheEntry() throws IOException {
    write("a.csv", rows(300, ","));
    Path unknownClass = write("m1.json", """
        {"classes": ["x"], "samplingRate": 10, "recordings": [{"file": "a.csv", "label": "y"}]}""");
    RecordingLoadException e1 = assertThrows(RecordingLoadException.class,
        () -> Manifest.load(unknownClass, ErrorPolicy.SKIP_AND_REPORT));
    assertTrue(e1.getMessage().contains("label y, expected one of the declared classes [x]"), e1.getMessage());

    Path noRate = write("m2.json", """
        {"recordings": [{"file": "a.csv", "label": "y"}]}""");
    RecordingLoadException e2 = assertThrows(RecordingLoadException.class,
        () -> Manifest.load(noRate, ErrorPolicy.SKIP_AND_REPORT));
    assertTrue(e2.getMessage().contains("recording #1") && e2.getMessage().contains("samplingRate"), e2.getMessage());

    Path typo = write("m3.json", """
        {"samplingRate": 10, "recordings": [{"file": "a.csv", "lable": "y"}]}""");
    RecordingLoadException e3 = assertThrows(RecordingLoadException.class,
        () -> Manifest.load(typo, ErrorPolicy.SKIP_AND_REPORT));
    assertTrue(e3.getMessage().contains("unknown field \"lable\""), e3.getMessage());

    Path broken = write("m4.json", "{\"recordings\": [");
    RecordingLoadException e4 = assertThrows(RecordingLoadException.class,
        () -> Manifest.load(broken, ErrorPolicy.SKIP_AND_REPORT));
    assertTrue(e4.getMessage().contains("not valid JSON"), e4.getMessage());

    write("b.csv", rows(300, ","));
    Path mixedRates = write("m5.csv", "file,label,samplingRate\na.csv,x,100\nb.csv,y,200\n");
    RecordingLoadException e5 = assertThrows(RecordingLoadException.class,
        () -> Manifest.load(mixedRates, ErrorPolicy.FAIL_FAST));
    assertTrue(e5.getMessage().contains("different sampling rates"), e5.getMessage());
  }
}
