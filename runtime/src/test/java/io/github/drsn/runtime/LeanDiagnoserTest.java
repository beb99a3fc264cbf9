package io.github.drsn.runtime;

import io.github.drsn.contract.BundleFormatException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeanDiagnoserTest {

  @TempDir Path dir;

  @Test
  void loadsAndClassifiesWithProbabilitiesThatSumToOne() throws Exception {
    LeanDiagnoser d = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 1));
    assertEquals(TestBundles.CLASSES, d.classes());
    assertEquals(12_000, d.inputSpec().samplingRate());
    assertEquals("drsn-cw", d.architecture());
    Diagnosis r = d.classify(TestBundles.signal(512, 12_000, 3));
    assertEquals(Diagnosis.Outcome.CLASSIFIED, r.outcome());
    double sum = 0;
    for (float p : r.probabilities()) {
      assertTrue(p > 0 && p < 1, "probability " + p);
      sum += p;
    }
    assertEquals(1.0, sum, 1e-5);
    assertEquals(TestBundles.CLASSES.get(r.labelIndex()), r.label());
    assertEquals(Diagnosis.argMax(r.probabilities()), r.labelIndex());
  }

  @Test
  void batchEqualsOneByOneAndScaleDoesNotMatterAfterZScore() throws Exception {
    LeanDiagnoser d = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 2));
    float[][] windows = new float[6][];
    for (int n = 0; n < windows.length; n++) {
      windows[n] = TestBundles.signal(512, 12_000, 10 + n);
    }
    Diagnosis[] batch = d.classifyBatch(windows);
    for (int n = 0; n < windows.length; n++) {
      assertArrayEquals(d.classify(windows[n]).probabilities(), batch[n].probabilities());
      float[] scaled = windows[n].clone();
      for (int i = 0; i < scaled.length; i++) {
        scaled[i] = scaled[i] * 4 + 1;
      }
      assertArrayEquals(batch[n].probabilities(), d.classify(scaled).probabilities(), 1e-5f);
    }
  }

  @Test
  void predictAllocatesNothingInSteadyState() throws Exception {
    LeanDiagnoser d = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 3));
    float[] window = TestBundles.signal(512, 12_000, 4);
    float[] p = new float[4];
    for (int i = 0; i < 20_000; i++) {
      d.predict(window, p);
    }
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = bean.getThreadAllocatedBytes(id);
    for (int i = 0; i < 1000; i++) {
      d.predict(window, p);
    }
    long perWindow = (bean.getThreadAllocatedBytes(id) - before) / 1000;
    assertTrue(perWindow < 16, "bytes allocated per window: " + perWindow);
  }

  @Test
  void wrongLengthsAreClearErrors() throws Exception {
    LeanDiagnoser d = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.classify(new float[500]));
    assertTrue(e.getMessage().contains("500") && e.getMessage().contains("512"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> d.predict(new float[512], new float[3]));
  }

  @Test
  void truncatedCorruptAndForeignBundlesAreClearErrors() throws Exception {
    Path good = TestBundles.small(dir, "good.drsn", 5);
    byte[] bytes = Files.readAllBytes(good);

    Path truncated = dir.resolve("truncated.drsn");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length * 2 / 3));
    BundleFormatException e = assertThrows(BundleFormatException.class, () -> LeanDiagnoser.load(truncated));
    assertTrue(e.getMessage().contains("truncated.drsn") && e.getMessage().contains("truncated"), e.getMessage());

    Path missing = dir.resolve("missing.drsn");
    e = assertThrows(BundleFormatException.class, () -> LeanDiagnoser.load(missing));
    assertTrue(e.getMessage().contains("missing.drsn") && e.getMessage().contains("no such file"), e.getMessage());

    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not a bundle");
    e = assertThrows(BundleFormatException.class, () -> LeanDiagnoser.load(text));
    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());

    // Same metadata, one flipped parameter byte: the SHA-256 catches it.
    Path corrupt = dir.resolve("corrupt.drsn");
    rewrite(good, corrupt, null, true);
    e = assertThrows(BundleFormatException.class, () -> LeanDiagnoser.load(corrupt));
    assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());

    // Metadata cut short: a JSON error with its offset.
    Path badJson = dir.resolve("badjson.drsn");
    rewrite(good, badJson, json -> json.substring(0, json.length() / 2), false);
    e = assertThrows(BundleFormatException.class, () -> LeanDiagnoser.load(badJson));
    assertTrue(e.getMessage().contains("bundle.json") && e.getMessage().contains("offset"), e.getMessage());

    Path future = dir.resolve("future.drsn");
    rewrite(good, future, json -> json.replace("\"format_version\": 1", "\"format_version\": 4"), false);
    e = assertThrows(BundleFormatException.class, () -> LeanDiagnoser.load(future));
    assertTrue(e.getMessage().contains("format version 4"), e.getMessage());

    Path wrongArch = dir.resolve("arch.drsn");
    rewrite(good, wrongArch, json -> json.replace("\"drsn-cw\"", "\"resnet\""), false);
    e = assertThrows(BundleFormatException.class, () -> LeanDiagnoser.load(wrongArch));
    assertTrue(e.getMessage().contains("parameter layout") || e.getMessage().contains("parameter "), e.getMessage());
  }

  private static void rewrite(Path from, Path to, java.util.function.UnaryOperator<String> json, boolean flipParameter)
      throws Exception {
    try (var zip = new java.util.zip.ZipFile(from.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
      for (String name : new String[] {"bundle.json", "parameters.npy"}) {
        byte[] data = zip.getInputStream(zip.getEntry(name)).readAllBytes();
        if (name.equals("bundle.json") && json != null) {
          data = json.apply(new String(data, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
        if (name.equals("parameters.npy") && flipParameter) {
          data[data.length - 5] ^= 0x40;
        }
        out.putNextEntry(new ZipEntry(name));
        out.write(data);
        out.closeEntry();
      }
    }
  }
}
