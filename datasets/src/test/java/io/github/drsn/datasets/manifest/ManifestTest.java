package io.github.drsn.datasets.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.ErrorPolicy;
import io.github.drsn.datasets.OperatingCondition;
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

/** JSON and CSV manifests: mapping CSV and MAT files to labels and conditions, resampling, and manifest errors. */
class ManifestTest {

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
            {"file": "data/f.csv", "label": "fault", "load": 1, "rpm": 1480, "channels": ["2"], "header": "ABSENT"},
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
  void aJsonManifestNamesTheBearingPerRecordingAndARejectedOneIsNamed() throws IOException {
    write("a.csv", rows(300, ","));
    write("b.csv", rows(301, ","));
    Path manifest = write("bearings.json", """
        {"samplingRate": 2000, "recordings": [
          {"file": "a.csv", "label": "inner", "bearing": "skf-6205"},
          {"file": "b.csv", "label": "outer", "bearing": "9,7.94,39.04,0"}
        ]}
        """);
    Dataset d = Manifest.load(manifest, ErrorPolicy.FAIL_FAST);
    assertEquals("skf-6205", d.recordings().get(0).attributes().get(Manifest.BEARING_ATTRIBUTE));
    String geometry = d.recordings().get(1).attributes().get(Manifest.BEARING_ATTRIBUTE);
    assertEquals(4.5 * (1 + 7.94 / 39.04), io.github.drsn.signals.bearing.BearingCatalogue.resolve(geometry)
        .bpfiOrder(), 1e-12);
    Path bad = write("bad-bearing.json", """
        {"samplingRate": 2000, "recordings": [{"file": "a.csv", "label": "inner", "bearing": "6310"}]}
        """);
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> Manifest.load(bad,
        ErrorPolicy.FAIL_FAST));
    assertTrue(e.getMessage().contains("recording #1 (a.csv): \"bearing\": unknown bearing '6310'"), e.getMessage());
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

  @Test
  void recordingsOutsideTheManifestsFolderAreRefusedUnlessAllowed() throws IOException {
    Path secret = write("secret/creds.csv", "password\nhunter2\n");
    Path manifests = dir.resolve("m");
    Files.createDirectories(manifests);
    for (String file : new String[] {"../secret/creds.csv", secret.toString()}) {
      Path manifest = Files.writeString(manifests.resolve("x.csv"),
          "file,label,samplingRate\n" + file + ",a,1000\n");
      RecordingLoadException e = assertThrows(RecordingLoadException.class,
          () -> Manifest.load(manifest, ErrorPolicy.FAIL_FAST));
      assertTrue(e.getMessage().contains("outside the manifest's folder"), e.getMessage());
      assertTrue(!e.getMessage().contains("hunter2"), "no file contents in the message: " + e.getMessage());
    }
    Path manifest = Files.writeString(manifests.resolve("y.csv"), "file,label,samplingRate\n../secret/creds.csv,a,1000\n");
    RecordingLoadException parsed = assertThrows(RecordingLoadException.class,
        () -> Manifest.load(manifest, ErrorPolicy.FAIL_FAST, true));
    assertTrue(parsed.getMessage().contains("creds.csv"), "allowed, then read: " + parsed.getMessage());
  }

  @Test
  void oneRecordingListedTwiceIsRefusedWhateverItsLabels() throws IOException {
    write("r.csv", rows(300, ","));
    Path manifest = write("twice.csv", "file,label,samplingRate\nr.csv,healthy,1000\nr.csv,faulty,1000\n");
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> Manifest.load(manifest, ErrorPolicy.FAIL_FAST));
    assertTrue(e.getMessage().contains("recording #2") && e.getMessage().contains("two classes"), e.getMessage());
  }

  @Test
  void aCopyOfARecordingUnderAnotherNameIsRefusedNamingBoth() throws IOException {
    // Whole recordings go to one split with --split recording: a copy and its original in training and test would
    // test the network on windows it trained on, and report the inflated accuracy as a result.
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    StringBuilder samples = new StringBuilder("acc\n");
    for (int i = 0; i < 300; i++) {
      samples.append(random.nextGaussian()).append('\n');
    }
    write("a.csv", samples.toString());
    write("b.csv", rows(300, ","));
    write("more/a-copy.csv", samples.toString());
    assertRefused(write("copy.json", "{\"samplingRate\": 1000, \"recordings\": [{\"file\": \"a.csv\", \"label\": \"x\"},"
        + " {\"file\": \"b.csv\", \"label\": \"x\", \"channels\": [\"col2\"]},"
        + " {\"file\": \"more/a-copy.csv\", \"label\": \"x\"}]}"),
        "recording #3 (a-copy.csv, label x) holds the same samples as recording #1 (a.csv, label x)");

    // One column chosen by name in one entry and by position in another: other "channels", the same samples.
    write("c.csv", samples.toString());
    assertRefused(write("twice.json", "{\"samplingRate\": 1000, \"recordings\": ["
        + "{\"file\": \"c.csv\", \"label\": \"x\", \"channels\": [\"acc\"]},"
        + " {\"file\": \"c.csv\", \"label\": \"y\", \"channels\": [\"1\"], \"id\": \"c-again\"}]}"),
        "recording #2 (c.csv, label y) holds the same samples as recording #1 (c.csv, label x)");
  }

  /** Loading fails, even when unreadable recordings may be skipped, with a message holding {@code expected}. */
  private static void assertRefused(Path manifest, String expected) {
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> Manifest.load(manifest, ErrorPolicy.SKIP_AND_REPORT));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void anAbsurdResamplingRateIsRefusedBeforeAnythingIsAllocated() throws IOException {
    write("r.csv", rows(300, ","));
    Path manifest = write("fast.json", "{\"resampleTo\": 12000000, \"samplingRate\": 1000,"
        + " \"recordings\": [{\"file\": \"r.csv\", \"label\": \"a\"}]}");
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> Manifest.load(manifest, ErrorPolicy.FAIL_FAST));
    assertTrue(e.getMessage().contains("resampleTo") && e.getMessage().contains("10000000"), e.getMessage());
  }

  @Test
  void aJsonSyntaxErrorQuotesAShortEscapedExcerpt() throws IOException {
    Path manifest = write("bad.json", "{\"recordings\": [" + "x".repeat(5000) + "]}");
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> Manifest.load(manifest, ErrorPolicy.FAIL_FAST));
    assertTrue(e.getMessage().contains("line 1") && e.getMessage().length() < 400, e.getMessage());
  }

  @Test
  void aTimeColumnIsNoChannelAndMustAgreeWithTheRate() throws IOException {
    StringBuilder text = new StringBuilder("time,acc\n");
    for (int i = 0; i < 400; i++) {
      text.append(i / 1000.0).append(',').append(Math.cos(i)).append('\n');
    }
    write("timed.csv", text.toString());
    Dataset d = Manifest.load(write("ok.csv", "file,label,samplingRate\ntimed.csv,a,1000\n"), ErrorPolicy.FAIL_FAST);
    assertEquals(List.of("acc"), d.recordings().get(0).channelNames());
    assertEquals(Math.cos(7), d.recordings().get(0).channel(0)[7]);
    Path wrong = write("wrong.csv", "file,label,samplingRate\ntimed.csv,a,2000\n");
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> Manifest.load(wrong, ErrorPolicy.FAIL_FAST));
    assertTrue(e.getMessage().contains("timed.csv: the rate 2000 Hz given disagrees with column time, which rises by"
        + " 0.001 a row: 1000 Hz if in seconds"), e.getMessage());
  }
}
