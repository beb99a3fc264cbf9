package io.github.drsn.datasets.synthetic;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A lumped, physically motivated model of the vibration measured on a one-stage gearbox housing: input
 * shaft with a rolling bearing and a pinion meshing with an output gear. It is a simulator of signal
 * mechanisms, not of a particular machine; its parameters are in {@link DrivetrainConfig} and the fault
 * mechanisms are described per state in {@link HealthState}.
 *
 * <p>Every recording x(t) is a sum of:
 * <ol>
 *   <li>Shaft rotation θ(t) = 2π∫f_r(τ)dτ with f_r fluctuating by 0.2-0.5 % (a slow sinusoidal wobble
 *       plus an AR(1) random walk with 0.5 s correlation time), so that no component is perfectly
 *       periodic; θ starts at a random angle.</li>
 *   <li>Shaft orders: Σ_{k=1..3} a_k cos(kθ + φ_k), a_1 ∝ f_r² (unbalance), plus the output-shaft order
 *       at f_r·z_1/z_2.</li>
 *   <li>Gear mesh: Σ_{h=1..3} m_h·g(L)·A_h(θ)·cos(h(z_1θ + P(θ)) + ψ_h) with g(L) = 0.4 + 0.8L rising
 *       with load L; A and P are 1 and 0 for a healthy pinion and carry the gear faults as amplitude and
 *       phase modulation locked to the faulty tooth's angle.</li>
 *   <li>Broadband forces (white noise) through a second-order resonator at the bearing resonance:
 *       the structural hump every real spectrum has, so that resonance energy alone does not reveal a
 *       bearing fault; plus white sensor noise.</li>
 *   <li>Faults that impact (bearing defects, broken or missing teeth): impulse trains whose times follow
 *       the shaft angle (so they track the speed), with slip jitter for bearings, each impact exciting
 *       a damped resonance h(τ) = e^{−ζωτ}·sin(ω√(1−ζ²)·τ).</li>
 * </ol>
 * Each recording also draws its own amplitudes (±15-20 %), phases and resonance frequencies (±3 %), so
 * recordings of one class differ the way runs on a real rig do. All randomness comes from the seed.
 */
public final class DrivetrainSimulator {

  private static final double TWO_PI = 2 * Math.PI;
  private static final double BEARING_DAMPING = 0.06;
  private static final double GEAR_DAMPING = 0.04;

  private final DrivetrainConfig config;

  /**
   * @param config the drivetrain
   */
  public DrivetrainSimulator(DrivetrainConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** @return the drivetrain configuration */
  public DrivetrainConfig config() {
    return config;
  }

  /**
   * Simulates one recording.
   *
   * @param state health state
   * @param rpm mean input-shaft speed
   * @param load fraction of rated torque, (0, 1]
   * @param samples number of samples
   * @param seed fixes every random choice; equal arguments give identical output
   * @return the acceleration signal (arbitrary units, order 1)
   * @throws IllegalArgumentException if rpm, load or length is out of range
   */
  public double[] simulate(HealthState state, double rpm, double load, int samples, long seed) {
    Objects.requireNonNull(state, "state");
    if (!(rpm >= 60 && rpm <= 6000)) {
      throw new IllegalArgumentException("speed must be in [60, 6000] rpm, got " + rpm);
    }
    if (!(load > 0 && load <= 1)) {
      throw new IllegalArgumentException("load must be in (0, 1], got " + load);
    }
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be >= 1, got " + samples);
    }
    double fs = config.samplingRate();
    if (3 * config.pinionTeeth() * rpm / 60 >= fs / 2) {
      throw new IllegalArgumentException("at " + rpm + " rpm the third mesh harmonic exceeds Nyquist " + fs / 2
          + " Hz");
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] theta = shaftAngle(rpm, samples, random);
    double[] x = new double[samples];
    double loadGain = 0.4 + 0.8 * load;
    double fr = rpm / 60;

    addShaftOrders(x, theta, fr, random);
    addMesh(x, theta, state, loadGain, random);
    addBroadband(x, loadGain, random);
    switch (state) {
      case BEARING_INNER_RACE, BEARING_OUTER_RACE, BEARING_BALL -> addBearingImpacts(x, theta, state, fr, load, random);
      case GEAR_BROKEN_TOOTH -> addToothImpacts(x, theta, 0.6 * loadGain, random);
      case GEAR_MISSING_TOOTH -> addToothImpacts(x, theta, 1.2 * loadGain, random);
      default -> {
        // HEALTHY, root crack and pitting add no once-per-revolution impact of their own
      }
    }
    return x;
  }

