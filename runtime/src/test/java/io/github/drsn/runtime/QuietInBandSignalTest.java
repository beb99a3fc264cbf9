package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HealthCheck.MIN_IN_BAND_RATIO calls a resampled window DEAD_SENSOR, "no signal in the model's band", when its standard
 * deviation was below 1e-3 (-60 dB; now -70 dB) of the raw samples'. The ratio is taken against the raw samples' whole spectrum, so
 * a real in-band signal that shares the sensor with a strong out-of-band component is declared absent even though it
 * stands ~40 dB above the filter's residue (OutOfBandSignalTest measures that residue at ~3e-6, -111 dB).
 *
 * <p>Here: a 48 kHz sensor, a 1 kHz tone of amplitude 5e-4 (in the 12 kHz model's 0-6 kHz band) plus a 10 kHz tone of
 * amplitude 1 (out of band). The resampled window holds the 1 kHz tone (std 3.5e-4, 150x the residue), yet its ratio to
 * the raw std (0.71) is 5e-4 &lt; 1e-3.
 */
class QuietInBandSignalTest {

  @TempDir Path dir;

  private static float[] signal() {
    float[] x = new float[48_000 * 2];
    for (int i = 0; i < x.length; i++) {
      double t = i / 48_000.0;
      x[i] = (float) (5e-4 * Math.sin(2 * Math.PI * 1_000 * t) + Math.sin(2 * Math.PI * 10_000 * t));
    }
    return x;
  }

  @Test
  void aQuietButRealInBandSignalIsNotReportedAsNoSignalInTheBand() throws Exception {
    LeanDiagnoser model = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
    float[] x = signal();
    RecordingDiagnosis file = model.diagnose(TestBundles.doubles(x), 48_000);
    assertFalse(file.health().containsKey(HealthIssue.DEAD_SENSOR), "file: " + file.outcome() + ", "
        + file.healthDetail());
    List<StreamingDiagnoser.Result> live = new StreamingDiagnoser(model, new StreamingDiagnoser.Config(48_000, 512, 1,
        0)).feed(x);
    long dead = live.stream().filter(r -> r.diagnosis().health().issues().contains(HealthIssue.DEAD_SENSOR)).count();
    assertEquals(0, dead, dead + " of " + live.size() + " stream windows DEAD_SENSOR, e.g. "
        + live.get(0).diagnosis().health().detail());
  }
}
