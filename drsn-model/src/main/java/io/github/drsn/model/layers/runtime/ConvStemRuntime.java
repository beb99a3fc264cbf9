package io.github.drsn.model.layers.runtime;

import io.github.drsn.model.layers.ConvStem;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of {@link ConvStem}: one native conv2d forward, one conv2d_bp backward. */
public final class ConvStemRuntime extends DrsnRuntimeLayer<ConvStem> {

  private static final long serialVersionUID = 1L;

  public ConvStemRuntime(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** The input in the 2-D layout [N, C, 1, L] (rank-3 [N, C, L] input is reshaped). */
  private INDArray input4d() {
    INDArray x = contiguousInput();
    if (x.rank() == 3) {
      x = x.reshape('c', new long[] {x.size(0), x.size(1), 1, x.size(2)});
    }
    if (x.rank() != 4 || x.size(1) != layerConf().getNIn() || x.size(2) != 1) {
      throw new IllegalArgumentException("ConvStem expects input [N, " + layerConf().getNIn() + ", 1, L] or [N, "
          + layerConf().getNIn() + ", L], got " + Arrays.toString(input.shape()));
    }
    return x;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    INDArray x = input4d();
    ConvStem c = layerConf();
    long length = ConvStem.sameOutputLength(x.size(3), c.getStride());
    INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {x.size(0), c.getNOut(), 1,
        length}, 'c');
    Ops.conv(x, params.get("W"), params.get("b"), c.getStride(), out);
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    INDArray x = input4d();
    INDArray eps = epsilon.castTo(dataType);
    INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    Ops.convBackward(x, params.get("W"), params.get("b"), eps, layerConf().getStride(), dx,
        gradientViews.get("W"), gradientViews.get("b"));
    return new Pair<>(allGradients(), dx.reshape('c', input.shape()));
  }

  @Override
  protected void clearCache() {
    // Stateless: backprop uses the retained input only.
  }
}
