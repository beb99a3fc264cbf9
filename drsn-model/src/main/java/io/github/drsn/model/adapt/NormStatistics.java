package io.github.drsn.model.adapt;

import io.github.drsn.contract.NormKind;
import io.github.drsn.model.layers.KernelChoice;
import io.github.drsn.model.layers.impl.DrsnRuntimeLayer;
import io.github.drsn.model.layers.impl.NormBlock;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Adaptive batch normalisation (AdaBN; Li, Wang, Shi, Liu and Hou, "Revisiting Batch Normalization For Practical
 * Domain Adaptation", ICLR workshop 2017 / Pattern Recognition 80, 2018): every batch-norm layer's running mean and
 * variance are replaced by the statistics of its input over the target data, while all learned weights stay.
 *
 * <p>Layer by layer, in forward order: the input of norm k depends on the norms before it, so norm k's statistics
 * are measured in a pass through the network whose norms 1..k−1 already hold their target statistics. That is one
 * inference pass over the target windows per batch-norm layer (a DRSN-CW of 12 units has 37), each stopping at the
 * layer that holds the norm. The statistics are those batch norm normalises with in training, over the whole
 * target set: μ_c = mean of x over windows and positions, σ²_c = the biased variance (as the running variance is
 * updated in {@link NormBlock}). The result equals one training-mode pass with all target windows as one batch,
 * without holding that batch in memory.
 *
 * <p>Group norm normalises every sample by its own statistics and keeps no running statistics: for a group-norm
 * model this is a no-op ({@link Result#groupNormBlocks()} counts what was left alone).
 */
public final class NormStatistics {

  /** Windows per forward pass; the statistics do not depend on it (sums over all windows). */
  public static final int BATCH = 256;

  private NormStatistics() {}

  /**
   * The re-estimated statistics of one batch-norm block.
   *
   * @param layer the DL4J layer's name, e.g. "unit1a"
   * @param block the block's parameter prefix within it ("n1", "n2", "tn", "n")
   * @param mean the new running mean per channel
   * @param variance the new running variance per channel (biased)
   * @param values values per channel the statistics were computed over (windows × positions)
   */
  public record Estimate(String layer, String block, double[] mean, double[] variance, double values) {}

  /**
   * What a re-estimation did.
   *
   * @param estimates the batch-norm blocks re-estimated, in forward order
   * @param groupNormBlocks group-norm blocks left as they were (they have no running statistics)
   */
  public record Result(List<Estimate> estimates, int groupNormBlocks) {

    /** Whether nothing was changed (a group-norm model). */
    public boolean noOp() {
      return estimates.isEmpty();
    }
  }

  /**
   * Replaces the running statistics of every batch-norm block of {@code network} by those of {@code features},
   * in forward order (see the class comment). The network is changed in place.
   *
   * @param features preprocessed target windows {@code [N, C, 1, L]} in the network's data type, N ≥ 2
   * @throws IllegalArgumentException if there are fewer than 2 windows
   * @throws UnsupportedOperationException if the network holds a normalisation this class cannot reach (DL4J's own
   *     BatchNormalization; the project's architectures use none)
   */
  public static Result reestimate(MultiLayerNetwork network, INDArray features) {
    long n = features.size(0);
    if (n < 2) {
      throw new IllegalArgumentException("AdaBN needs at least 2 target windows, got " + n);
    }
    Layer[] layers = network.getLayers();
    List<Estimate> estimates = new ArrayList<>();
    int groupNorms = 0;
    for (int index = 0; index < layers.length; index++) {
      Layer layer = layers[index];
      if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
        throw new UnsupportedOperationException("layer " + index + " is DL4J's BatchNormalization, which AdaBN here"
            + " does not reach; the project's architectures use their own norms");
      }
      if (!(layer instanceof DrsnRuntimeLayer<?> drsn)) {
        continue;
      }
      for (NormBlock block : drsn.normBlocks()) {
        if (block.type() != NormKind.BATCH_NORM) {
          groupNorms++;
          continue;
        }
        NormBlock.Moments moments = new NormBlock.Moments(block.channels());
        block.probe(moments);
        try {
          for (long from = 0; from < n; from += BATCH) {
            INDArray batch = features.get(NDArrayIndex.interval(from, Math.min(n, from + BATCH)));
            network.feedForwardToLayer(index, batch, false);
          }
        } finally {
          block.probe(null);
        }
        if (moments.count() == 0) {
          // Only the plain-Java kernels report a norm's input; the ND4J-op layers (the GPU path) do not yet.
          throw new UnsupportedOperationException("AdaBN collected no statistics for " + block.prefix() + " of layer "
              + index + ": the layers run on the ND4J-op kernels (" + KernelChoice.selected() + "), which do not"
              + " report them yet; adapt with the Java kernels (-D" + KernelChoice.PROPERTY + "=java, e.g. in"
              + " DRSN_JAVA_OPTS)");
        }
        double[] mean = moments.mean();
        double[] variance = moments.variance();
        INDArray meanParam = layer.getParam(block.prefix() + "Mean");
        INDArray varParam = layer.getParam(block.prefix() + "Var");
        meanParam.assign(Nd4j.createFromArray(mean).castTo(meanParam.dataType()).reshape(meanParam.shape()));
        varParam.assign(Nd4j.createFromArray(variance).castTo(varParam.dataType()).reshape(varParam.shape()));
        estimates.add(new Estimate(layer.conf().getLayer().getLayerName(), block.prefix(), mean, variance,
            moments.count()));
      }
    }
    return new Result(List.copyOf(estimates), groupNorms);
  }
}
