package io.github.drsn.datasets.synthetic;

/**
 * The eight health states of the DRSN paper's drivetrain (Zhao et al., IEEE TII 2020, Sec. III-A), as
 * modelled by {@link DrivetrainSimulator}. Every state shares the healthy baseline (shaft harmonics,
 * load-dependent gear-mesh harmonics, a structural resonance excited by broadband forces, sensor noise);
 * a fault adds its own mechanism on top. Gear faults sit on the input pinion, bearing faults on the
 * input-shaft bearing (SKF 6205 kinematics).
 */
public enum HealthState {
  /** Baseline only: shaft orders 1-3, mesh harmonics 1-3 with amplitude rising with load, resonance hump, noise. */
  HEALTHY("healthy"),
  /**
   * Inner-race defect: impacts at BPFI = 5.415·f_r with 1 % slip jitter, each exciting the bearing
   * resonance (~3.2 kHz, ζ ≈ 0.06); the defect rotates with the shaft through the load zone, so the
   * impact amplitude is modulated once per revolution (envelope sidebands at BPFI ± f_r).
   */
  BEARING_INNER_RACE("bearing_inner_race"),
  /**
   * Outer-race defect: impacts at BPFO = 3.585·f_r with 1 % slip jitter exciting the bearing resonance;
   * the defect is fixed in the load zone, so the amplitudes are nearly constant.
   */
  BEARING_OUTER_RACE("bearing_outer_race"),
  /**
   * Ball defect: the ball strikes both races once per spin, giving impacts at 2·BSF = 4.714·f_r with
   * 1.5 % jitter, weaker than race defects and modulated at the cage frequency FTF = 0.398·f_r as the
   * ball travels through the load zone.
   */
  BEARING_BALL("bearing_ball"),
  /**
   * Tooth root crack: the cracked tooth is less stiff, so while it is in mesh (about two tooth pitches
   * per revolution) the mesh vibration is amplitude- and phase-modulated by ~30 % and ~0.25 rad:
   * a weak once-per-revolution modulation with sidebands at f_mesh ± k·f_r.
   */
  GEAR_ROOT_CRACK("gear_root_crack"),
  /**
   * Surface pitting: several adjacent teeth with random pitting depth modulate the mesh amplitude by
   * 10-25 % each, the second mesh harmonic grows by 40 % (profile errors), and each pitted tooth adds a
   * small mesh-rate impulse.
   */
  GEAR_SURFACE_PITTING("gear_surface_pitting"),
  /**
   * Broken tooth (part of a tooth lost): strong once-per-revolution amplitude and phase modulation of
   * the mesh (~50 %, 0.35 rad) and an impact per revolution, when the broken tooth re-engages, exciting
   * a gear-body resonance (~1.9 kHz).
   */
  GEAR_BROKEN_TOOTH("gear_broken_tooth"),
  /**
   * Missing tooth: the mesh vibration collapses for one tooth pitch per revolution, followed by a hard
   * impact (twice the broken-tooth impact) when the next tooth takes the whole load.
   */
  GEAR_MISSING_TOOTH("gear_missing_tooth");

  private final String label;

  HealthState(String label) {
    this.label = label;
  }

  /** @return the class name used as the recording label, e.g. {@code "bearing_inner_race"} */
  public String label() {
    return label;
  }

  /** @return whether this is a bearing fault */
  public boolean isBearingFault() {
    return this == BEARING_INNER_RACE || this == BEARING_OUTER_RACE || this == BEARING_BALL;
  }

  /** @return whether this is a gear fault */
  public boolean isGearFault() {
    return ordinal() >= GEAR_ROOT_CRACK.ordinal();
  }
}
