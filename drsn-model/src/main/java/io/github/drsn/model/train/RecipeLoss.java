package io.github.drsn.model.train;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Softmax cross-entropy with label smoothing, focal weighting and flooding, for an output layer with softmax
 * activation. For logits z of one example, p = softmax(z), soft targets y = (1 − ε)·onehot + ε/K (label
 * smoothing, Szegedy et al. 2016) and class weights α_k (1 when none are given):
 * <pre>
 *   ℓ(z) = −Σ_k α_k y_k (1 − p_k)^γ log p_k              (focal loss, Lin et al. 2017; γ = 0 is cross-entropy)
 *   ∂ℓ/∂z_j = h_j − p_j Σ_k h_k,   h_k = p_k ∂ℓ/∂p_k = −α_k y_k [(1 − p_k)^γ − γ (1 − p_k)^(γ−1) p_k log p_k]
 * </pre>
 * With one-hot targets ℓ is −α_t (1 − p_t)^γ log p_t; with γ = 0, α = 1 the gradient is p − y.
 *
 * <p>Flooding (Ishida et al. 2020) acts on the batch: the score is |L̄ − b| + b for the batch mean L̄, so every
 * example's gradient is multiplied by sign(L̄ − b): below the flood level the step ascends the loss. (At L̄ = b
 * the sign is taken as +1.) The per-example {@link #computeScoreArray} is not flooded, as flooding has no
 * per-example form.
 *
 * <p>The gradient is returned with respect to the softmax's input (the pre-activations DL4J passes), as DL4J's
 * {@link ILossFunction} contract asks; arithmetic is in double whatever the network's type. Masks are honoured
 * per example (a row mask multiplies each example's loss and gradient).
 */
public final class RecipeLoss implements ILossFunction {

  private static final long serialVersionUID = 1L;

  @JsonProperty("labelSmoothing")
  private double labelSmoothing;
  @JsonProperty("focalGamma")
  private double focalGamma;
  @JsonProperty("focalAlpha")
  private double[] focalAlpha;
  @JsonProperty("flood")
  private double flood;

  /** For DL4J's JSON. */
  public RecipeLoss() {}

  /** The loss of {@code recipe}'s label smoothing, focal and flooding settings. */
  public RecipeLoss(TrainingRecipe recipe) {
    this.labelSmoothing = recipe.labelSmoothing();
    this.focalGamma = recipe.focalGamma();
    this.focalAlpha = recipe.focalAlpha();
    this.flood = recipe.flood();
  }

  /** Per-example losses ℓ_i (no flooding), and per-example gradients when {@code gradients} is non-null. */
  private double[] lossesAndGradients(double[][] labels, double[][] logits, double[] mask, double[][] gradients) {
    int n = logits.length;
    double[] losses = new double[n];
    for (int i = 0; i < n; i++) {
      double[] z = logits[i];
      int k = z.length;
      if (focalAlpha != null && focalAlpha.length != k) {
        throw new IllegalArgumentException("focal alpha has " + focalAlpha.length + " weights but the output has "
            + k + " classes");
      }
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : z) {
        sum += Math.exp(v - max);
      }
      double logSum = Math.log(sum) + max;
      double[] p = new double[k];
      double[] h = new double[k];
      double loss = 0;
      double hSum = 0;
      for (int c = 0; c < k; c++) {
        double logP = z[c] - logSum;
        p[c] = Math.exp(logP);
        double q = -Math.expm1(logP); // 1 − p without cancellation when p is close to 1
        double y = (1 - labelSmoothing) * labels[i][c] + labelSmoothing / k;
        double w = (focalAlpha == null ? 1 : focalAlpha[c]) * y;
        if (w == 0) {
          continue;
        }
        double modulating = focalGamma == 0 ? 1 : Math.pow(q, focalGamma);
        loss -= w * modulating * logP;
        // γ (1 − p)^(γ−1) p log p → 0 as p → 1 for γ > 0, so q = 0 contributes nothing.
        double focalTerm = focalGamma == 0 || q == 0 ? 0 : focalGamma * Math.pow(q, focalGamma - 1) * p[c] * logP;
        h[c] = -w * (modulating - focalTerm);
        hSum += h[c];
      }
      double m = mask == null ? 1 : mask[i];
      losses[i] = m * loss;
      if (gradients != null) {
        for (int c = 0; c < k; c++) {
          gradients[i][c] = m * (h[c] - p[c] * hSum);
        }
      }
    }
    return losses;
  }

  private static double[] rowMask(INDArray mask, long rows) {
    if (mask == null) {
      return null;
    }
    if (mask.length() != rows) {
      throw new IllegalArgumentException("RecipeLoss supports per-example masks only, got mask shape "
          + Arrays.toString(mask.shape()));
    }
    return mask.reshape(rows).toDoubleVector();
  }

  private static void checkSoftmax(IActivation activation) {
    if (!(activation instanceof ActivationSoftmax)) {
      throw new IllegalArgumentException("RecipeLoss needs a softmax output layer, got " + activation);
    }
  }

  /** Mean of the (masked) per-example losses. */
  private static double mean(double[] losses) {
    double s = 0;
    for (double l : losses) {
      s += l;
    }
    return s / losses.length;
  }

  private double flooded(double meanLoss) {
    return flood > 0 ? Math.abs(meanLoss - flood) + flood : meanLoss;
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
      boolean average) {
    checkSoftmax(activationFn);
    double[] losses = lossesAndGradients(labels.toDoubleMatrix(), preOutput.toDoubleMatrix(),
        rowMask(mask, preOutput.rows()), null);
    double score = flooded(mean(losses));
    return average ? score : score * losses.length;
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    checkSoftmax(activationFn);
    double[] losses = lossesAndGradients(labels.toDoubleMatrix(), preOutput.toDoubleMatrix(),
        rowMask(mask, preOutput.rows()), null);
    return Nd4j.createFromArray(losses).castTo(preOutput.dataType()).reshape(losses.length, 1);
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return computeGradientAndScore(labels, preOutput, activationFn, mask, true).getSecond();
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
      IActivation activationFn, INDArray mask, boolean average) {
    checkSoftmax(activationFn);
    double[][] logits = preOutput.toDoubleMatrix();
    double[][] gradients = new double[logits.length][logits.length == 0 ? 0 : logits[0].length];
    double[] losses = lossesAndGradients(labels.toDoubleMatrix(), logits, rowMask(mask, preOutput.rows()), gradients);
    double meanLoss = mean(losses);
    if (flood > 0 && meanLoss < flood) {
      for (double[] row : gradients) {
        for (int c = 0; c < row.length; c++) {
          row[c] = -row[c];
        }
      }
    }
    DataType type = preOutput.dataType();
    INDArray gradient = Nd4j.createFromArray(gradients).castTo(type);
    double score = flooded(meanLoss);
    return new Pair<>(average ? score : score * losses.length, gradient);
  }

  @Override
  public String name() {
    return "RecipeLoss";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecipeLoss r && labelSmoothing == r.labelSmoothing && focalGamma == r.focalGamma
        && Arrays.equals(focalAlpha, r.focalAlpha) && flood == r.flood;
  }

  @Override
  public int hashCode() {
    return Objects.hash(labelSmoothing, focalGamma, Arrays.hashCode(focalAlpha), flood);
  }

  @Override
  public String toString() {
    return "RecipeLoss(labelSmoothing=" + labelSmoothing + ", focalGamma=" + focalGamma + ", focalAlpha="
        + Arrays.toString(focalAlpha) + ", flood=" + flood + ")";
  }
}