  /** Unwrapped shaft angle per sample, starting at a random angle, with speed fluctuation. */
  private double[] shaftAngle(double rpm, int n, SplittableRandom random) {
    double dt = 1 / config.samplingRate();
    double omega = TWO_PI * rpm / 60;
    double wobbleDepth = 0.002 + 0.003 * random.nextDouble();
    double wobbleHz = 0.3 + 1.2 * random.nextDouble();
    double wobblePhase = TWO_PI * random.nextDouble();
    double walkCoefficient = Math.exp(-dt / 0.5);
    double walkInnovation = 0.001 * Math.sqrt(1 - walkCoefficient * walkCoefficient);
    double walk = 0.001 * random.nextGaussian();
    double[] theta = new double[n];
    double angle = TWO_PI * random.nextDouble();
    for (int i = 0; i < n; i++) {
      theta[i] = angle;
      double relative = wobbleDepth * Math.sin(TWO_PI * wobbleHz * i * dt + wobblePhase) + walk;
      angle += omega * (1 + relative) * dt;
      walk = walkCoefficient * walk + walkInnovation * random.nextGaussian();
    }
    return theta;
  }

  private static double vary(SplittableRandom random, double fraction) {
    return 1 + fraction * (2 * random.nextDouble() - 1);
  }

  private void addShaftOrders(double[] x, double[] theta, double fr, SplittableRandom random) {
    double unbalance = 0.25 * (fr / 25) * (fr / 25) * vary(random, 0.2);
    double[] amplitude = {unbalance, 0.10 * vary(random, 0.2), 0.04 * vary(random, 0.2)};
    double[] phase = {TWO_PI * random.nextDouble(), TWO_PI * random.nextDouble(), TWO_PI * random.nextDouble()};
    double outputRatio = (double) config.pinionTeeth() / config.gearTeeth();
    double outputAmplitude = 0.08 * vary(random, 0.2);
    double outputPhase = TWO_PI * random.nextDouble();
    for (int i = 0; i < x.length; i++) {
      double t = theta[i];
      x[i] += amplitude[0] * Math.cos(t + phase[0]) + amplitude[1] * Math.cos(2 * t + phase[1])
          + amplitude[2] * Math.cos(3 * t + phase[2]) + outputAmplitude * Math.cos(outputRatio * t + outputPhase);
    }
  }

