package io.github.drsn.signals;

import static io.github.drsn.signals.FftTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StftTest {

  @Test
  void framesFollowAToneThatChangesFrequency() {
    double fs = 8000;
    int half = 8000;
    double[] x = new double[2 * half];
    System.arraycopy(TestSignals.sine(half, fs, 500, 1, 0), 0, x, 0, half);
    System.arraycopy(TestSignals.sine(half, fs, 2000, 2, 0), 0, x, half, half);
    Spectrogram s = Stft.compute(x, fs, 256, 128, Window.HANN);
    assertEquals((x.length - 256) / 128 + 1, s.frameCount());
    assertEquals(129, s.frequencies().length);
    assertEquals(128 / fs, s.times()[0], 1e-12);
    assertEquals(128 / fs, s.times()[1] - s.times()[0], 1e-12);
    Spectrum early = s.frame(5);
    Spectrum late = s.frame(s.frameCount() - 5);
    assertEquals(500.0, early.peakFrequency(0, fs / 2), 1e-9);
    assertEquals(2000.0, late.peakFrequency(0, fs / 2), 1e-9);
    assertEquals(1.0, early.value(early.nearestIndex(500)), 1e-9);
    assertEquals(2.0, late.value(late.nearestIndex(2000)), 1e-9);
  }

  @Test
  void badFramingIsRejected() {
    double[] x = new double[100];
    assertMessage(() -> Stft.compute(x, 1, 101, 10, Window.HANN), "frameLength 101 is longer than the signal");
    assertMessage(() -> Stft.compute(x, 1, 10, 0, Window.HANN), "hop must be positive");
    assertMessage(() -> Stft.compute(new double[0], 1, 10, 1, Window.HANN), "x must not be empty");
  }
}
