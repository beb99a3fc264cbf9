package io.github.drsn.runtime.explain;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.runtime.Diagnoser;
import io.github.drsn.runtime.Diagnosis;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.runtime.RecordingDiagnosis;
import io.github.drsn.runtime.ShaftSpeeds;
import io.github.drsn.signals.OrderDomain;
import io.github.drsn.signals.Resampling;
import io.github.drsn.signals.bearing.BearingAnalysis;
import io.github.drsn.signals.bearing.BearingEvidence;
import io.github.drsn.signals.bearing.BearingGeometry;
import io.github.drsn.signals.bearing.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Explains a diagnosis and cross-checks it with the bearing's physics, for a service as for the command line's
 * {@code explain}: the {@link Diagnoser}'s diagnosis of a recording, the envelope analysis at the bearing's defect
 * frequencies ({@link BearingAnalysis}), their {@link Agreement}, a fused diagnosis, the shrinkage thresholds, the
 * occlusion saliency and the ISO 20816-3 severity.
 *
 * <p>Fusion rule (the physics can name a race with confidence but rarely a ball fault, and never a size):
 * <ol>
 *   <li>Input not diagnosed (unhealthy, even where some windows were healthy): the network's answer stands
 *       (label "unhealthy input", family {@link FaultFamily#UNKNOWN}), whatever the physics says.</li>
 *   <li>The calibrated network says unknown (out of distribution): a conclusive verdict names the family with
 *       "size unknown"; without one nothing is named (label "unknown", family {@link FaultFamily#UNKNOWN}).</li>
 *   <li>No conclusive physics verdict: the network decides alone; when it is uncertain nothing is named (label
 *       "uncertain", family {@link FaultFamily#UNKNOWN}), whatever class it leant towards.</li>
 *   <li>A verdict that agrees with a classified network's family: the network's class.</li>
 *   <li>A verdict that disagrees, or any verdict beside an uncertain network: the verdict fixes the family and the
 *       network chooses the size within it (its most probable class of that family); if the model has no class of
 *       that family, or its classes have no known family, the answer is the family with "size unknown".</li>
 * </ol>
 * Where the verdict fixes the family (items 2, 5) the result is flagged for review when the network put at least
 * {@link #STRONG_CONTRADICTION} of its probability on a class of another family (also when it called the recording
 * unknown, and a class of no bearing family such as a gear fault counts when the model has classes of known
 * families), or when a line of the verdict's evidence is a shaft harmonic ({@link BearingEvidence#atShaftHarmonic}:
 * a once-per-revolution event such as a missing gear tooth, not the bearing, may have made it).
 * The {@link Agreement} compares the same two decisions: a classified network's family with a conclusive verdict,
 * and is inconclusive otherwise (item 1, an unknown or uncertain network, no verdict), so it never sits as "agree"
 * or "disagree" beside a fused result that took no family from the network.
 * Thread-safe when the diagnoser is (every call has its own state).
 */
public final class Explainer {

  /** Network confidence in another family above which a disagreement is flagged for review. */
  public static final double STRONG_CONTRADICTION = 0.9;

  /** Windows over which the shrinkage thresholds are averaged, at most (spread over the recording). */
  static final int THRESHOLD_WINDOWS = 32;

  private final Diagnoser diagnoser;

  /** @param diagnoser the model; its class names give the families ({@link FaultFamily#ofClass}) */
  public Explainer(Diagnoser diagnoser) {
    this.diagnoser = Objects.requireNonNull(diagnoser, "diagnoser");
  }

  /**
   * What to explain with.
   *
   * @param rpm shaft speed in rpm (given, or recorded with the recording), or null when none is known: the physics
   *     then estimates it from the spectrum (and says so); an order-domain model's input only when
   *     {@code estimateSpeed}, else the recording is refused ({@link ShaftSpeeds}' rule)
   * @param rpmSource where the speed came from (e.g. {@code "--rpm"}), ignored when rpm is null
   * @param bearing name of the bearing for reports
   * @param geometry the bearing's geometry
   * @param analysis band and verdict rule
   * @param units the samples' unit, or null when unknown (no severity)
   * @param group ISO 20816-3 machine group, or null (velocity without zone)
   * @param foundation ISO 20816-3 foundation, or null
   * @param diagnosis options of the network's recording diagnosis
   * @param estimateSpeed whether an order-domain model may be given a speed estimated from the spectrum when rpm is
   *     null (the physics of a model that is not order domain estimates a missing speed regardless)
   */
  public record Request(Double rpm, String rpmSource, String bearing, BearingGeometry geometry,
      BearingAnalysis.Options analysis, Severity.Units units, Severity.MachineGroup group,
      Severity.Foundation foundation, RecordingDiagnosis.Options diagnosis, boolean estimateSpeed) {

    /** @throws IllegalArgumentException for a missing geometry or options, or a speed that is not positive */
    public Request {
      if (geometry == null) {
        throw new IllegalArgumentException("no bearing geometry given; name a bearing or give n,d,D,angle");
      }
      if (rpm != null && (!(rpm > 0) || rpm.isInfinite())) {
        throw new IllegalArgumentException("shaft speed must be finite and > 0 rpm, got " + rpm);
      }
      Objects.requireNonNull(analysis, "analysis");
      Objects.requireNonNull(diagnosis, "diagnosis");
    }

    /** A request without the estimate's permission, as before it was an option. */
    public Request(Double rpm, String rpmSource, String bearing, BearingGeometry geometry,
        BearingAnalysis.Options analysis, Severity.Units units, Severity.MachineGroup group,
        Severity.Foundation foundation, RecordingDiagnosis.Options diagnosis) {
      this(rpm, rpmSource, bearing, geometry, analysis, units, group, foundation, diagnosis, false);
    }

    /**
     * A request with the defaults: no speed (the physics estimates it; an order-domain model's recording is refused
     * unless {@link #withEstimatedSpeed}), kurtogram band, default rule, no units, default diagnosis.
     */
    public static Request of(String bearing, BearingGeometry geometry) {
      return new Request(null, null, bearing, geometry, BearingAnalysis.Options.DEFAULT, null, null, null,
          RecordingDiagnosis.Options.DEFAULT, false);
    }

    /** The same request with a known speed. */
    public Request withRpm(double value, String source) {
      return new Request(value, source, bearing, geometry, analysis, units, group, foundation, diagnosis,
          estimateSpeed);
    }

    /** The same request with a known speed, or none when empty. */
    public Request withSpeed(Optional<ShaftSpeeds.Speed> speed) {
      return speed.map(s -> withRpm(s.rpm(), s.source())).orElse(new Request(null, null, bearing, geometry, analysis,
          units, group, foundation, diagnosis, estimateSpeed));
    }

    /**
     * The same request where an order-domain model may be given the speed estimated from the spectrum when none is
     * known ({@code estimate}), or not.
     */
    public Request withEstimatedSpeed(boolean estimate) {
      return new Request(rpm, rpmSource, bearing, geometry, analysis, units, group, foundation, diagnosis, estimate);
    }

    /** The speed given in this request, if any. */
    public Optional<ShaftSpeeds.Speed> speed() {
      return rpm == null ? Optional.empty()
          : Optional.of(new ShaftSpeeds.Speed(rpm, rpmSource == null ? "given" : rpmSource));
    }

    /** The same request with units (and optionally the machine for a zone). */
    public Request withSeverity(Severity.Units u, Severity.MachineGroup g, Severity.Foundation f) {
      return new Request(rpm, rpmSource, bearing, geometry, analysis, u, g, f, diagnosis, estimateSpeed);
    }

    /** The same request with other options for the network's diagnosis of the recording. */
    public Request withDiagnosis(RecordingDiagnosis.Options options) {
      return new Request(rpm, rpmSource, bearing, geometry, analysis, units, group, foundation, options,
          estimateSpeed);
    }

    /** The same request with other analysis options. */
    public Request withAnalysis(BearingAnalysis.Options options) {
      return new Request(rpm, rpmSource, bearing, geometry, options, units, group, foundation, diagnosis,
          estimateSpeed);
    }
  }

  /**
   * Explains one single-channel recording.
   *
   * @param samples the recording (acceleration, or velocity with {@link Severity.Units#MM_PER_S}); NaN or infinite
   *     samples (a dropout) make their windows unhealthy in the diagnosis and enter the physics and severity as 0
   * @param samplingRate its rate in Hz
   * @param request bearing, speed, units, options
   * @throws IllegalArgumentException if the model takes more than one channel, the recording is too short for the
   *     model or the physics, or the speed is neither given nor estimable (the message says to give it)
   * @throws ShaftSpeeds.UnknownSpeedException if the model is order domain, no speed is given and the request does
   *     not ask for its estimate ({@link Request#withEstimatedSpeed})
   */
  public Explanation explain(double[] samples, double samplingRate, Request request) {
    return explain(samples, samplingRate, request, true);
  }

  /**
   * The diagnosis cross-checked with the physics, without the explanation of the network's decision: as
   * {@link #explain} with no shrinkage thresholds and no saliency (an empty list and null), which cost a few forward
   * passes per window; the fused diagnosis, agreement and severity are the same as {@link #explain}'s. What the
   * command line's {@code predict --physics} and a monitoring service use on every recording.
   *
   * @throws IllegalArgumentException as {@link #explain}
   */
  public Explanation crossCheck(double[] samples, double samplingRate, Request request) {
    return explain(samples, samplingRate, request, false);
  }

  private Explanation explain(double[] samples, double samplingRate, Request request, boolean decisionDetails) {
    InputSpec spec = diagnoser.inputSpec();
    if (spec.channels() != 1) {
      throw new IllegalArgumentException("explain takes one-channel models; this one takes " + spec.channels()
          + " channels");
    }
    // A sensor dropout (NaN or infinite samples) is reported by the diagnosis as unhealthy windows; the physics and
    // the severity, which take the whole recording, read those samples as 0, a gap too short to move their spectra.
    double[] finite = finiteOrZero(samples);
    Explanation.Physics physics = physics(finite, samplingRate, request, spec);
    // An order-domain model is given the physics' speed (stated, or estimated when asked, and labelled so in
    // physics.source()).
    RecordingDiagnosis diagnosis = diagnoser.diagnose(new double[][] {samples}, samplingRate, physics.shaftHz(),
        request.diagnosis());
    boolean diagnosed = diagnosis.candidate() >= 0;
    FaultFamily networkFamily = diagnosed ? FaultFamily.ofClass(diagnoser.classes().get(diagnosis.candidate()))
        : FaultFamily.UNKNOWN;
    FaultFamily verdict = physics.verdict();
    Agreement agreement = Agreement.of(diagnosis.outcome(), networkFamily, verdict);
    boolean atShaftHarmonic = verdict != null
        && physics.evidence().atShaftHarmonic(physics.evidence().verdictOrNull());
    Explanation.Fused fused = fuse(diagnosis, networkFamily, verdict, atShaftHarmonic, diagnoser.classes());
    List<Explanation.UnitThresholds> thresholds = List.of();
    Explanation.Saliency saliency = null;
    if (diagnosed && decisionDetails) {
      double[] atModelRate = !diagnosis.resampled() ? finite : spec.orderDomain()
          ? OrderDomain.resample(finite, samplingRate, physics.shaftHz(), spec.samplesPerRevolution())
          : Resampling.resample(finite, samplingRate, spec.samplingRate());
      thresholds = thresholds(atModelRate, diagnosis);
      saliency = saliency(atModelRate, diagnosis);
    }
    Severity.Assessment severity = request.units() == null ? null
        : Severity.assess(finite, samplingRate, request.units(), request.group(), request.foundation());
    return new Explanation(diagnosis, networkFamily, physics, agreement, fused, thresholds, saliency, severity);
  }

  private static double[] finiteOrZero(double[] samples) {
    double[] out = samples;
    for (int i = 0; i < samples.length; i++) {
      if (!Double.isFinite(samples[i])) {
        if (out == samples) {
          out = samples.clone();
        }
        out[i] = 0;
      }
    }
    return out;
  }

  private static Explanation.Physics physics(double[] samples, double fs, Request request, InputSpec spec) {
    // ShaftSpeeds' rule: the physics alone may estimate a missing speed (it says so); an order-domain model's input
    // only when asked, as everywhere else.
    ShaftSpeeds.Speed speed = ShaftSpeeds.resolve(null, spec, request.speed(), Optional.empty(),
        request.estimateSpeed() || !spec.orderDomain(), samples, fs);
    BearingEvidence evidence = BearingAnalysis.analyze(samples, fs, request.geometry(), speed.hz(),
        request.analysis());
    return new Explanation.Physics(speed.hz(), speed.source(), request.bearing(), request.geometry(), evidence);
  }

  /**
   * The fusion rule of the class comment.
   *
   * @param network the family of the network's most probable class (also when its outcome is not a class)
   * @param physics the verdict, or null
   * @param atShaftHarmonic whether the verdict's evidence has a line at a shaft harmonic
   *     ({@link BearingEvidence#atShaftHarmonic})
   */
  static Explanation.Fused fuse(RecordingDiagnosis diagnosis, FaultFamily network, FaultFamily physics,
      boolean atShaftHarmonic, List<String> classes) {
    if (diagnosis.candidate() < 0 || diagnosis.outcome() == Diagnosis.Outcome.UNHEALTHY_INPUT) {
      return new Explanation.Fused(diagnosis.label(), FaultFamily.UNKNOWN, "input not diagnosed", false);
    }
    if (diagnosis.outcome() == Diagnosis.Outcome.UNKNOWN) {
      // The calibrated model says this is none of its classes (e.g. a fault size it has no class for): its
      // candidate is not evidence, the physics alone can name the family.
      if (physics == null) {
        return new Explanation.Fused(diagnosis.label(), FaultFamily.UNKNOWN,
            "network: unknown (out of distribution); no conclusive physics evidence", false);
      }
      String why = review(diagnosis, network, physics, atShaftHarmonic, classes);
      return new Explanation.Fused(physics.label() + " (size unknown)", physics,
          "network: unknown (out of distribution); physics fixes the family" + why, !why.isEmpty());
    }
    boolean classified = diagnosis.outcome() == Diagnosis.Outcome.CLASSIFIED;
    if (physics == null) {
      // An uncertain network has no verdict: the class it leant towards is no family to report.
      return classified
          ? new Explanation.Fused(diagnosis.label(), network, "network alone: no conclusive physics evidence", false)
          : new Explanation.Fused(diagnosis.label(), FaultFamily.UNKNOWN,
              "network: " + diagnosis.label() + "; no conclusive physics evidence", false);
    }
    if (network == physics && classified) {
      return new Explanation.Fused(diagnosis.label(), network, "network and physics agree", false);
    }
    float[] p = diagnosis.meanProbabilities();
    int best = -1;
    for (int k = 0; k < classes.size(); k++) {
      if (FaultFamily.ofClass(classes.get(k)) == physics && (best < 0 || p[k] > p[best])) {
        best = k;
      }
    }
    String review = review(diagnosis, network, physics, atShaftHarmonic, classes);
    if (best < 0) {
      String why = network == FaultFamily.UNKNOWN && !knowsAFamily(classes)
          ? "physics: the model's classes have no known bearing family"
          : "physics fixes the family; the model has no class of it";
      return new Explanation.Fused(physics.label() + " (size unknown)", physics, why + review, !review.isEmpty());
    }
    String uncertain = classified ? "" : "network: " + diagnosis.label() + "; ";
    return new Explanation.Fused(classes.get(best), physics, uncertain
        + "physics fixes the family, the network chooses the size within it" + review, !review.isEmpty());
  }

  /**
   * Why a verdict that fixes the family should be reviewed (the rule's last item), as a suffix of the basis, or
   * empty: a strong contradiction (the network's most probable class, of another family, has at least
   * {@link #STRONG_CONTRADICTION}; a class of no bearing family, such as a gear fault, counts when the model has
   * classes of known families, as it could have answered with one), or a verdict resting on a shaft harmonic.
   */
  private static String review(RecordingDiagnosis diagnosis, FaultFamily network, FaultFamily physics,
      boolean atShaftHarmonic, List<String> classes) {
    boolean contradiction = network != physics && (network != FaultFamily.UNKNOWN || knowsAFamily(classes))
        && diagnosis.confidence() >= STRONG_CONTRADICTION;
    if (contradiction) {
      return "; strong contradiction, review";
    }
    return atShaftHarmonic ? "; the verdict's lines include a shaft harmonic, review" : "";
  }

  private static boolean knowsAFamily(List<String> classes) {
    return classes.stream().anyMatch(c -> FaultFamily.ofClass(c) != FaultFamily.UNKNOWN);
  }

  /** Mean probe values over up to {@link #THRESHOLD_WINDOWS} healthy windows spread over the recording. */
  private List<Explanation.UnitThresholds> thresholds(double[] x, RecordingDiagnosis diagnosis) {
    if (!(diagnoser instanceof LeanDiagnoser lean)) {
      return List.of();
    }
    List<RecordingDiagnosis.Window> healthy = diagnosis.windows().stream()
        .filter(w -> w.diagnosis().outcome() != Diagnosis.Outcome.UNHEALTHY_INPUT).toList();
    int step = Math.max(1, healthy.size() / THRESHOLD_WINDOWS);
    int length = diagnoser.inputSpec().windowLength();
    List<double[]> sums = new ArrayList<>();
    int[] count = new int[1];
    float[] p = new float[diagnoser.classes().size()];
    for (int i = 0; i < healthy.size(); i += step) {
      float[] window = window(x, healthy.get(i).start(), length);
      lean.predict(window, p, (unit, tau, meanAbs, zeroed) -> {
        while (sums.size() <= unit) {
          sums.add(new double[4]);
        }
        double[] s = sums.get(unit);
        s[0] += tau;
        s[1] += meanAbs > 0 ? tau / meanAbs : 0;
        s[2] += zeroed;
        s[3]++;
      });
      count[0]++;
    }
    List<Explanation.UnitThresholds> out = new ArrayList<>();
    for (int u = 0; u < sums.size(); u++) {
      double[] s = sums.get(u);
      out.add(new Explanation.UnitThresholds(u, s[0] / s[3], s[1] / s[3], s[2] / s[3]));
    }
    return List.copyOf(out);
  }

  /** Occlusion saliency (see {@link Explanation.Saliency}) on the window most probable for the diagnosed class. */
  private Explanation.Saliency saliency(double[] x, RecordingDiagnosis diagnosis) {
    int k = diagnosis.candidate();
    RecordingDiagnosis.Window chosen = null;
    for (RecordingDiagnosis.Window w : diagnosis.windows()) {
      Diagnosis d = w.diagnosis();
      if (d.labelIndex() >= 0 && (chosen == null || d.probabilities()[k] > chosen.diagnosis().probabilities()[k])) {
        chosen = w;
      }
    }
    if (chosen == null) {
      return null;
    }
    int length = diagnoser.inputSpec().windowLength();
    float[] window = window(x, chosen.start(), length);
    float[] p = new float[diagnoser.classes().size()];
    diagnoser.predict(window, p);
    double base = p[k];
    int stretch = Math.max(1, length / 16);
    int hop = Math.max(1, stretch / 2);
    double[] sum = new double[length];
    int[] covered = new int[length];
    float[] occluded = window.clone();
    for (int start = 0; start < length; start += hop) {
      int end = Math.min(length, start + stretch);
      System.arraycopy(window, 0, occluded, 0, length);
      java.util.Arrays.fill(occluded, start, end, 0f);
      diagnoser.predict(occluded, p);
      double drop = base - p[k];
      for (int i = start; i < end; i++) {
        sum[i] += drop;
        covered[i]++;
      }
      if (end == length) {
        break;
      }
    }
    for (int i = 0; i < length; i++) {
      sum[i] = covered[i] > 0 ? sum[i] / covered[i] : 0;
    }
    // The rate the windows were cut at: f_r·S of an order-domain model, the sensor's own when taken as is.
    double cutRate = diagnosis.resampled() ? diagnosis.modelRate() : diagnosis.samplingRate();
    return new Explanation.Saliency(diagnoser.classes().get(k), chosen.start(), cutRate, window, base, stretch, sum);
  }

  private static float[] window(double[] x, int start, int length) {
    float[] w = new float[length];
    for (int i = 0; i < length; i++) {
      w[i] = (float) x[start + i];
    }
    return w;
  }
}
