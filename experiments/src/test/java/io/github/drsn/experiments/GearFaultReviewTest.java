package io.github.drsn.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.synthetic.DrivetrainConfig;
import io.github.drsn.datasets.synthetic.DrivetrainSimulator;
import io.github.drsn.datasets.synthetic.HealthState;
import io.github.drsn.datasets.synthetic.SyntheticDrivetrain;
import io.github.drsn.runtime.Diagnoser;
import io.github.drsn.runtime.HealthCheck;
import io.github.drsn.runtime.explain.Explainer;
import io.github.drsn.runtime.explain.Explanation;
import io.github.drsn.runtime.explain.FaultFamily;
import io.github.drsn.signals.Normalization;
import io.github.drsn.signals.bearing.BearingAnalysis;
import io.github.drsn.signals.bearing.BearingEvidence;
import io.github.drsn.signals.bearing.BearingGeometry;
import io.github.drsn.signals.bearing.DefectFamily;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The synthetic drivetrain's missing tooth at a 4.5 kHz bearing resonance (the "resonance 4.5 kHz" test set of
 * experiments/synthetic-shift.json: data seed 42, 1200 rpm, load 0.6, its test stretch the last 20 %) gets a
 * conclusive outer-race verdict from the envelope analysis, carried by a line at 7 f_r. The fused decision must be
 * flagged for review; the outer-race recording of the same condition must not.
 */
class GearFaultReviewTest {

  private static final double RPM = 1200;
  private static final DrivetrainConfig DRIVETRAIN = resonance(4500);

  private static DrivetrainConfig resonance(double hz) {
    DrivetrainConfig d = DrivetrainConfig.defaults();
    return new DrivetrainConfig(d.samplingRate(), d.speedsRpm(), d.loads(), d.samplesPerRecording(), d.pinionTeeth(),
        d.gearTeeth(), d.bearing(), hz, d.gearResonanceHz());
  }

  /** The test stretch of the recording of {@code state} at 1200 rpm (speed index 0) and load 0.6 (index 1). */
  private static double[] testStretch(HealthState state) {
    double[] x = new DrivetrainSimulator(DRIVETRAIN).simulate(state, RPM, 0.6, DRIVETRAIN.samplesPerRecording(),
        SyntheticDrivetrain.recordingSeed(42, state, 0, 1));
    return Arrays.copyOfRange(x, (int) (0.8 * x.length), x.length);
  }

  /** A network that is never sure (0.15 on healthy and each bearing class, 0.1 on each gear class). */
  private static Diagnoser undecided() {
    List<String> classes = SyntheticDrivetrain.CLASSES;
    return new Diagnoser() {
      @Override
      public List<String> classes() {
        return classes;
      }

      @Override
      public InputSpec inputSpec() {
        return new InputSpec(DRIVETRAIN.samplingRate(), 2048, 1, Normalization.Z_SCORE, Representation.TIME);
      }

      @Override
      public HealthCheck healthCheck() {
        return HealthCheck.DEFAULT;
      }

      @Override
      public int predict(float[] window, float[] probabilities) {
        for (int k = 0; k < classes.size(); k++) {
          probabilities[k] = FaultFamily.ofClass(classes.get(k)) == FaultFamily.UNKNOWN ? 0.1f : 0.15f;
        }
        return 0;
      }
    };
  }

  private static Explanation explain(double[] x) {
    return new Explainer(undecided()).crossCheck(x, DRIVETRAIN.samplingRate(),
        Explainer.Request.of("skf-6205", BearingGeometry.SKF_6205).withRpm(RPM, "the recording's condition"));
  }

  @Test
  void theMissingToothsOuterRaceVerdictRestsOnAShaftHarmonicAndIsFlagged() {
    double[] gear = testStretch(HealthState.GEAR_MISSING_TOOTH);
    BearingEvidence evidence = BearingAnalysis.analyze(gear, DRIVETRAIN.samplingRate(), BearingGeometry.SKF_6205,
        RPM / 60, BearingAnalysis.Options.DEFAULT);
    assertEquals(DefectFamily.OUTER, evidence.verdictOrNull(), "the wrong verdict this test is about");
    // BPFO = 3.585 f_r = 71.7 Hz; its second harmonic is searched at twice the first line found (70.0 Hz) and
    // finds the once-per-revolution comb's 7 f_r = 140 Hz.
    assertEquals(140.0, evidence.evidence(DefectFamily.OUTER).harmonicHz()[1], 0.5 * 20 / 16);
    assertTrue(evidence.atShaftHarmonic(DefectFamily.OUTER));

    Explanation.Fused fused = explain(gear).fused();
    assertEquals(FaultFamily.OUTER, fused.family());
    assertTrue(fused.review(), fused.toString());
    assertTrue(fused.basis().endsWith("the verdict's lines include a shaft harmonic, review"), fused.basis());
  }

  @Test
  void theOuterRaceRecordingOfTheSameConditionIsNotFlagged() {
    double[] outer = testStretch(HealthState.BEARING_OUTER_RACE);
    Explanation e = explain(outer);
    assertEquals(FaultFamily.OUTER, e.physics().verdict());
    assertFalse(e.physics().evidence().atShaftHarmonic(DefectFamily.OUTER),
        Arrays.toString(e.physics().evidence().evidence(DefectFamily.OUTER).harmonicHz()));
    assertEquals(new Explanation.Fused("bearing_outer_race", FaultFamily.OUTER,
        "network: uncertain; physics fixes the family, the network chooses the size within it", false), e.fused());
  }
}
