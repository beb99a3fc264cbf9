package io.github.drsn.datasets.synthetic;

import io.github.drsn.signals.bearing.BearingGeometry;
import java.util.List;
import java.util.Objects;

/**
 * Parameters of the simulated drivetrain and of the data set drawn from it.
 *
 * @param samplingRate Hz (the paper's simulator: 12.8 kHz)
 * @param speedsRpm input-shaft speeds, one operating condition each
 * @param loads loads as a fraction of rated torque (0-1], one operating condition each
 * @param samplesPerRecording length of each (state, speed, load) recording
 * @param pinionTeeth teeth on the input pinion (mesh frequency = pinionTeeth · f_r)
 * @param gearTeeth teeth on the output gear
 * @param bearing geometry of the input-shaft bearing
 * @param bearingResonanceHz centre of the bearing/housing resonance excited by bearing impacts
 * @param gearResonanceHz centre of the gear-body resonance excited by tooth impacts
 */
public record DrivetrainConfig(double samplingRate, List<Double> speedsRpm, List<Double> loads,
    int samplesPerRecording, int pinionTeeth, int gearTeeth, BearingGeometry bearing, double bearingResonanceHz,
    double gearResonanceHz) {

  /** @throws IllegalArgumentException for values outside the ranges above or resonances above Nyquist */
  public DrivetrainConfig {
    Objects.requireNonNull(bearing, "bearing");
    speedsRpm = List.copyOf(speedsRpm);
    loads = List.copyOf(loads);
    if (!(samplingRate > 0) || Double.isInfinite(samplingRate)) {
      throw new IllegalArgumentException("sampling rate must be finite and > 0 Hz, got " + samplingRate);
    }
    if (speedsRpm.isEmpty() || loads.isEmpty()) {
      throw new IllegalArgumentException("expected at least one speed and one load");
    }
    for (double rpm : speedsRpm) {
      if (!(rpm >= 60 && rpm <= 6000)) {
        throw new IllegalArgumentException("speed must be in [60, 6000] rpm, got " + rpm);
      }
    }
    for (double load : loads) {
      if (!(load > 0 && load <= 1)) {
        throw new IllegalArgumentException("load must be a fraction of rated torque in (0, 1], got " + load);
      }
    }
    if (samplesPerRecording < 16) {
      throw new IllegalArgumentException("samples per recording must be >= 16, got " + samplesPerRecording);
    }
    if (pinionTeeth < 8 || gearTeeth < 8) {
      throw new IllegalArgumentException("gears need >= 8 teeth, got " + pinionTeeth + " and " + gearTeeth);
    }
    double nyquist = samplingRate / 2;
    double maxMesh = 3 * pinionTeeth * speedsRpm.stream().mapToDouble(Double::doubleValue).max().orElseThrow() / 60;
    if (maxMesh >= nyquist || bearingResonanceHz * 1.1 >= nyquist || gearResonanceHz * 1.1 >= nyquist
        || !(bearingResonanceHz > 0) || !(gearResonanceHz > 0)) {
      throw new IllegalArgumentException("third mesh harmonic (" + maxMesh + " Hz) and resonances ("
          + bearingResonanceHz + ", " + gearResonanceHz + " Hz, +10 %) must lie below Nyquist " + nyquist + " Hz");
    }
  }

  /**
   * The default drivetrain: 12.8 kHz; 3 speeds (1200, 1500, 1800 rpm) × 3 loads (25, 60, 100 % of
   * rated torque); 131 072 samples (10.24 s) per recording; a 23/61-tooth gear pair (mesh 460-690 Hz);
   * SKF 6205 bearing (BPFI 108-162 Hz); resonances at 3.2 kHz (bearing) and 1.9 kHz (gear body).
   *
   * @return the default configuration
   */
  public static DrivetrainConfig defaults() {
    return new DrivetrainConfig(12_800, List.of(1200.0, 1500.0, 1800.0), List.of(0.25, 0.6, 1.0), 131_072, 23, 61,
        BearingGeometry.SKF_6205, 3200, 1900);
  }

  /**
   * @param samples new recording length
   * @return a copy with another recording length
   */
  public DrivetrainConfig withSamplesPerRecording(int samples) {
    return new DrivetrainConfig(samplingRate, speedsRpm, loads, samples, pinionTeeth, gearTeeth, bearing,
        bearingResonanceHz, gearResonanceHz);
  }
}
