package io.github.drsn.model.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Soft thresholding (DRSN paper eq. 9-10; Donoho 1995) of {@code x = [N, C, 1, L]} with thresholds
 * τ per sample and channel ({@code [N, C]}) or per sample ({@code [N]}):
 * y = sign(x)·max(|x| − τ, 0); dy/dx = 1{|x| &gt; τ}; dy/dτ = −sign(x)·1{|x| &gt; τ} = −sign(y).
 */
public final class SoftThreshold {

  private SoftThreshold() {
  }

  /** y = sign(x)·max(|x| − τ, 0), a new array. */
  public static INDArray apply(INDArray x, INDArray tau) {
    return shrinkMagnitude(Transforms.abs(x, true), Transforms.sign(x, true), tau);
  }

  /**
   * In place on {@code magnitude} = |x|: magnitude ← sign·max(magnitude − τ, 0), and returns it.
   *
   * @param magnitude |x|, {@code [N, C, 1, L]}; overwritten
   * @param sign      sign(x), same shape
   * @param tau       thresholds {@code [N, C]} or {@code [N]}
   */
  public static INDArray shrinkMagnitude(INDArray magnitude, INDArray sign, INDArray tau) {
    if (tau.rank() == 2) {
      Nd4j.exec(new BroadcastSubOp(magnitude, tau, magnitude, 0, 1));
    } else if (tau.rank() == 1) {
      Nd4j.exec(new BroadcastSubOp(magnitude, tau, magnitude, 0));
    } else {
      throw new IllegalArgumentException("tau must be [N, C] or [N], got rank " + tau.rank());
    }
    Transforms.relu(magnitude, false);
    return magnitude.muli(sign);
  }

  /**
   * Gradients from dL/dy: {@code [dL/dx (direct path, shape of y), dL/dτ ([N, C], summed over length)]}.
   * For channel-shared τ sum dL/dτ over channels.
   *
   * @param y     the thresholded output
   * @param gradY dL/dy, same shape
   */
  public static INDArray[] gradients(INDArray y, INDArray gradY) {
    INDArray signY = Transforms.sign(y, true);
    INDArray gs = gradY.mul(signY);
    INDArray gradTau = gs.sum(2, 3).negi();
    INDArray gradX = gs.muli(signY);
    return new INDArray[] {gradX, gradTau};
  }
}
