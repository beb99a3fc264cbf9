package io.github.drsn.model.layers;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shared gradient-check settings (those of DL4J's own layer tests). */
final class GradientChecks {

  static final double EPS = 1e-6;
  static final double MAX_REL_ERROR = 1e-3;
  static final double MIN_ABS_ERROR = 1e-8;

  private GradientChecks() {
  }

  /**
   * Parameters not to check: running statistics (state updated by a moving average, not by gradient)
   * and, with batch norm, the bias of a convolution that feeds a batch norm: batch norm removes any
   * per-channel constant, so its true gradient is exactly 0 and the analytic value is round-off
   * (~1e-8), which the absolute-error floor of 1e-8 cannot always absorb.
   */
  static Set<String> excluded(MultiLayerNetwork net) {
    Set<String> out = new HashSet<>();
    for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
      String key = e.getKey();
      if (key.endsWith("Mean") || key.endsWith("Var")) {
        out.add(key);
        if (key.endsWith("n2Mean")) {
          out.add(key.replace("n2Mean", "c1b"));
        }
      }
    }
    return out;
  }

  static boolean check(MultiLayerNetwork net, INDArray input, INDArray labels) {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(input).labels(labels)
        .epsilon(EPS).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
        .excludeParams(excluded(net)));
  }

  /** One-hot labels for {@code n} samples cycling over {@code classes}. */
  static INDArray labels(int n, int classes) {
    INDArray y = Nd4j.zeros(DataType.DOUBLE, n, classes);
    for (int i = 0; i < n; i++) {
      y.putScalar(i, i % classes, 1.0);
    }
    return y;
  }
}
