package io.github.drsn.model.adapt;

import io.github.drsn.contract.Preprocessor;
import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.model.diagnoser.Dl4jDiagnoser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Adapts a trained model to unlabeled recordings of a new operating condition, without labels: {@link
 * NormStatistics} (AdaBN: batch-norm statistics of the target), then optionally {@link PseudoLabels} (fine-tuning on
 * the adapted model's confident predictions, then AdaBN again, since fine-tuning in training mode moves the running
 * statistics towards its minibatches). The source bundle is not changed.
 *
 * <p>Adaptation without labels cannot measure its own accuracy, so it is guarded against the failures it can see,
 * comparing the adapted model's predictions on the target windows with the source model's ({@link Guard}):
 * <ol>
 *   <li><b>agreement</b>: the fraction of windows on which both predict the same class must be at least {@link
 *       Guard#minAgreement()} (default 0.5). Adaptation is meant to correct a shifted model, not to replace it: when
 *       more than half of its decisions flip, the source model's knowledge has not survived.</li>
 *   <li><b>collapse</b>: the class the adapted model predicts most may take more than {@link Guard#maxClassShare()}
 *       (default 0.5) of the windows only if the source model already gave it at least that share minus {@link
 *       Guard#maxShareGain()} (default 0.2): one class swallowing the predictions is the classic failure of
 *       self-training (its own errors reinforced), while a target that really is mostly one class is predicted so
 *       by the source model too.</li>
 * </ol>
 * A refused adaptation is still returned ({@link Report#refusals()} says why); writing it is the caller's choice
 * (the command line requires {@code --force}).
 *
 * <pre>{@code
 * ModelBundle source = ModelBundle.read(Path.of("model.drsn"));
 * Adaptation.Result result = Adaptation.adapt(source, windows, Adaptation.Options.DEFAULT);
 * if (!result.report().refused()) {
 *   Adaptation.bundle(source, result, Map.of("files", ...), false).write(Path.of("adapted.drsn"));
 * }
 * }</pre>
 */
public final class Adaptation {

  /** The key of the adaptation record in the adapted bundle's training section. */
  public static final String RECORD_KEY = "adaptation";

  private Adaptation() {}

  /**
   * The bounds an adapted model must keep (see the class comment).
   *
   * @param minAgreement minimum fraction of target windows on which the adapted and the source model agree
   * @param maxClassShare share of the windows the most predicted class may take without further check
   * @param maxShareGain how far above the source model's share of that class the adapted share may go, when it is
   *     above {@code maxClassShare}
   */
  public record Guard(double minAgreement, double maxClassShare, double maxShareGain) {

    /** Agreement ≥ 0.5; a class above half of the windows at most 0.2 above the source model's share of it. */
    public static final Guard DEFAULT = new Guard(0.5, 0.5, 0.2);

    /** @throws IllegalArgumentException naming the bound that is outside [0, 1] */
    public Guard {
      double[] values = {minAgreement, maxClassShare, maxShareGain};
      String[] names = {"minimum agreement (--min-agreement)", "largest class share (--max-class-share)",
          "largest share gain (--max-share-gain)"};
      for (int i = 0; i < values.length; i++) {
        if (!(values[i] >= 0 && values[i] <= 1)) {
          throw new IllegalArgumentException("the guard's " + names[i] + " is a fraction in [0, 1], got " + values[i]);
        }
      }
    }

    /** The rules in words, for reports and the bundle's record. */
    public String describe() {
      return String.format(Locale.ROOT, "refuse when the adapted model agrees with the source model on fewer than"
          + " %.2f of the target windows, or when its most predicted class takes more than %.2f of them and more"
          + " than %.2f above the source model's share of that class", minAgreement, maxClassShare, maxShareGain);
    }
  }

  /**
   * What to do.
   *
   * @param adaBn re-estimate the batch-norm statistics on the target windows
   * @param pseudoLabels fine-tune on confident pseudo-labels with these options, or null for none
   * @param guard the bounds of the guard
   */
  public record Options(boolean adaBn, PseudoLabels.Options pseudoLabels, Guard guard) {

    /** AdaBN only, default guard. */
    public static final Options DEFAULT = new Options(true, null, Guard.DEFAULT);

    /** @throws IllegalArgumentException if neither step is asked for */
    public Options {
      if (!adaBn && pseudoLabels == null) {
        throw new IllegalArgumentException("nothing to do: ask for AdaBN, pseudo-labels or both");
      }
      guard = guard == null ? Guard.DEFAULT : guard;
    }

    /** "adabn", "pseudo_labels" or "adabn+pseudo_labels". */
    public String method() {
      return adaBn && pseudoLabels != null ? "adabn+pseudo_labels" : adaBn ? "adabn" : "pseudo_labels";
    }
  }

  /**
   * The target windows' predictions by one model.
   *
   * @param name "source", "adabn" or "pseudo_labels" (the model after that step)
   * @param predicted windows per predicted class
   * @param meanMaxProbability mean over windows of the most probable class's probability
   * @param meanEntropy mean over windows of −Σ p log p (nats; log K for a uniform prediction)
   * @param agreement fraction of windows on which it predicts what the source model predicts
   */
  public record Stage(String name, int[] predicted, double meanMaxProbability, double meanEntropy,
      double agreement) {}

  /**
   * What an adaptation did and found.
   *
   * @param method {@link Options#method()}
   * @param classes class names in output order
   * @param windows target windows used
   * @param stages the source model, then the model after each step
   * @param adaBn the last re-estimation (after fine-tuning when both ran), or null
   * @param selection the pseudo-labelled windows, or null
   * @param pseudoLabelOptions how they were chosen and fitted, or null
   * @param fineTuneLosses mean training loss per fine-tuning epoch, or null
   * @param guard the bounds checked
   * @param refusals the guard's findings, empty when the adapted model passed
   */
  public record Report(String method, List<String> classes, int windows, List<Stage> stages,
      NormStatistics.Result adaBn, PseudoLabels.Selection selection, PseudoLabels.Options pseudoLabelOptions,
      double[] fineTuneLosses, Guard guard, List<String> refusals) {

    /** Whether the guard refused the adapted model. */
    public boolean refused() {
      return !refusals.isEmpty();
    }

    /** The adapted model's stage (the last). */
    public Stage adapted() {
      return stages.get(stages.size() - 1);
    }

    /** The source model's stage (the first). */
    public Stage source() {
      return stages.get(0);
    }
  }

  /**
   * An adapted network and what was done.
   *
   * @param network the adapted network (a new one; the source bundle's is not touched)
   * @param report the report
   * @param probabilities the adapted model's class probabilities per target window
   * @param sourceProbabilities the source model's, computed before adapting (what the report's source stage counts)
   */
  public record Result(MultiLayerNetwork network, Report report, float[][] probabilities,
      float[][] sourceProbabilities) {}

  /**
   * Adapts the network of {@code source} to {@code windows}.
   *
   * @param windows raw target windows at the model's sampling rate, {@code InputSpec.windowSamples()} samples each,
   *     channel-major (the model's {@link Preprocessor} is applied here, as the runtime applies it)
   * @throws IllegalArgumentException if there are fewer than 2 windows or a window does not fit the model
   */
  public static Result adapt(ModelBundle source, List<float[]> windows, Options options) {
    if (windows.size() < 2) {
      throw new IllegalArgumentException("adaptation needs at least 2 target windows, got " + windows.size());
    }
    MultiLayerNetwork network = ModelBundle.of(source.bundle()).network();
    INDArray features = Dl4jDiagnoser.features(new Preprocessor(source.input()), windows.toArray(float[][]::new),
        network.params().dataType());
    float[][] sourceP = probabilities(network, features);
    int[] sourceLabels = labels(sourceP);
    List<Stage> stages = new ArrayList<>();
    stages.add(stage("source", sourceP, sourceLabels));
    float[][] p = sourceP;
    NormStatistics.Result adaBn = null;
    if (options.adaBn()) {
      adaBn = NormStatistics.reestimate(network, features);
      p = probabilities(network, features);
      stages.add(stage("adabn", p, sourceLabels));
    }
    PseudoLabels.Selection selection = null;
    double[] losses = null;
    if (options.pseudoLabels() != null) {
      PseudoLabels.Options o = options.pseudoLabels();
      selection = PseudoLabels.select(p, o.threshold(), o.classBalanced());
      if (selection.size() >= 2) {
        losses = PseudoLabels.fineTune(network, features, selection, o);
        if (options.adaBn()) {
          adaBn = NormStatistics.reestimate(network, features);
        }
        p = probabilities(network, features);
      }
      stages.add(stage("pseudo_labels", p, sourceLabels));
    }
    List<String> refusals = check(options.guard(), source.classes(), stages.get(0), stages.get(stages.size() - 1),
        windows.size());
    return new Result(network, new Report(options.method(), source.classes(), windows.size(), List.copyOf(stages),
        adaBn, selection, options.pseudoLabels(), losses, options.guard(), refusals), p, sourceP);
  }

  /** The guard's findings on the adapted stage against the source stage (empty: passed). */
  static List<String> check(Guard guard, List<String> classes, Stage source, Stage adapted, int windows) {
    List<String> refusals = new ArrayList<>();
    if (adapted.agreement() < guard.minAgreement()) {
      refusals.add(String.format(Locale.ROOT, "agreement collapsed: the adapted model predicts what the source model"
          + " predicts on %.3f of the %d target windows, below the bound %.2f", adapted.agreement(), windows,
          guard.minAgreement()));
    }
    int top = 0;
    for (int k = 1; k < adapted.predicted().length; k++) {
      if (adapted.predicted()[k] > adapted.predicted()[top]) {
        top = k;
      }
    }
    double share = adapted.predicted()[top] / (double) windows;
    double sourceShare = source.predicted()[top] / (double) windows;
    if (share > guard.maxClassShare() && share - sourceShare > guard.maxShareGain()) {
      refusals.add(String.format(Locale.ROOT, "one class swallows the predictions: the adapted model predicts %s for"
          + " %.3f of the target windows (the source model for %.3f), above the bound %.2f and more than %.2f above"
          + " the source model's share", classes.get(top), share, sourceShare, guard.maxClassShare(),
          guard.maxShareGain()));
    }
    return List.copyOf(refusals);
  }

  /**
   * The adapted bundle: the source bundle's classes, input, metrics and training section, with the network's
   * parameters and the record of the adaptation under {@link #RECORD_KEY} in the training section (the bundle
   * format is unchanged; the metrics remain the source model's, measured before adaptation, and the record says so).
   * A source that was itself adapted keeps its record under {@code previous}.
   *
   * @param target what the target windows were, e.g. {@code files} with path, SHA-256 and window counts
   * @param forced whether the guard refused and the caller wrote it anyway
   */
  public static ModelBundle bundle(ModelBundle source, Result result, Map<String, Object> target, boolean forced) {
    var training = source.training();
    var record = ModelBundle.toNode(record(result.report(), target, forced));
    if (training.has(RECORD_KEY)) {
      // An adapted model adapted again keeps the record of what came before.
      record.set("previous", training.get(RECORD_KEY));
    }
    training.set(RECORD_KEY, record);
    return new ModelBundle(result.network(), source.architecture(), source.spec(), source.classes(), source.input(),
        training, source.provenance(), source.metrics(), source.projectVersion(), java.time.Instant.now());
  }

  /** The record of an adaptation, as stored in the adapted bundle (JSON-able maps and lists). */
  public static Map<String, Object> record(Report report, Map<String, Object> target, boolean forced) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("method", report.method());
    r.put("references", List.of(
        "AdaBN: Li et al., Revisiting Batch Normalization For Practical Domain Adaptation, Pattern Recognition 2018",
        "Pseudo-labels: Lee, Pseudo-Label, ICML 2013 workshop on challenges in representation learning"));
    r.put("target", target == null ? Map.of() : target);
    r.put("windows", report.windows());
    if (report.adaBn() != null) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("batch_norm_blocks", report.adaBn().estimates().size());
      a.put("group_norm_blocks", report.adaBn().groupNormBlocks());
      a.put("no_op", report.adaBn().noOp());
      if (report.adaBn().noOp()) {
        a.put("note", "group norm keeps no running statistics: AdaBN changes nothing");
      }
      r.put("adabn", a);
    }
    PseudoLabels.Selection s = report.selection();
    if (s != null) {
      Map<String, Object> pl = new LinkedHashMap<>();
      pl.putAll(describe(report.pseudoLabelOptions()));
      pl.put("windows", s.size());
      pl.put("per_class", perClass(report.classes(), s.perClass()));
      pl.put("confident_per_class", perClass(report.classes(), s.confident()));
      if (report.fineTuneLosses() != null) {
        pl.put("epoch_losses", toList(report.fineTuneLosses()));
      } else {
        pl.put("note", "fewer than 2 windows reached the threshold: no fine-tuning");
      }
      r.put("pseudo_labels", pl);
    }
    r.put("options", options(report));
    List<Object> stages = new ArrayList<>();
    for (Stage st : report.stages()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model", st.name());
      m.put("agreement_with_source", st.agreement());
      m.put("mean_max_probability", st.meanMaxProbability());
      m.put("mean_entropy", st.meanEntropy());
      m.put("predicted", perClass(report.classes(), st.predicted()));
      stages.add(m);
    }
    r.put("stages", stages);
    r.put("guard", Map.of("rules", report.guard().describe(), "refusals", report.refusals(), "forced", forced));
    r.put("metrics_note", "the bundle's metrics are the source model's, measured before adaptation");
    return r;
  }

  private static Map<String, Object> options(Report report) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("adabn", report.adaBn() != null);
    o.put("min_agreement", report.guard().minAgreement());
    o.put("max_class_share", report.guard().maxClassShare());
    o.put("max_share_gain", report.guard().maxShareGain());
    return o;
  }

  /** The pseudo-label options as recorded (the caller adds them to the target map if wanted). */
  public static Map<String, Object> describe(PseudoLabels.Options o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("threshold", o.threshold());
    m.put("class_balanced", o.classBalanced());
    m.put("epochs", o.epochs());
    m.put("learning_rate", o.learningRate());
    m.put("batch", o.batch());
    m.put("seed", o.seed());
    return m;
  }

  private static Map<String, Object> perClass(List<String> classes, int[] counts) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int k = 0; k < counts.length; k++) {
      m.put(classes.get(k), counts[k]);
    }
    return m;
  }

  private static List<Double> toList(double[] values) {
    List<Double> list = new ArrayList<>();
    for (double v : values) {
      list.add(v);
    }
    return list;
  }

  /** Class probabilities of every window, in batches of {@link NormStatistics#BATCH}. */
  public static float[][] probabilities(MultiLayerNetwork network, INDArray features) {
    int n = (int) features.size(0);
    float[][] p = new float[n][];
    for (int from = 0; from < n; from += NormStatistics.BATCH) {
      int to = Math.min(n, from + NormStatistics.BATCH);
      INDArray y = network.output(features.get(NDArrayIndex.interval(from, to)), false);
      for (int i = from; i < to; i++) {
        p[i] = y.getRow(i - from).toFloatVector();
      }
    }
    return p;
  }

  /** The most probable class of each row. */
  public static int[] labels(float[][] probabilities) {
    int[] labels = new int[probabilities.length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = io.github.drsn.runtime.Diagnosis.argMax(probabilities[i]);
    }
    return labels;
  }

  private static Stage stage(String name, float[][] p, int[] sourceLabels) {
    int[] predicted = new int[p[0].length];
    double maxSum = 0;
    double entropySum = 0;
    int agree = 0;
    for (int i = 0; i < p.length; i++) {
      int best = io.github.drsn.runtime.Diagnosis.argMax(p[i]);
      predicted[best]++;
      maxSum += p[i][best];
      double h = 0;
      for (float v : p[i]) {
        if (v > 0) {
          h -= v * Math.log(v);
        }
      }
      entropySum += h;
      if (best == sourceLabels[i]) {
        agree++;
      }
    }
    return new Stage(name, predicted, maxSum / p.length, entropySum / p.length, agree / (double) p.length);
  }
}