  /**
   * Gear mesh with the gear faults as modulation. The bump w(φ) = exp(−½(φ/(σ·p))²) of the angle φ from
   * the faulty tooth (p = 2π/z_1 the tooth pitch) localises a fault to the part of each revolution in
   * which that tooth is in mesh.
   */
  private void addMesh(double[] x, double[] theta, HealthState state, double loadGain, SplittableRandom random) {
    int z = config.pinionTeeth();
    double pitch = TWO_PI / z;
    double[] amplitude = {1.0 * loadGain * vary(random, 0.15), 0.45 * loadGain * vary(random, 0.15),
        0.2 * loadGain * vary(random, 0.15)};
    double[] phase = {TWO_PI * random.nextDouble(), TWO_PI * random.nextDouble(), TWO_PI * random.nextDouble()};
    double faultAngle = TWO_PI * random.nextDouble();
    double severity = vary(random, 0.2);
    // Per state: amplitude depth (negative = loss of mesh force), phase depth (rad), bump width in pitches.
    double amDepth = 0;
    double pmDepth = 0;
    double width = 1.0;
    int pittedTeeth = 0;
    double[] pitDepth = new double[0];
    switch (state) {
      case GEAR_ROOT_CRACK -> {
        amDepth = 0.3 * severity;
        pmDepth = 0.25 * severity;
      }
      case GEAR_SURFACE_PITTING -> {
        pittedTeeth = 5 + random.nextInt(3);
        pitDepth = new double[pittedTeeth];
        for (int j = 0; j < pittedTeeth; j++) {
          pitDepth[j] = (0.10 + 0.15 * random.nextDouble()) * severity;
        }
        amplitude[1] *= 1.4;
        width = 0.6;
      }
      case GEAR_BROKEN_TOOTH -> {
        amDepth = -0.5 * severity;
        pmDepth = 0.35 * severity;
      }
      case GEAR_MISSING_TOOTH -> {
        amDepth = -0.95;
        pmDepth = 0.5 * severity;
        width = 0.7;
      }
      default -> {
        // healthy and bearing faults: unmodulated mesh
      }
    }
    double inverseWidth = 1 / (width * pitch);
    boolean modulated = amDepth != 0 || pmDepth != 0 || pittedTeeth > 0;
    for (int i = 0; i < x.length; i++) {
      double am = 1;
      double pm = 0;
      if (modulated) {
        double phi = theta[i] - faultAngle;
        phi -= TWO_PI * Math.floor((phi + Math.PI) / TWO_PI);
        if (pittedTeeth > 0) {
          for (int j = 0; j < pittedTeeth; j++) {
            double u = (phi - j * pitch) * inverseWidth;
            am += pitDepth[j] * Math.exp(-0.5 * u * u);
          }
        } else {
          double u = phi * inverseWidth;
          double bump = Math.exp(-0.5 * u * u);
          am += amDepth * bump;
          pm = pmDepth * bump;
        }
      }
      double meshAngle = z * theta[i] + pm;
      x[i] += am * (amplitude[0] * Math.cos(meshAngle + phase[0]) + amplitude[1] * Math.cos(2 * meshAngle + phase[1])
          + amplitude[2] * Math.cos(3 * meshAngle + phase[2]));
    }
    if (pittedTeeth > 0) {
      // each pitted tooth also knocks slightly once per revolution as it enters mesh
      for (int j = 0; j < pittedTeeth; j++) {
        double amplitudeJ = 0.08 * loadGain * pitDepth[j] / 0.175;
        addImpactTrain(x, theta, faultAngle + j * pitch - 0.5 * pitch, TWO_PI, 0.002, amplitudeJ, 0.3,
            config.gearResonanceHz() * vary(random, 0.03), GEAR_DAMPING, random, null);
      }
    }
  }

  /**
   * White broadband forces through a two-pole resonator at the bearing resonance (pole radius
   * r = exp(−π·400 Hz/fs), i.e. ~400 Hz bandwidth), scaled to an RMS of 0.12·g(L), plus white sensor
   * noise of RMS 0.03.
   */
  private void addBroadband(double[] x, double loadGain, SplittableRandom random) {
    double fs = config.samplingRate();
    double f0 = config.bearingResonanceHz() * vary(random, 0.03);
    double r = Math.exp(-Math.PI * 400 / fs);
    double a1 = 2 * r * Math.cos(TWO_PI * f0 / fs);
    double a2 = -r * r;
    double[] hum = new double[x.length];
    double y1 = 0;
    double y2 = 0;
    double sumSquares = 0;
    for (int i = 0; i < x.length; i++) {
      double y = a1 * y1 + a2 * y2 + random.nextGaussian();
      y2 = y1;
      y1 = y;
      hum[i] = y;
      sumSquares += y * y;
    }
    double scale = 0.12 * loadGain * vary(random, 0.2) / Math.sqrt(sumSquares / x.length);
    double sensor = 0.03 * vary(random, 0.2);
    for (int i = 0; i < x.length; i++) {
      x[i] += scale * hum[i] + sensor * random.nextGaussian();
    }
  }

