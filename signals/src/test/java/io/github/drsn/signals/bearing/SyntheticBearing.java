package io.github.drsn.signals.bearing;

import io.github.drsn.signals.Noise;
import io.github.drsn.signals.NoiseType;
import java.util.SplittableRandom;

/**
 * Test signals with known defect frequencies: a train of impacts at the family's line (1 % jitter between
 * impacts, as slip gives), each ringing a resonance (f_res, 5 % damping), inner-race impacts modulated once per
 * revolution (1 + 0.8 cos 2π f_r t), ball impacts at the cage rate; plus a shaft line and Gaussian noise at an
 * exact SNR (the project's {@link Noise}). With family null: the shaft line and noise only.
 */
final class SyntheticBearing {

  static final double FS = 12_000;
  static final double RESONANCE_HZ = 3_000;

  private SyntheticBearing() {}

  static double[] signal(DefectFamily family, double shaftHz, double seconds, double snrDb, long seed) {
    BearingGeometry g = BearingGeometry.SKF_6205;
    int n = (int) Math.round(seconds * FS);
    double[] x = new double[n];
    SplittableRandom random = new SplittableRandom(seed);
    if (family != null) {
      double f = family.fundamentalOrder(g) * shaftHz;
      double zeta = 0.05;
      double wn = 2 * Math.PI * RESONANCE_HZ;
      int ring = (int) Math.round(FS * 8 / (zeta * wn));
      double t = random.nextDouble() / f;
      while (t < seconds) {
        double amplitude = switch (family) {
          case INNER -> 1 + 0.8 * Math.cos(2 * Math.PI * shaftHz * t);
          case BALL -> 1 + 0.6 * Math.cos(2 * Math.PI * g.ftfOrder() * shaftHz * t);
          default -> 1;
        };
        int start = (int) Math.ceil(t * FS);
        for (int i = start; i < Math.min(n, start + ring); i++) {
          double tau = i / FS - t;
          x[i] += amplitude * Math.exp(-zeta * wn * tau) * Math.sin(wn * Math.sqrt(1 - zeta * zeta) * tau);
        }
        t += (1 + 0.01 * random.nextGaussian()) / f;
      }
    }
    // A shaft line of a tenth of the impacts' r.m.s. (imbalance), so the estimate has something to find.
    double ms = 0;
    for (double v : x) {
      ms += v * v;
    }
    double shaftAmplitude = family == null ? 1 : 0.1 * Math.sqrt(2 * ms / n);
    for (int i = 0; i < n; i++) {
      x[i] += shaftAmplitude * Math.sin(2 * Math.PI * shaftHz * i / FS);
    }
    return Double.isInfinite(snrDb) ? x
        : Noise.addAtSnr(x, NoiseType.GAUSSIAN, snrDb, new java.util.Random(seed));
  }
}
