package io.github.drsn.signals.bench;

import io.github.drsn.signals.Envelope;
import io.github.drsn.signals.Fft;
import io.github.drsn.signals.Spectrum;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jtransforms.fft.DoubleFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * Wall time of the spectra a diagnosis uses on one 2048-sample window at 12 kHz: amplitude spectrum,
 * envelope spectrum and band-passed envelope spectrum. Each operation is warmed up, then timed call by
 * call; the median (robust to GC and scheduler noise) and the 90th percentile are printed in microseconds.
 * A plain loop, not JMH: good to tens of nanoseconds on an idle machine, so compare runs on the same host.
 *
 * <p>Usage: {@code SpectrumBench [warmupCalls [timedCalls]]}, defaults 20000 and 20000.
 */
public final class SpectrumBench {

  private static final int WINDOW = 2048;
  private static final double FS = 12_000;

  /** Keeps results observable so the JIT cannot drop the work. */
  private static double sink;

  private SpectrumBench() {}

  /** Runs the benchmark and prints one line per operation. */
  public static void main(String[] args) {
    // As in the library: keep JTransforms in the calling thread (its pool threads are non-daemon).
    ConcurrencyUtils.setNumberOfThreads(1);
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int timed = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    SplittableRandom rng = new SplittableRandom(2020);
    double[] x = new double[WINDOW];
    for (int t = 0; t < WINDOW; t++) {
      x[t] = Math.sin(2 * Math.PI * 157 * t / FS) * (1 + 0.5 * Math.cos(2 * Math.PI * 29 * t / FS))
          + 0.3 * rng.nextGaussian();
    }
    System.out.printf(Locale.ROOT, "window %d samples at %.0f Hz; %d warm-up and %d timed calls each; java %s%n",
        WINDOW, FS, warmup, timed, System.getProperty("java.version"));
    // Reference: the bare JTransforms transform (one reused plan, one copy), to show the wrapper's overhead.
    DoubleFFT_1D plan = new DoubleFFT_1D(WINDOW);
    time("JTransforms realForward (bare)", () -> {
      double[] a = x.clone();
      plan.realForward(a);
      return a[1];
    }, warmup, timed);
    report("Fft.amplitudeSpectrum", () -> Fft.amplitudeSpectrum(x, FS), warmup, timed);
    report("Envelope.spectrum", () -> Envelope.spectrum(x, FS), warmup, timed);
    report("Envelope.spectrum 2-4 kHz band", () -> Envelope.spectrum(x, FS, 2000, 4000), warmup, timed);
    if (sink == 42) {
      System.out.println();
    }
  }

  private static void report(String name, Supplier<Spectrum> operation, int warmup, int timed) {
    time(name, () -> operation.get().value(1), warmup, timed);
  }

  private static void time(String name, DoubleSupplier operation, int warmup, int timed) {
    for (int i = 0; i < warmup; i++) {
      sink += operation.getAsDouble();
    }
    long[] nanos = new long[timed];
    for (int i = 0; i < timed; i++) {
      long start = System.nanoTime();
      double result = operation.getAsDouble();
      nanos[i] = System.nanoTime() - start;
      sink += result;
    }
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "%-32s median %8.2f us   p90 %8.2f us%n", name,
        nanos[timed / 2] / 1e3, nanos[(int) (timed * 0.9)] / 1e3);
  }
}
