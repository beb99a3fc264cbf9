package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by an adversarial review and fixed; what it did before the fix: a recording whose rate is within the health check's tolerance of the model's is not resampled
 * (by design), but its windows' {@link RecordingDiagnosis.Window#startSeconds()}, documented as "its time from the
 * start of the recording", are counted at the model's rate: sample s is reported at s / 12000 s instead of
 * s / 12060 s. At the tolerance's edge (0.5 %) that is 18 s off after an hour, when an engineer lines the windows
 * up with the machine's event log.
 */
class WindowTimesTest {

  @TempDir Path dir;

  @Test
  void aWindowsTimeIsCountedAtTheRecordingsOwnRateWhenItIsNotResampled() throws Exception {
    LeanDiagnoser d = LeanDiagnoser.load(TestBundles.small(dir, "m.drsn", 21));
    double rate = 12_060; // 0.5 % above the model's 12 kHz: taken as its rate
    RecordingDiagnosis r = d.diagnose(TestBundles.doubles(TestBundles.signal(512 * 11, rate, 3)), rate);
    assertFalse(r.resampled(), "control: within the tolerance, the samples are used as they are");
    RecordingDiagnosis.Window tenth = r.windows().get(10);
    assertEquals(5_120, tenth.start(), "control: window 10 starts at sample 5120 of the recording");
    assertEquals(5_120 / rate, tenth.startSeconds(), 1e-9, "sample 5120 of a 12060 Hz recording is at 0.42454 s");
  }
}
