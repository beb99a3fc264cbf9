package io.github.drsn.runtime.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.runtime.Diagnosis;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.runtime.RecordingDiagnosis;
import io.github.drsn.signals.Normalization;
import io.github.drsn.signals.bearing.BearingGeometry;
import io.github.drsn.signals.bearing.DefectFamily;
import io.github.drsn.signals.bearing.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The explanation of a recording: physics, agreement, fusion, thresholds, saliency, severity. */
class ExplainerTest {

  private static final List<String> CLASSES = List.of("normal", "IR007", "B007", "OR007", "IR014", "OR014");
  private static final double FS = 12_000;

  private static LeanDiagnoser model(Architecture architecture) {
    ModelLayout layout = new ModelLayout(architecture, 512, 1, new int[] {4, 8, 16}, 2, 3, 2, CLASSES.size(),
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    return LeanDiagnoser.of(RandomBundles.random(layout, CLASSES, new InputSpec(FS, 512, 1, Normalization.Z_SCORE,
        Representation.TIME), 5));
  }

  /** Outer-race impacts at BPFO of an SKF 6205 at 1797 rpm ringing at 3 kHz, plus noise: 0.5 g peak impacts. */
  static double[] outerRace(double seconds, long seed) {
    double fr = 1797 / 60.0;
    double bpfo = BearingGeometry.SKF_6205.bpfoOrder() * fr;
    int n = (int) (seconds * FS);
    double[] x = new double[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (double t = 0.001; t < seconds; t += (1 + 0.01 * r.nextGaussian()) / bpfo) {
      int start = (int) Math.ceil(t * FS);
      for (int i = start; i < Math.min(n, start + 200); i++) {
        double tau = i / FS - t;
        x[i] += 0.5 * Math.exp(-0.05 * 2 * Math.PI * 3000 * tau) * Math.sin(2 * Math.PI * 3000 * tau);
      }
    }
    for (int i = 0; i < n; i++) {
      x[i] += 0.05 * r.nextGaussian() + 0.02 * Math.sin(2 * Math.PI * fr * i / FS);
    }
    return x;
  }

  @Test
  void anOuterRaceRecordingIsExplainedInFull() {
    LeanDiagnoser model = model(Architecture.DRSN_CW);
    Explainer.Request request = Explainer.Request.of("skf-6205", BearingGeometry.SKF_6205)
        .withRpm(1797, "--rpm").withSeverity(Severity.Units.G, Severity.MachineGroup.GROUP_2,
            Severity.Foundation.RIGID);
    Explanation e = new Explainer(model).explain(outerRace(3, 1), FS, request);
    assertEquals(29.95, e.physics().shaftHz(), 1e-9);
    assertEquals("--rpm", e.physics().shaftSource());
    assertEquals(DefectFamily.OUTER, e.physics().evidence().verdictOrNull());
    assertEquals(FaultFamily.OUTER, e.physics().verdict());
    assertEquals(107.36, e.physics().evidence().frequencies().bpfo(), 0.01);
    assertTrue(e.physics().evidence().evidence(DefectFamily.OUTER).evidenceDb() > 10);
    // The agreement follows the network's family where it decided, whatever this random network says.
    FaultFamily network = FaultFamily.ofClass(CLASSES.get(e.diagnosis().candidate()));
    assertEquals(network, e.networkFamily());
    assertEquals(e.diagnosis().outcome() != Diagnosis.Outcome.CLASSIFIED ? Agreement.INCONCLUSIVE
        : network == FaultFamily.OUTER ? Agreement.AGREE : Agreement.DISAGREE, e.agreement());
    assertEquals(FaultFamily.OUTER, e.fused().family());
    assertTrue(e.fused().label().startsWith("OR0"), e.fused().toString());
    // Six shrinkage units (3 stages x 2), each zeroing part of its features with τ = α·mean|y|, 0 < α < 1.
    assertEquals(6, e.thresholds().size());
    for (Explanation.UnitThresholds t : e.thresholds()) {
      assertTrue(t.thresholdToMeanAbs() > 0 && t.thresholdToMeanAbs() < 1, t.toString());
      assertTrue(t.zeroedFraction() > 0 && t.zeroedFraction() < 1, t.toString());
      assertTrue(t.meanThreshold() > 0, t.toString());
    }
    assertEquals(512, e.saliency().perSample().length);
    assertEquals(32, e.saliency().stretch());
    assertTrue(e.severity().velocityRmsMmPerS() > 0);
    assertEquals(Severity.Zone.class, e.severity().zone().getClass());
  }

  @Test
  void aCrossCheckFusesAsTheFullExplanationDoesWithoutTheDecisionDetails() {
    LeanDiagnoser model = model(Architecture.DRSN_CW);
    Explainer.Request request = Explainer.Request.of("skf-6205", BearingGeometry.SKF_6205).withRpm(1797, "X130RPM");
    double[] x = outerRace(3, 2);
    Explanation full = new Explainer(model).explain(x, FS, request);
    Explanation quick = new Explainer(model).crossCheck(x, FS, request);
    assertEquals(full.fused(), quick.fused());
    assertEquals(full.agreement(), quick.agreement());
    assertEquals(full.physics().evidence().marginDb(), quick.physics().evidence().marginDb());
    assertArrayEquals(full.diagnosis().meanProbabilities(), quick.diagnosis().meanProbabilities());
    assertEquals(FaultFamily.OUTER, quick.fused().family());
    assertTrue(quick.thresholds().isEmpty());
    assertNull(quick.saliency());
    assertEquals(6, full.thresholds().size());
  }

  @Test
  void theProbeSeesEveryShrinkageUnitAndChangesNoProbability() {
    LeanDiagnoser model = model(Architecture.DRSN_CS);
    double[] x = outerRace(0.1, 2);
    float[] window = new float[512];
    for (int i = 0; i < 512; i++) {
      window[i] = (float) x[i];
    }
    float[] plain = new float[CLASSES.size()];
    float[] probed = new float[CLASSES.size()];
    model.predict(window, plain);
    List<double[]> seen = new ArrayList<>();
    model.predict(window, probed, (unit, tau, meanAbs, zeroed) -> seen.add(new double[] {unit, tau, meanAbs, zeroed}));
    assertArrayEquals(plain, probed);
    assertEquals(6, seen.size());
    for (int u = 0; u < 6; u++) {
      double[] s = seen.get(u);
      assertEquals(u, (int) s[0]);
      assertTrue(s[1] > 0 && s[1] < s[2], "τ below mean |y| since α < 1: " + java.util.Arrays.toString(s));
      assertTrue(s[3] >= 0 && s[3] < 1, java.util.Arrays.toString(s));
    }
    List<double[]> none = new ArrayList<>();
    model(Architecture.RESNET).predict(window, probed, (unit, tau, meanAbs, zeroed) -> none.add(new double[0]));
    assertTrue(none.isEmpty(), "a ResNet has no thresholds to report");
  }

  @Test
  void fusionFollowsTheDocumentedRule() {
    float[] p = {0.02f, 0.05f, 0.03f, 0.85f, 0.04f, 0.01f};
    RecordingDiagnosis d = diagnosis(p, 3);
    // no physics: the network alone
    Explanation.Fused alone = Explainer.fuse(d, FaultFamily.OUTER, null, false, CLASSES);
    assertEquals("OR007", alone.label());
    assertTrue(alone.basis().startsWith("network alone"));
    // agreement
    assertEquals("OR007", Explainer.fuse(d, FaultFamily.OUTER, FaultFamily.OUTER, false, CLASSES).label());
    // disagreement: physics fixes inner, the network's likeliest inner class gives the size
    Explanation.Fused inner = Explainer.fuse(d, FaultFamily.OUTER, FaultFamily.INNER, false, CLASSES);
    assertEquals("IR007", inner.label());
    assertEquals(FaultFamily.INNER, inner.family());
    assertFalse(inner.review());
    // a strong contradiction is flagged
    RecordingDiagnosis sure = diagnosis(new float[] {0.01f, 0.01f, 0.01f, 0.95f, 0.01f, 0.01f}, 3);
    assertTrue(Explainer.fuse(sure, FaultFamily.OUTER, FaultFamily.INNER, false, CLASSES).review());
    // a family the model has no class of: size unknown
    Explanation.Fused ball = Explainer.fuse(d, FaultFamily.OUTER, FaultFamily.CAGE, false, CLASSES);
    assertEquals("cage (size unknown)", ball.label());
    // a calibrated model that calls the recording unknown (a size it has no class for): physics names the family
    RecordingDiagnosis unknown = new RecordingDiagnosis(Diagnosis.Outcome.UNKNOWN, "unknown", 3, p, 0.2,
        new int[CLASSES.size()], java.util.Map.of(), java.util.Map.of(), FS, FS, false, 512, List.of(), 10, 50.0);
    Explanation.Fused family = Explainer.fuse(unknown, FaultFamily.OUTER, FaultFamily.INNER, false, CLASSES);
    assertEquals("inner (size unknown)", family.label());
    assertEquals(FaultFamily.INNER, family.family());
    assertEquals("unknown", Explainer.fuse(unknown, FaultFamily.OUTER, null, false, CLASSES).label());
  }

  /** Without a verdict on either side no family is named, whatever class the network leant towards. */
  @Test
  void noVerdictOnEitherSideNamesNoFamily() {
    float[] p = {0.05f, 0.10f, 0.05f, 0.55f, 0.15f, 0.10f};
    RecordingDiagnosis uncertain = withOutcome(Diagnosis.Outcome.UNCERTAIN, "uncertain", p);
    Explanation.Fused undecided = Explainer.fuse(uncertain, FaultFamily.OUTER, null, false, CLASSES);
    assertEquals(new Explanation.Fused("uncertain", FaultFamily.UNKNOWN,
        "network: uncertain; no conclusive physics evidence", false), undecided);
    RecordingDiagnosis unknown = withOutcome(Diagnosis.Outcome.UNKNOWN, "unknown", p);
    assertEquals(new Explanation.Fused("unknown", FaultFamily.UNKNOWN,
        "network: unknown (out of distribution); no conclusive physics evidence", false),
        Explainer.fuse(unknown, FaultFamily.OUTER, null, false, CLASSES));
    // Some windows healthy, so a candidate exists, but the recording is not diagnosed: nothing is named either way.
    RecordingDiagnosis unhealthy = withOutcome(Diagnosis.Outcome.UNHEALTHY_INPUT, "unhealthy input", p);
    for (FaultFamily physics : new FaultFamily[] {null, FaultFamily.INNER}) {
      assertEquals(new Explanation.Fused("unhealthy input", FaultFamily.UNKNOWN, "input not diagnosed", false),
          Explainer.fuse(unhealthy, FaultFamily.OUTER, physics, false, CLASSES));
    }
    // An uncertain network beside a verdict: the verdict names the family and the network the size, agreeing or not.
    Explanation.Fused same = Explainer.fuse(uncertain, FaultFamily.OUTER, FaultFamily.OUTER, false, CLASSES);
    assertEquals(new Explanation.Fused("OR007", FaultFamily.OUTER,
        "network: uncertain; physics fixes the family, the network chooses the size within it", false), same);
    Explanation.Fused other = Explainer.fuse(uncertain, FaultFamily.OUTER, FaultFamily.INNER, false, CLASSES);
    assertEquals("IR014", other.label());
    assertEquals(FaultFamily.INNER, other.family());
  }

  /**
   * Review where the verdict fixes the family: against a confident class of another family, a gear fault included
   * (also when the calibrated network called the recording unknown), or on evidence at a shaft harmonic.
   */
  @Test
  void aVerdictAgainstAConfidentGearClassOrOnAShaftHarmonicIsFlaggedForReview() {
    List<String> drivetrain = List.of("healthy", "bearing_inner_race", "bearing_outer_race", "gear_missing_tooth");
    float[] p = {0.01f, 0.01f, 0.02f, 0.96f};
    RecordingDiagnosis gear = new RecordingDiagnosis(Diagnosis.Outcome.CLASSIFIED, "gear_missing_tooth", 3, p, 1.0,
        new int[4], java.util.Map.of(), java.util.Map.of(), FS, FS, false, 512, List.of(), 0, Double.NaN);
    assertEquals(new Explanation.Fused("bearing_outer_race", FaultFamily.OUTER,
        "physics fixes the family, the network chooses the size within it; strong contradiction, review", true),
        Explainer.fuse(gear, FaultFamily.UNKNOWN, FaultFamily.OUTER, false, drivetrain));
    RecordingDiagnosis outOfDistribution = new RecordingDiagnosis(Diagnosis.Outcome.UNKNOWN, "unknown", 3, p, 1.0,
        new int[4], java.util.Map.of(), java.util.Map.of(), FS, FS, false, 512, List.of(), 12, 80.0);
    assertEquals(new Explanation.Fused("outer (size unknown)", FaultFamily.OUTER,
        "network: unknown (out of distribution); physics fixes the family; strong contradiction, review", true),
        Explainer.fuse(outOfDistribution, FaultFamily.UNKNOWN, FaultFamily.OUTER, false, drivetrain));
    // A model none of whose classes has a known family says nothing against the verdict.
    List<String> user = List.of("alpha", "bravo", "charlie", "delta");
    assertFalse(Explainer.fuse(gear, FaultFamily.UNKNOWN, FaultFamily.OUTER, false, user).review());
    // Below the threshold, no contradiction: only a shaft harmonic in the evidence flags it.
    float[] unsure = {0.2f, 0.2f, 0.25f, 0.35f};
    RecordingDiagnosis uncertain = new RecordingDiagnosis(Diagnosis.Outcome.UNCERTAIN, "uncertain", 3, unsure, 0.4,
        new int[4], java.util.Map.of(), java.util.Map.of(), FS, FS, false, 512, List.of(), 0, Double.NaN);
    assertFalse(Explainer.fuse(uncertain, FaultFamily.UNKNOWN, FaultFamily.OUTER, false, drivetrain).review());
    assertEquals(new Explanation.Fused("bearing_outer_race", FaultFamily.OUTER, "network: uncertain; physics fixes"
        + " the family, the network chooses the size within it; the verdict's lines include a shaft harmonic, review",
        true), Explainer.fuse(uncertain, FaultFamily.UNKNOWN, FaultFamily.OUTER, true, drivetrain));
    // A classified network that agrees keeps its class: the verdict did not decide, so nothing to review.
    RecordingDiagnosis outer = new RecordingDiagnosis(Diagnosis.Outcome.CLASSIFIED, "bearing_outer_race", 2,
        new float[] {0.01f, 0.01f, 0.97f, 0.01f}, 1.0, new int[4], java.util.Map.of(), java.util.Map.of(), FS, FS,
        false, 512, List.of(), 0, Double.NaN);
    assertEquals(new Explanation.Fused("bearing_outer_race", FaultFamily.OUTER, "network and physics agree", false),
        Explainer.fuse(outer, FaultFamily.OUTER, FaultFamily.OUTER, true, drivetrain));
  }

  private static RecordingDiagnosis withOutcome(Diagnosis.Outcome outcome, String label, float[] p) {
    return new RecordingDiagnosis(outcome, label, 3, p, 0.4, new int[CLASSES.size()], java.util.Map.of(),
        java.util.Map.of(), FS, FS, false, 512, List.of(), 0, Double.NaN);
  }

  @Test
  void agreementIsInconclusiveUnlessBothSidesNameAFamily() {
    // The class-name mapping itself is FaultFamilyTest's.
    Diagnosis.Outcome classified = Diagnosis.Outcome.CLASSIFIED;
    assertEquals(Agreement.INCONCLUSIVE, Agreement.of(classified, FaultFamily.ofClass("bravo"), FaultFamily.INNER));
    assertEquals(Agreement.INCONCLUSIVE, Agreement.of(classified, FaultFamily.INNER, null));
    assertEquals(Agreement.DISAGREE, Agreement.of(classified, FaultFamily.NORMAL, FaultFamily.INNER));
    assertEquals(Agreement.AGREE, Agreement.of(classified, FaultFamily.ofClass("OR021"), FaultFamily.OUTER));
    // A leaning class (uncertain, or unknown to the calibration) or the candidate of a partly healthy recording is
    // no decision: nothing to agree or disagree with, as the fusion takes no family from it.
    for (Diagnosis.Outcome undecided : new Diagnosis.Outcome[] {Diagnosis.Outcome.UNCERTAIN,
        Diagnosis.Outcome.UNKNOWN, Diagnosis.Outcome.UNHEALTHY_INPUT}) {
      assertEquals(Agreement.INCONCLUSIVE, Agreement.of(undecided, FaultFamily.OUTER, FaultFamily.OUTER),
          undecided.name());
      assertEquals(Agreement.INCONCLUSIVE, Agreement.of(undecided, FaultFamily.INNER, FaultFamily.OUTER),
          undecided.name());
    }
  }

  /** An uncertain network beside a verdict: the verdict fixes the family, and no agreement is claimed. */
  @Test
  void anUncertainNetworkBesideAVerdictIsNeitherInAgreementNorInDisagreement() {
    // A confidence threshold of 1 leaves every recording uncertain while its candidate still leans to a class.
    Explainer.Request request = Explainer.Request.of("skf-6205", BearingGeometry.SKF_6205).withRpm(1797, "--rpm")
        .withDiagnosis(new RecordingDiagnosis.Options(0, 1.0, 0.5));
    Explanation e = new Explainer(model(Architecture.DRSN_CW)).crossCheck(outerRace(3, 1), FS, request);
    assertEquals(Diagnosis.Outcome.UNCERTAIN, e.diagnosis().outcome());
    assertTrue(e.diagnosis().candidate() >= 0, "the network leans to a class");
    assertEquals(FaultFamily.OUTER, e.physics().verdict());
    assertEquals(Agreement.INCONCLUSIVE, e.agreement());
    assertEquals(FaultFamily.OUTER, e.fused().family());
    assertTrue(e.fused().basis().startsWith("network: uncertain; physics fixes the family"), e.fused().basis());
  }

  @Test
  void withoutSpeedOrAnEstimableOneTheErrorSaysToGiveIt() {
    double[] noise = new double[60_000];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = r.nextGaussian();
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Explainer(
        model(Architecture.DRSN_CW)).explain(noise, FS, Explainer.Request.of("skf-6205", BearingGeometry.SKF_6205)));
    assertTrue(e.getMessage().contains("cannot estimate the shaft speed") && e.getMessage().contains("--rpm"),
        e.getMessage());
    Explanation unitsUnknown = new Explainer(model(Architecture.DRSN_CW)).explain(noise, FS,
        Explainer.Request.of("skf-6205", BearingGeometry.SKF_6205).withRpm(1800, "--rpm"));
    assertNull(unitsUnknown.severity());
    assertNull(unitsUnknown.physics().verdict());
    assertEquals(Agreement.INCONCLUSIVE, unitsUnknown.agreement());
  }

  /**
   * An order-domain model's input is never given a guessed speed: without one the Explainer refuses, as
   * {@link io.github.drsn.runtime.ShaftSpeeds} does everywhere, unless the request asks for the estimate.
   */
  @Test
  void anOrderDomainModelWithoutASpeedIsRefusedUnlessTheEstimateIsAsked() {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8, 16}, 2, 3, 2, CLASSES.size(),
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    Explainer orders = new Explainer(LeanDiagnoser.of(RandomBundles.random(layout, CLASSES, new InputSpec(FS, 512, 1,
        Normalization.Z_SCORE, Representation.TIME, 128), 5)));
    double[] x = outerRace(6, 2);
    double fr = 1797 / 60.0;
    for (int i = 0; i < x.length; i++) {
      x[i] += 0.3 * Math.sin(2 * Math.PI * fr * i / FS) + 0.2 * Math.sin(2 * Math.PI * 2 * fr * i / FS)
          + 0.2 * Math.sin(2 * Math.PI * 3 * fr * i / FS);
    }
    Explainer.Request request = Explainer.Request.of("skf-6205", BearingGeometry.SKF_6205);
    io.github.drsn.runtime.ShaftSpeeds.UnknownSpeedException refused = assertThrows(
        io.github.drsn.runtime.ShaftSpeeds.UnknownSpeedException.class, () -> orders.crossCheck(x, FS, request));
    assertEquals("the model is order domain (128 samples per shaft revolution) and no shaft speed is known for this"
        + " recording: give the shaft speed, or ask for it to be estimated from the spectrum", refused.getMessage());
    assertThrows(io.github.drsn.runtime.ShaftSpeeds.UnknownSpeedException.class,
        () -> orders.explain(x, FS, request));
    Explanation estimated = orders.crossCheck(x, FS, request.withEstimatedSpeed(true));
    assertEquals(fr, estimated.physics().shaftHz(), 0.1);
    assertTrue(estimated.physics().shaftSource().startsWith("estimated from the spectrum"),
        estimated.physics().shaftSource());
    Explanation given = orders.crossCheck(x, FS, request.withRpm(1797, "--rpm"));
    assertEquals("--rpm", given.physics().shaftSource());
    assertEquals(orders.crossCheck(x, FS, request.withEstimatedSpeed(true).withRpm(1797, "--rpm")).diagnosis()
        .confidence(), given.diagnosis().confidence(), 0, "a given speed is used whether or not the estimate is asked");
  }

  private static RecordingDiagnosis diagnosis(float[] p, int candidate) {
    return new RecordingDiagnosis(Diagnosis.Outcome.CLASSIFIED, CLASSES.get(candidate), candidate, p, 1.0,
        new int[CLASSES.size()], java.util.Map.of(), java.util.Map.of(), FS, FS, false, 512, List.of(), 0, Double.NaN);
  }
}