  private void addBearingImpacts(double[] x, double[] theta, HealthState state, double fr, double load,
      SplittableRandom random) {
    var geometry = config.bearing();
    double order;
    double amplitude;
    double jitter;
    double[] modulation;
    double loadZonePhase = TWO_PI * random.nextDouble();
    switch (state) {
      case BEARING_INNER_RACE -> {
        order = geometry.bpfiOrder();
        amplitude = 0.9;
        jitter = 0.01;
        modulation = new double[] {1.0, 0.65, loadZonePhase}; // ratio of shaft angle, depth, phase
      }
      case BEARING_OUTER_RACE -> {
        order = geometry.bpfoOrder();
        amplitude = 1.0;
        jitter = 0.01;
        modulation = null;
      }
      default -> {
        order = 2 * geometry.bsfOrder();
        amplitude = 0.5;
        jitter = 0.015;
        modulation = new double[] {geometry.ftfOrder(), 0.65, loadZonePhase};
      }
    }
    double scaled = amplitude * (0.5 + 0.5 * load) * (fr / 25) * vary(random, 0.2);
    double resonance = config.bearingResonanceHz() * vary(random, 0.03);
    double start = theta[0] + TWO_PI / order * random.nextDouble();
    addImpactTrain(x, theta, start, TWO_PI / order, jitter, scaled, 0.15, resonance, BEARING_DAMPING, random,
        modulation);
  }

  /** One impact per revolution, when the damaged tooth (re-)engages, exciting the gear-body resonance. */
  private void addToothImpacts(double[] x, double[] theta, double amplitude, SplittableRandom random) {
    double start = theta[0] + TWO_PI * random.nextDouble();
    addImpactTrain(x, theta, start, TWO_PI, 0.002, amplitude * vary(random, 0.2), 0.1,
        config.gearResonanceHz() * vary(random, 0.03), GEAR_DAMPING, random, null);
  }

  /**
   * Impacts whenever the shaft angle passes {@code firstAngle + k·spacing} (each spacing jittered by
   * {@code jitter}·N(0,1)), amplitude × (1 + spread·N(0,1)) × optional modulation
   * {@code 1 − depth + depth·(½ + ½cos(ratio·θ + phase))}, each a damped resonance.
   */
  private void addImpactTrain(double[] x, double[] theta, double firstAngle, double spacing, double jitter,
      double amplitude, double spread, double resonanceHz, double damping, SplittableRandom random,
      double[] modulation) {
    double fs = config.samplingRate();
    double omega = TWO_PI * resonanceHz;
    double omegaDamped = omega * Math.sqrt(1 - damping * damping);
    int ring = (int) Math.ceil(Math.log(1000) / (damping * omega) * fs);
    double angle = firstAngle;
    while (angle < theta[0]) {
      angle += spacing;
    }
    int index = 0;
    int n = theta.length;
    while (true) {
      while (index < n && theta[index] < angle) {
        index++;
      }
      if (index >= n) {
        return;
      }
      double time = index == 0 ? 0
          : index - 1 + (angle - theta[index - 1]) / (theta[index] - theta[index - 1]);
      double a = amplitude * Math.max(0, 1 + spread * random.nextGaussian());
      if (modulation != null) {
        double depth = modulation[1];
        a *= 1 - depth + depth * (0.5 + 0.5 * Math.cos(modulation[0] * angle + modulation[2]));
      }
      int first = (int) Math.ceil(time);
      int last = Math.min(n - 1, first + ring);
      for (int i = first; i <= last; i++) {
        double tau = (i - time) / fs;
        x[i] += a * Math.exp(-damping * omega * tau) * Math.sin(omegaDamped * tau);
      }
      angle += spacing * Math.max(0.5, 1 + jitter * random.nextGaussian());
    }
  }
}
