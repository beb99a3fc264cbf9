package io.github.drsn.model.layers.impl;

import io.github.drsn.model.layers.ConvStem;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runtime of {@link ConvStem}: the 'same' convolution and its backward pass by {@link Kernels}, or by the
 * native conv2d/conv2d_bp ops ({@link Nd4jKernels}) when this runtime's kernels are ND4J.
 */
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
    if (nd4j()) {
      return out.assign(Nd4jKernels.conv(x, params.get("W"), params.get("b"), c.getStride()));
    }
    long mark = Phases.start();
    int n = (int) x.size(0);
    double[] xd = Kernels.read(x, DoublePool.borrow((int) x.length()));
    double[] y = DoublePool.borrow((int) out.length());
    Kernels.conv(xd, n, (int) c.getNIn(), (int) x.size(3), Kernels.read(params.get("W")), Kernels.read(params.get("b")),
        (int) c.getNOut(), c.getKernelSize(), c.getStride(), single(), y);
    Kernels.write(y, out);
    DoublePool.release(xd, y);
    Phases.stop(Phases.Phase.STEM_FORWARD, mark);
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    INDArray x = input4d();
    ConvStem c = layerConf();
    int n = (int) x.size(0);
    int cIn = (int) c.getNIn();
    int cOut = (int) c.getNOut();
    if (nd4j()) {
      INDArray e = epsilon.castTo(dataType).dup('c').reshape('c', n, cOut, 1, epsilon.size(epsilon.rank() - 1));
      INDArray[] grads = Nd4jKernels.convBackward(x, params.get("W"), params.get("b"), e, c.getStride());
      gradientViews.get("W").assign(grads[1]);
      gradientViews.get("b").assign(grads[2]);
      INDArray gradIn = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c').assign(grads[0]);
      return new Pair<>(allGradients(), gradIn.reshape('c', input.shape()));
    }
    long mark = Phases.start();
    double[] xd = Kernels.read(x, DoublePool.borrow((int) x.length()));
    double[] eps = Kernels.read(epsilon, DoublePool.borrow((int) epsilon.length()));
    double[] dx = DoublePool.borrow(xd.length);
    double[] gradW = new double[cOut * cIn * c.getKernelSize()];
    double[] gradB = new double[cOut];
    Kernels.convBackward(xd, n, cIn, (int) x.size(3), Kernels.read(params.get("W")), cOut, c.getKernelSize(),
        c.getStride(), single(), eps, dx, gradW, gradB);
    Kernels.write(gradW, gradientViews.get("W"));
    Kernels.write(gradB, gradientViews.get("b"));
    INDArray gradIn = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    Kernels.write(dx, gradIn);
    DoublePool.release(xd, eps, dx);
    Phases.stop(Phases.Phase.STEM_BACKWARD, mark);
    return new Pair<>(allGradients(), gradIn.reshape('c', input.shape()));
  }

  @Override
  protected void clearCache() {
    // Stateless: backprop uses the retained input only.
  }
}
