package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by a review of 4c6177c and fixed; what happened before the fix: before that commit a sensor rate that is no
 * ratio of the model's was refused by the constructor; after it, it went through feedPerWindow, whose only guard is the order domain's in setShaftHz: a rate
 * typed as 1e15 Hz gives step 8.3e10 raw samples per model sample, reachInputSamples overflows int (Integer.MAX_VALUE
 * + 1), and the stream buffers every sample it is fed (a window would need ~1.7e14 of them) until the raw buffer's int
 * size overflows or the heap runs out; diagnose refuses the same rate at once (AbsurdRateTest). Expected: the
 * constructor refuses a rate at which a window spans more raw samples than an array holds, as setShaftHz does.
 */
class StreamAbsurdRateTest {

  @TempDir Path dir;

  @Test
  void aSensorRateTypedAsTeraHertzIsRefusedByTheStream() throws Exception {
    LeanDiagnoser d = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(IllegalArgumentException.class, () -> {
      StreamingDiagnoser stream = new StreamingDiagnoser(d, new StreamingDiagnoser.Config(1e15, 512, 1, 0));
      float[] chunk = TestBundles.signal(1 << 16, 12_000, 3);
      for (int i = 0; i < 64; i++) {
        stream.feed(chunk); // 4 M samples: never a window, all kept
      }
    }));
  }
}
