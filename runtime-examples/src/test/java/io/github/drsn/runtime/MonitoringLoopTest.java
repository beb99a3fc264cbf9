package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.runtime.example.MonitoringLoop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoringLoopTest {

  @TempDir Path dir;

  @Test
  void streamsACsvAndAWavOfTheSameRecordingToTheSameLog() throws Exception {
    Path bundle = TestBundles.small(dir, "m.drsn", 31);
    float[] x = TestBundles.signal(48_000, 48_000, 9);
    List<String> lines = new ArrayList<>();
    lines.add("time_s,acceleration_g");
    ByteBuffer pcm = ByteBuffer.allocate(44 + 2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
    pcm.putInt(0x46464952).putInt(36 + 2 * x.length).putInt(0x45564157).putInt(0x20746d66).putInt(16)
        .putShort((short) 1).putShort((short) 1).putInt(48_000).putInt(96_000).putShort((short) 2).putShort((short) 16)
        .putInt(0x61746164).putInt(2 * x.length);
    for (int i = 0; i < x.length; i++) {
      short q = (short) Math.round(Math.max(-1, Math.min(1, x[i])) * 32767);
      pcm.putShort(q);
      lines.add(String.format(Locale.ROOT, "%.6f,%s", i / 48_000.0, Float.toString(q / 32768f)));
    }
    Path csv = dir.resolve("r.csv");
    Files.write(csv, lines);
    Path wav = dir.resolve("r.wav");
    Files.write(wav, pcm.array());
    assertArrayEquals(MonitoringLoop.read(csv, 48_000, 1).samples(), MonitoringLoop.read(wav, Double.NaN, 0).samples());
    assertEquals(48_000, MonitoringLoop.read(wav, Double.NaN, 0).samplingRate());

    String fromCsv = run("--bundle", bundle.toString(), "--input", csv.toString(), "--rate", "48000", "--column", "1",
        "--chunk", "700", "--hop", "256");
    String fromWav = run("--bundle", bundle.toString(), "--input", wav.toString(), "--chunk", "333", "--hop", "256");
    assertEquals(fromCsv, fromWav);
    long windows = fromCsv.lines().filter(l -> l.startsWith("t=")).count();
    assertTrue(windows >= (12_000 - 512 - 100) / 256 && windows <= (12_000 - 512) / 256 + 1, "windows " + windows);
    assertTrue(fromCsv.contains("summary: {"), fromCsv);
  }

  @Test
  void usageAndReadErrorsGiveExitCodes() throws Exception {
    assertEquals(2, MonitoringLoop.run(new String[] {"--input"}, sink(), sink()));
    assertEquals(2, MonitoringLoop.run(new String[] {"--bundle", "x.drsn"}, sink(), sink()));
    assertEquals(1, MonitoringLoop.run(new String[] {"--bundle", dir.resolve("none.drsn").toString(), "--input",
        dir.resolve("none.csv").toString(), "--rate", "12000"}, sink(), sink()));
  }

  private static PrintStream sink() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  private static String run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = MonitoringLoop.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), sink());
    assertEquals(0, code);
    return out.toString(StandardCharsets.UTF_8);
  }
}
