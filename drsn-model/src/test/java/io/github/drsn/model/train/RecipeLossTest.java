package io.github.drsn.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * {@link RecipeLoss} against hand-computed values. For logits z = (1, 2, 0.5):
 * p = softmax(z) = e^z / Σe^z = (0.231223898, 0.628531719, 0.140244383), log p = z − log Σ e^z.
 */
class RecipeLossTest {

  private static final ActivationSoftmax SOFTMAX = new ActivationSoftmax();
  private static final double[] P = {0.23122389762214904, 0.6285317192117624, 0.14024438316608848};

  private static INDArray row(double... v) {
    return Nd4j.createFromArray(new double[][] {v});
  }

  private static RecipeLoss loss(double ls, double gamma, double[] alpha, double flood) {
    return new RecipeLoss(new TrainingRecipe(ls, gamma, alpha, flood, 0, 0));
  }

  @Test
  void labelSmoothingTargetsAreOneMinusEpsilonOnehotPlusEpsilonOverK() {
    // ε = 0.1, K = 3, true class 1: y = (0.1/3, 0.9 + 0.1/3, 0.1/3) = (0.0333.., 0.9333.., 0.0333..).
    // loss = −Σ y_k log p_k = 0.547702117; gradient w.r.t. z = p − y.
    double[] y = {0.1 / 3, 0.9 + 0.1 / 3, 0.1 / 3};
    RecipeLoss ls = loss(0.1, 0, null, 0);
    INDArray labels = row(0, 1, 0);
    INDArray z = row(1, 2, 0.5);
    assertEquals(0.5477021174412783, ls.computeScore(labels, z, SOFTMAX, null, true), 1e-12);
    double[] expected = {P[0] - y[0], P[1] - y[1], P[2] - y[2]};
    assertArrayEquals(new double[] {0.1978905642888157, -0.3048016141215709, 0.10691104983275515}, expected, 1e-12);
    assertArrayEquals(expected, ls.computeGradient(labels, z, SOFTMAX, null).toDoubleVector(), 1e-12);
  }

  @Test
  void withEveryRecipeOffItIsDl4jsSoftmaxCrossEntropy() {
    INDArray labels = Nd4j.createFromArray(new double[][] {{0, 1, 0}, {1, 0, 0}});
    INDArray z = Nd4j.createFromArray(new double[][] {{1, 2, 0.5}, {-1, 0.3, 2}});
    RecipeLoss plain = loss(0, 0, null, 0);
    LossMCXENT dl4j = new LossMCXENT();
    assertEquals(dl4j.computeScore(labels, z.dup(), SOFTMAX, null, true),
        plain.computeScore(labels, z, SOFTMAX, null, true), 1e-12);
    assertArrayEquals(dl4j.computeGradient(labels, z.dup(), SOFTMAX, null).ravel().toDoubleVector(),
        plain.computeGradient(labels, z, SOFTMAX, null).ravel().toDoubleVector(), 1e-12);
  }

  @Test
  void focalLossIsMinusAlphaTimesOneMinusPtToTheGammaTimesLogPt() {
    // γ = 2, α = (0.25, 0.5, 0.25), true class 0: FL = −0.25 (1 − 0.231224)^2 log 0.231224 = 0.216366600.
    // ∂FL/∂z_j = α_t [γ (1 − p_t)^(γ−1) p_t log p_t − (1 − p_t)^γ] (δ_tj − p_j)
    //          = −0.277148 (δ_0j − p_j) = (−0.213648135, 0.174673262, 0.038974873).
    RecipeLoss focal = loss(0, 2, new double[] {0.25, 0.5, 0.25}, 0);
    INDArray labels = row(1, 0, 0);
    INDArray z = row(1, 2, 0.5);
    double pt = P[0];
    double hand = -0.25 * Math.pow(1 - pt, 2) * Math.log(pt);
    assertEquals(0.21636659997616015, hand, 1e-12);
    assertEquals(hand, focal.computeScore(labels, z, SOFTMAX, null, true), 1e-12);
    assertArrayEquals(new double[] {-0.21364813504193678, 0.1746732620966603, 0.03897487294527647},
        focal.computeGradient(labels, z, SOFTMAX, null).toDoubleVector(), 1e-12);
  }

