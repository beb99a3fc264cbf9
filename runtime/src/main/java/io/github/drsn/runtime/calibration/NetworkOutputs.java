package io.github.drsn.runtime.calibration;

import io.github.drsn.runtime.LeanDiagnoser;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers, one raw window at a time, what {@link Calibrator.Outputs} holds: the network's logits before any
 * temperature, its pooled features, and, for a single network, every residual unit's time-averaged features (the layer
 * ensemble), or, for an ensemble, the members' disagreement ({@link LeanDiagnoser#rawOutputs(float[], double[],
 * double[], double[][])}). What calibration is fitted on, and what its thresholds are chosen on.
 */
public final class NetworkOutputs {

  private final LeanDiagnoser model;
  private final int[] widths;
  private final List<double[]> logits = new ArrayList<>();
  private final List<double[]> features = new ArrayList<>();
  private final List<Integer> labels = new ArrayList<>();
  private final List<Double> disagreement = new ArrayList<>();
  private final List<double[][]> layers = new ArrayList<>();

  /** @param model the network (or ensemble) whose outputs to gather; its calibration is not used */
  public NetworkOutputs(LeanDiagnoser model) {
    this.model = model;
    this.widths = model.layerWidths();
  }

  /**
   * The outputs on raw windows of recordings (before the model's preprocessing, channel-major, as the runtime cuts
   * them), each labelled -1: their class is not known.
   */
  public static Calibrator.Outputs of(LeanDiagnoser model, List<float[]> windows) {
    NetworkOutputs collected = new NetworkOutputs(model);
    windows.forEach(w -> collected.add(w, -1));
    return collected.outputs();
  }

  /**
   * Adds one window.
   *
   * @param window raw samples of one window, as for {@link LeanDiagnoser#rawOutputs}
   * @param label its class's index among the model's classes, or -1 when not known
   */
  public void add(float[] window, int label) {
    double[] z = new double[model.classes().size()];
    double[] f = new double[model.pooledFeatures()];
    double[][] l = null;
    if (widths != null) {
      l = new double[widths.length][];
      for (int i = 0; i < widths.length; i++) {
        l[i] = new double[widths[i]];
      }
      layers.add(l);
    }
    disagreement.add(model.rawOutputs(window, z, f, l));
    logits.add(z);
    features.add(f);
    labels.add(label);
  }

  /** Everything added so far. */
  public Calibrator.Outputs outputs() {
    return new Calibrator.Outputs(logits.toArray(double[][]::new), features.toArray(double[][]::new),
        labels.stream().mapToInt(Integer::intValue).toArray(),
        model.memberCount() == 1 ? null : disagreement.stream().mapToDouble(Double::doubleValue).toArray(),
        widths == null ? null : layers.toArray(double[][][]::new));
  }
}
