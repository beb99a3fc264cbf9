package io.github.drsn.model.train;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The optional training recipes of a run, each off at its default, so the baseline is the paper's training:
 * <ul>
 *   <li>{@code labelSmoothing} ε: targets (1 − ε)·onehot + ε/K (Szegedy et al. 2016, "Rethinking the Inception
 *       Architecture"), in {@link RecipeLoss};
 *   <li>{@code focalGamma} γ and {@code focalAlpha} α_c: FL = −α_t (1 − p_t)^γ log p_t (Lin et al. 2017, "Focal
 *       Loss for Dense Object Detection"), in {@link RecipeLoss};
 *   <li>{@code flood} b: the batch-mean loss becomes |loss − b| + b (Ishida et al. 2020, "Do We Need Zero
 *       Training Loss After Achieving Zero Training Error?"), in {@link RecipeLoss};
 *   <li>{@code dropout} p: inverted dropout of the pooled features before the classifier (Srivastava et al.
 *       2014), during training only; it has no parameters, so bundles and the lean runtime are unchanged;
 *   <li>{@code emaDecay} d: a shadow copy of the parameters, θ_ema ← d·θ_ema + (1 − d)·θ after every step
 *       (Polyak averaging with exponential weights), validated, kept and exported instead of the live weights
 *       ({@link Trainer});
 *   <li>{@code fgm} ε: adversarial training with the fast gradient method on the input (Miyato et al. 2017's
 *       L2-normalised FGM, after Goodfellow et al. 2015): x_adv = x + ε·rms(x)·g/‖g‖₂ per window with g = ∂L/∂x,
 *       the step's loss taken on the clean and the adversarial windows together ({@link Fgm});
 *   <li>{@code spatialDropout} p: spatial dropout in every residual unit, whole channels of the input of its second
 *       convolution dropped per sample (Tompson et al. 2015), training only, no parameters
 *       ({@link io.github.drsn.model.layers.ResidualUnit});
 *   <li>{@code snapshots} K: keep the weights at the end of each of the last K cycles of a cyclic schedule, a
 *       snapshot ensemble (Huang et al. 2017), evaluated alone and averaged ({@link Trainer}); the run's model is
 *       unchanged, the ensemble is saved beside it.
 * </ul>
 *
 * @param labelSmoothing ε in [0, 1); 0 = one-hot targets
 * @param focalGamma γ ≥ 0; 0 = cross-entropy
 * @param focalAlpha α per class (each finite and ≥ 0), or null for α = 1 everywhere
 * @param flood b ≥ 0; 0 = no flooding
 * @param dropout p in [0, 1), the probability of dropping a pooled feature; 0 = none
 * @param emaDecay d in (0, 1), or 0 for no weight averaging
 * @param fgm ε ≥ 0 of adversarial training relative to each window's RMS; 0 = off
 * @param spatialDropout p in [0, 1) of dropping a channel inside each residual unit; 0 = none
 * @param snapshots K ≥ 0 cycle-end snapshots to keep; 0 = none
 */
public record TrainingRecipe(double labelSmoothing, double focalGamma, double[] focalAlpha, double flood,
    double dropout, double emaDecay, double fgm, double spatialDropout, int snapshots) {

  /** Every recipe off: the paper's training. */
  public static final TrainingRecipe BASELINE = new TrainingRecipe(0, 0, null, 0, 0, 0, 0, 0, 0);

  /** Recipes without spatial dropout and snapshots. */
  public TrainingRecipe(double labelSmoothing, double focalGamma, double[] focalAlpha, double flood, double dropout,
      double emaDecay, double fgm) {
    this(labelSmoothing, focalGamma, focalAlpha, flood, dropout, emaDecay, fgm, 0, 0);
  }

  /** Recipes without adversarial training. */
  public TrainingRecipe(double labelSmoothing, double focalGamma, double[] focalAlpha, double flood, double dropout,
      double emaDecay) {
    this(labelSmoothing, focalGamma, focalAlpha, flood, dropout, emaDecay, 0);
  }

  /** The name of {@link #BASELINE} in {@link #describe()}. */
  public static final String BASELINE_NAME = "baseline";

  /** @throws IllegalArgumentException naming the setting (by its flag) that is out of range */
  public TrainingRecipe {
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException("--label-smoothing must be in [0, 1), got " + labelSmoothing);
    }
    if (!(focalGamma >= 0) || Double.isInfinite(focalGamma)) {
      throw new IllegalArgumentException("--focal-gamma must be a finite number >= 0, got " + focalGamma);
    }
    if (focalAlpha != null) {
      if (focalAlpha.length == 0) {
        throw new IllegalArgumentException("--focal-alpha needs one weight per class, got none");
      }
      for (double a : focalAlpha) {
        if (!(a >= 0) || Double.isInfinite(a)) {
          throw new IllegalArgumentException("--focal-alpha weights must be finite and >= 0, got "
              + Arrays.toString(focalAlpha));
        }
      }
      focalAlpha = focalAlpha.clone();
    }
    if (!(flood >= 0) || Double.isInfinite(flood)) {
      throw new IllegalArgumentException("--flood must be a finite number >= 0, got " + flood);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
    }
    if (emaDecay != 0 && !(emaDecay > 0 && emaDecay < 1)) {
      throw new IllegalArgumentException("--ema must be in (0, 1) (0 = off), got " + emaDecay);
    }
    if (!(fgm >= 0) || Double.isInfinite(fgm)) {
      throw new IllegalArgumentException("--fgm must be a finite number >= 0 (0 = off), got " + fgm);
    }
    if (!(spatialDropout >= 0 && spatialDropout < 1)) {
      throw new IllegalArgumentException("--spatial-dropout must be in [0, 1), got " + spatialDropout);
    }
    if (snapshots < 0 || snapshots > io.github.drsn.contract.Bundle.MAX_MEMBERS) {
      throw new IllegalArgumentException("--snapshots must be between 0 (none) and "
          + io.github.drsn.contract.Bundle.MAX_MEMBERS + " (the members a bundle holds), got " + snapshots);
    }
  }

  /** α per class (a copy), or null. */
  @Override
  public double[] focalAlpha() {
    return focalAlpha == null ? null : focalAlpha.clone();
  }

  /** Whether the loss differs from plain softmax cross-entropy. */
  public boolean changesLoss() {
    return labelSmoothing > 0 || focalGamma > 0 || focalAlpha != null || flood > 0;
  }

  /**
   * A short name of the recipes in force, {@code "baseline"} when none is, else {@code key=value} pairs joined by
   * {@code ","} in a fixed order, e.g. {@code "label_smoothing=0.1,ema=0.999"}; {@link #parse} reads it back.
   */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (labelSmoothing > 0) {
      parts.add("label_smoothing=" + number(labelSmoothing));
    }
    if (focalGamma > 0) {
      parts.add("focal_gamma=" + number(focalGamma));
    }
    if (focalAlpha != null) {
      parts.add("focal_alpha=" + String.join("/", Arrays.stream(focalAlpha).mapToObj(TrainingRecipe::number).toList()));
    }
    if (flood > 0) {
      parts.add("flood=" + number(flood));
    }
    if (dropout > 0) {
      parts.add("dropout=" + number(dropout));
    }
    if (emaDecay > 0) {
      parts.add("ema=" + number(emaDecay));
    }
    if (fgm > 0) {
      parts.add("fgm=" + number(fgm));
    }
    if (spatialDropout > 0) {
      parts.add("spatial_dropout=" + number(spatialDropout));
    }
    if (snapshots > 0) {
      parts.add("snapshots=" + snapshots);
    }
    return parts.isEmpty() ? BASELINE_NAME : String.join(",", parts);
  }

  /**
   * The recipe a {@link #describe()} string names.
   *
   * @throws IllegalArgumentException for an unknown key or a value out of range
   */
  public static TrainingRecipe parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.equals(BASELINE_NAME)) {
      return BASELINE;
    }
    double ls = 0, gamma = 0, flood = 0, dropout = 0, ema = 0, fgm = 0, spatial = 0;
    int snapshots = 0;
    double[] alpha = null;
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("recipe part '" + part + "' is not key=value (in '" + text + "')");
      }
      String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = part.substring(eq + 1).trim();
      try {
        switch (key) {
          case "label_smoothing" -> ls = Double.parseDouble(value);
          case "focal_gamma" -> gamma = Double.parseDouble(value);
          case "focal_alpha" -> alpha = Arrays.stream(value.split("/")).mapToDouble(Double::parseDouble).toArray();
          case "flood" -> flood = Double.parseDouble(value);
          case "dropout" -> dropout = Double.parseDouble(value);
          case "ema" -> ema = Double.parseDouble(value);
          case "fgm" -> fgm = Double.parseDouble(value);
          case "spatial_dropout" -> spatial = Double.parseDouble(value);
          case "snapshots" -> snapshots = Integer.parseInt(value);
          default -> throw new IllegalArgumentException("unknown recipe '" + key + "' in '" + text
              + "' (expected label_smoothing, focal_gamma, focal_alpha, flood, dropout, ema, fgm, spatial_dropout,"
              + " snapshots)");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("recipe " + key + " needs a number, got '" + value + "'", e);
      }
    }
    return new TrainingRecipe(ls, gamma, alpha, flood, dropout, ema, fgm, spatial, snapshots);
  }

  /** Shortest decimal that reads back as the same double (no exponent, no trailing zeros). */
  private static String number(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingRecipe r && Double.compare(labelSmoothing, r.labelSmoothing) == 0
        && Double.compare(focalGamma, r.focalGamma) == 0 && Arrays.equals(focalAlpha, r.focalAlpha)
        && Double.compare(flood, r.flood) == 0 && Double.compare(dropout, r.dropout) == 0
        && Double.compare(emaDecay, r.emaDecay) == 0 && Double.compare(fgm, r.fgm) == 0
        && Double.compare(spatialDropout, r.spatialDropout) == 0 && snapshots == r.snapshots;
  }

  @Override
  public int hashCode() {
    return Objects.hash(labelSmoothing, focalGamma, Arrays.hashCode(focalAlpha), flood, dropout, emaDecay, fgm,
        spatialDropout, snapshots);
  }

  @Override
  public String toString() {
    return describe();
  }
}