  @Test
  void theGradientIsTheFiniteDifferenceOfTheScoreWithEveryRecipeOn() {
    SplittableRandom random = new SplittableRandom(3);
    int n = 5;
    int k = 4;
    double[][] z = new double[n][k];
    double[][] y = new double[n][k];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        z[i][c] = random.nextDouble(-3, 3);
      }
      y[i][random.nextInt(k)] = 1;
    }
    INDArray labels = Nd4j.createFromArray(y);
    for (RecipeLoss recipe : new RecipeLoss[] {loss(0.1, 2, new double[] {1, 0.5, 2, 0.25}, 0), loss(0, 0.5, null, 0),
        loss(0.2, 1, null, 0.3), loss(0.05, 0, null, 50)}) {
      INDArray logits = Nd4j.createFromArray(z);
      double[] analytic = recipe.computeGradient(labels, logits, SOFTMAX, null).ravel().toDoubleVector();
      double h = 1e-6;
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < k; c++) {
          INDArray plus = logits.dup();
          plus.putScalar(i, c, z[i][c] + h);
          INDArray minus = logits.dup();
          minus.putScalar(i, c, z[i][c] - h);
          // The summed score, as DL4J sums per-example gradients and divides by the batch size itself.
          double fd = (recipe.computeScore(labels, plus, SOFTMAX, null, false)
              - recipe.computeScore(labels, minus, SOFTMAX, null, false)) / (2 * h);
          assertEquals(fd, analytic[i * k + c], 1e-7, recipe + " at (" + i + ", " + c + ")");
        }
      }
    }
  }

  @Test
  void floodingFlipsTheGradientWhenTheBatchLossIsBelowTheFloodLevel() {
    INDArray labels = Nd4j.createFromArray(new double[][] {{0, 1, 0}, {1, 0, 0}});
    INDArray z = Nd4j.createFromArray(new double[][] {{1, 2, 0.5}, {1, 2, 0.5}});
    // Per-example cross-entropy −log p_t: −log 0.628532 = 0.464369, −log 0.231224 = 1.464369; mean 0.964369.
    double mean = (-Math.log(P[1]) - Math.log(P[0])) / 2;
    assertEquals(0.9643688, mean, 1e-6);
    double[] plain = loss(0, 0, null, 0).computeGradient(labels, z, SOFTMAX, null).ravel().toDoubleVector();
    // b = 0.5 below the batch loss: |L − b| + b = L and the gradient is unchanged.
    RecipeLoss low = loss(0, 0, null, 0.5);
    assertEquals(mean, low.computeScore(labels, z, SOFTMAX, null, true), 1e-12);
    assertArrayEquals(plain, low.computeGradient(labels, z, SOFTMAX, null).ravel().toDoubleVector(), 1e-12);
    // b = 1.5 above it: the score is 2b − L = 2.035631 and every gradient changes sign (gradient ascent).
    RecipeLoss high = loss(0, 0, null, 1.5);
    assertEquals(3 - mean, high.computeScore(labels, z, SOFTMAX, null, true), 1e-12);
    double[] flipped = high.computeGradient(labels, z, SOFTMAX, null).ravel().toDoubleVector();
    for (int i = 0; i < plain.length; i++) {
      assertEquals(-plain[i], flipped[i], 1e-12);
    }
    // The per-example array is never flooded (flooding has no per-example form).
    assertArrayEquals(new double[] {-Math.log(P[1]), -Math.log(P[0])},
        high.computeScoreArray(labels, z, SOFTMAX, null).toDoubleVector(), 1e-12);
  }

  @Test
  void itWorksInFloatAndRefusesAnOutputThatIsNotSoftmax() {
    INDArray z = row(1, 2, 0.5).castTo(DataType.FLOAT);
    INDArray g = loss(0.1, 0, null, 0).computeGradient(row(0, 1, 0).castTo(DataType.FLOAT), z, SOFTMAX, null);
    assertEquals(DataType.FLOAT, g.dataType());
    assertEquals(-0.3048016, g.getDouble(0, 1), 1e-6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> loss(0.1, 0, null, 0).computeScore(row(0, 1, 0), row(1, 2, 0.5), new ActivationIdentity(), null, true));
    assertTrue(e.getMessage().contains("softmax"), e.getMessage());
  }
}
