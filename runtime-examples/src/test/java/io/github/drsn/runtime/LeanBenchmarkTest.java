package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.runtime.bench.LeanBenchmark;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeanBenchmarkTest {

  @TempDir Path dir;

  @Test
  void measuresLatencyThroughputAndAllocationOfAGivenBundle() throws Exception {
    LeanBenchmark.Result r = LeanBenchmark.run("drsn-cw", TestBundles.small(dir, "m.drsn", 41), 2, false);
    assertEquals("drsn-cw", r.model());
    assertTrue(r.batch1MsMedian() > 0 && r.batch1MsMedian() <= r.batch1MsP99(), r.toString());
    assertTrue(r.windowsPerSec() > 0 && r.windowsPerCpuSec() > 0, r.toString());
    assertTrue(r.allocBytesPerWindow() < 16, r.toString());
    assertEquals(-1, r.startupMs());
    assertTrue(r.jarBytes() == -1 || r.jarBytes() > 10_000, r.toString());
    String json = r.toJson();
    for (String key : new String[] {"lean_infer_batch1_ms_median", "lean_windows_per_sec", "lean_jar_bytes"}) {
      assertTrue(json.contains("\"" + key + "\": "), json);
    }
  }
}
