package io.github.drsn.datasets.cwru;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.ErrorPolicy;
import io.github.drsn.datasets.LoadResult;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.SharedData;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.datasets.Resampler;
import io.github.drsn.signals.Envelope;
import io.github.drsn.signals.Fft;
import io.github.drsn.signals.Spectrum;
import io.github.drsn.signals.bearing.BearingGeometry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Checks the loader against the real files and their MANIFEST.md; skipped when ../shared is absent. */
@Tag("cwru")
class CwruDataTest {

  /** One row of MANIFEST.md's table. */
  private record ManifestRow(String path, int load, double rpm, double fs, int samples, String sha256) {
  }

  private static final Pattern ROW = Pattern.compile(
      "\\| `([^`]+)` \\| [^|]+ \\| [^|]+ \\| (\\d) \\| (\\d+) \\| (\\d+)[^|]* \\| "
          + "X\\d+_DE_time\\((\\d+)\\)[^|]* \\| \\d+ \\| `([0-9a-f]{64})` \\|");

  private static Path dir;
  private static Map<Integer, ManifestRow> manifest;

  @BeforeAll
  static void readManifest() throws IOException {
    dir = SharedData.cwruDirOrSkip();
    manifest = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dir.resolve("MANIFEST.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        String path = m.group(1);
        int number = Integer.parseInt(path.replaceAll(".*/(\\d+)\\.mat", "$1"));
        manifest.put(number, new ManifestRow(path, Integer.parseInt(m.group(2)), Double.parseDouble(m.group(3)),
            Double.parseDouble(m.group(4)), Integer.parseInt(m.group(5)), m.group(6)));
      }
    }
    assertEquals(37, manifest.size(), "rows parsed from MANIFEST.md");
  }

  @Test
  void everyFileLoadsWithTheManifestLengthSpeedRateAndHash() throws IOException {
    CwruLoader loader = new CwruLoader(dir);
    List<String> checked = new ArrayList<>();
    for (Map.Entry<Integer, ManifestRow> e : manifest.entrySet()) {
      ManifestRow row = e.getValue();
      Recording r = loader.load(e.getKey(), List.of(Sensor.DE));
      assertEquals(dir.resolve(row.path()), r.source().orElseThrow().path());
      assertEquals(row.samples(), r.length(), r.id());
      assertEquals(row.rpm(), r.condition().rpm(), r.id());
      assertEquals(row.load(), r.condition().load(), r.id());
      assertEquals(row.fs(), r.samplingRate(), r.id());
      assertEquals(row.sha256(), r.source().orElseThrow().sha256(), r.id());
      checked.add(r.id());
    }
    assertEquals(37, checked.size());
  }

  @Test
  void theWholeFolderLoadsWithBothChannelsAndNothingSkipped() throws IOException {
    long t0 = System.nanoTime();
    LoadResult all = new CwruLoader(dir).loadAll(List.of(Sensor.DE, Sensor.FE), ErrorPolicy.FAIL_FAST);
    System.out.printf("loaded all %d CWRU files (DE+FE) in %.2f s%n", all.recordings().size(),
        (System.nanoTime() - t0) / 1e9);
    assertEquals(37, all.recordings().size());
    assertTrue(all.skipped().isEmpty());
    for (Recording r : all.recordings()) {
      assertEquals(List.of("DE", "FE"), r.channelNames());
      int number = Integer.parseInt(r.attributes().get("cwruFile"));
      assertEquals(manifest.get(number).samples(), r.length(), r.id());
    }
  }

  @Test
  void tenClassTaskHasTheExpectedRecordingsAndWindowCounts() throws IOException {
    long t0 = System.nanoTime();
    Dataset cwru = CwruTasks.tenClass(dir);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(37, cwru.recordings().size());
    assertTrue(cwru.skipped().isEmpty(), cwru.skipped().toString());
    assertEquals(12_000.0, cwru.samplingRate());
    Recording normal = cwru.recordings().get(0);
    assertEquals("normal", normal.label());
    // 243 938 samples at 48 kHz decimated by 4
    assertEquals(60_985, normal.length(), 1);
    assertEquals("48000", normal.attributes().get("resampledFromHz"));
    Map<String, Integer> perClass = cwru.recordingsPerClass();
    assertEquals(1, perClass.get("normal"));
    CwruTasks.TEN_CLASSES.stream().skip(1).forEach(c -> assertEquals(4, perClass.get(c), c));

    WindowedDataset windows = WindowedDataset.cut(cwru, SplitPlan.byTime(), WindowSpec.benchmark());
    int[] train = windows.classCounts(Region.TRAIN);
    int[] validation = windows.classCounts(Region.VALIDATION);
    int[] test = windows.classCounts(Region.TEST);
    // normal: 60 984 samples -> train [0, 42688): (42688-2048)/512+1 = 80; val 6098 -> 2; test 12198 -> 5
    assertEquals(80, train[0]);
    assertEquals(2, validation[0]);
    assertEquals(5, test[0]);
    // expected counts from the MANIFEST lengths: regions [0, .7n), [.7n, .8n), [.8n, n) (floored),
    // floor((regionLength - 2048) / stride) + 1 windows each
    int[][] expected = new int[3][10];
    for (Map.Entry<Integer, ManifestRow> e : manifest.entrySet()) {
      int n = e.getKey() == 97 ? normal.length() : e.getValue().samples();
      int k = CwruTasks.TEN_CLASSES.indexOf(CwruCatalogue.require(e.getKey()).tenClassLabel());
      int trainEnd = (int) Math.floor(0.7 * n);
      int validationEnd = (int) Math.floor(0.8 * n);
      expected[0][k] += (trainEnd - 2048) / 512 + 1;
      expected[1][k] += (validationEnd - trainEnd - 2048) / 2048 + 1;
      expected[2][k] += (n - validationEnd - 2048) / 2048 + 1;
    }
    assertArrayEquals(expected[0], train);
    assertArrayEquals(expected[1], validation);
    assertArrayEquals(expected[2], test);
    for (int k = 1; k < 10; k++) {
      assertTrue(train[k] >= 4 * 162 && train[k] <= 4 * 165, "train " + cwru.classes().get(k) + " " + train[k]);
      assertTrue(validation[k] >= 20 && validation[k] <= 24, "validation " + validation[k]);
      assertTrue(test[k] >= 44 && test[k] <= 48, "test " + test[k]);
    }
    System.out.println("CWRU 10-class task loaded in " + String.format("%.2f", seconds) + " s");
    System.out.println(windows.summary().toJson());
  }

  @Test
  void normalBaselineLinesUpWithItsShaftSpeedAt48kHzAndAfterDecimation() throws IOException {
    Recording normal = new CwruLoader(dir).load(97, List.of(Sensor.DE));
    assertEquals(48_000.0, normal.samplingRate());
    double fr = normal.condition().rpm() / 60;
    double at48k = Fft.amplitudeSpectrum(normal.channel(0), 48_000).peakFrequency(20, 40);
    Recording decimated = Resampler.toRate(normal, 12_000);
    double after = Fft.amplitudeSpectrum(decimated.channel(0), 12_000).peakFrequency(20, 40);
    // read as 12 kHz (the literature's error) the same line would sit at fr / 4
    double misread = Fft.amplitudeSpectrum(normal.channel(0), 12_000).peakFrequency(5, 10);
    System.out.printf("97.mat: shaft %.2f Hz; peak at 48 kHz %.2f Hz, after decimation %.2f Hz, "
        + "misread at 12 kHz %.2f Hz%n",
        fr, at48k, after, misread);
    assertEquals(fr, at48k, 0.2);
    assertEquals(fr, after, 0.2);
    assertEquals(fr / 4, misread, 0.1);
  }

  @Test
  void envelopeSpectraPeakAtTheBearingDefectFrequencies() throws IOException {
    CwruLoader loader = new CwruLoader(dir);
    Recording inner = loader.load(105, List.of(Sensor.DE));
    double bpfi = BearingGeometry.SKF_6205.at(1797).bpfi();
    assertEquals(162.2, bpfi, 0.05);
    assertEquals("162.19", inner.attributes().get("bpfiHz"));
    Spectrum innerEnvelope = Envelope.spectrum(inner.channel(0), inner.samplingRate());
    double innerPeak = innerEnvelope.peakFrequency(100, 250);
    System.out.printf("105.mat envelope peak %.2f Hz, BPFI %.2f Hz%n", innerPeak, bpfi);
    assertEquals(bpfi, innerPeak, 2.0);

    Recording outer = loader.load(130, List.of(Sensor.DE));
    double bpfo = BearingGeometry.SKF_6205.at(1797).bpfo();
    assertEquals(107.4, bpfo, 0.05);
    Spectrum outerEnvelope = Envelope.spectrum(outer.channel(0), outer.samplingRate());
    double outerPeak = outerEnvelope.peakFrequency(60, 250);
    System.out.printf("130.mat envelope peak %.2f Hz, BPFO %.2f Hz%n", outerPeak, bpfo);
    assertEquals(bpfo, outerPeak, 2.0);
  }
}
