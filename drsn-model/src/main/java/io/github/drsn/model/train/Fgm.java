package io.github.drsn.model.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adversarial training with the fast gradient method on the input, L2-normalised (Miyato et al., "Adversarial
 * Training Methods for Semi-Supervised Text Classification", ICLR 2017, after Goodfellow et al. 2015), with the
 * step size relative to the window's own level so that one ε means the same at every SNR and normalisation:
 * <pre>
 *   g = ∂L/∂x (per window),   x_adv = x + ε · rms(x) · g / ‖g‖₂,   rms(x) = sqrt(mean over the window of x²)
 * </pre>
 * so ‖x_adv − x‖₂ = ε·rms(x) for every window whose gradient is not zero (a zero gradient leaves it unchanged).
 * The training step then fits the clean and the adversarial windows as one batch of 2N, so its loss is
 * (L(x) + L(x_adv)) / 2.
 */
public final class Fgm {

  private Fgm() {}

  /**
   * The adversarial windows of {@code features} for the input gradient {@code gradient} (same shape, first axis the
   * window).
   */
  public static INDArray perturb(INDArray features, INDArray gradient, double epsilon) {
    long n = features.size(0);
    INDArray flatX = features.reshape(n, features.length() / n).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
    INDArray flatG = gradient.reshape(n, gradient.length() / n).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
    double[][] x = flatX.toDoubleMatrix();
    double[][] g = flatG.toDoubleMatrix();
    double[][] adv = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      double sumSquares = 0;
      double gradNorm = 0;
      for (int j = 0; j < x[i].length; j++) {
        sumSquares += x[i][j] * x[i][j];
        gradNorm += g[i][j] * g[i][j];
      }
      double rms = Math.sqrt(sumSquares / x[i].length);
      gradNorm = Math.sqrt(gradNorm);
      double scale = gradNorm > 0 ? epsilon * rms / gradNorm : 0;
      adv[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        adv[i][j] = x[i][j] + scale * g[i][j];
      }
    }
    return Nd4j.createFromArray(adv).castTo(features.dataType()).reshape(features.shape());
  }

  /**
   * The batch to fit for one adversarial step: the clean windows followed by their adversarial versions, labels
   * repeated. The input gradient is taken at the network's current parameters, in training mode.
   */
  public static DataSet adversarialBatch(MultiLayerNetwork network, org.nd4j.linalg.dataset.api.DataSet batch,
      double epsilon) {
    INDArray x = batch.getFeatures();
    INDArray y = batch.getLabels();
    INDArray inputGradient = network.calculateGradients(x, y, null, null).getSecond();
    INDArray adv = perturb(x, inputGradient, epsilon);
    return new DataSet(Nd4j.concat(0, x, adv), Nd4j.concat(0, y, y));
  }
}
