package io.github.drsn.model.layers.impl;

import io.github.drsn.model.layers.DrsnLayerConfig;
import io.github.drsn.model.layers.ParamSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameter initializer for every {@link DrsnLayerConfig}: lays the layer's {@link ParamSpec}s out
 * one after another in the flattened parameter (and gradient) view, c order.
 */
public final class SpecParamInitializer implements ParamInitializer {

  /** The stateless singleton. */
  public static final SpecParamInitializer INSTANCE = new SpecParamInitializer();

  private SpecParamInitializer() {
  }

  private static List<ParamSpec> specs(Layer layer) {
    return ((DrsnLayerConfig) layer).paramSpecs();
  }

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    long n = 0;
    for (ParamSpec s : specs(layer)) {
      n += s.length();
    }
    return n;
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    List<String> keys = new ArrayList<>();
    for (ParamSpec s : specs(layer)) {
      keys.add(s.key());
    }
    return keys;
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    List<String> keys = new ArrayList<>();
    for (ParamSpec s : specs(layer)) {
      if (s.role() == ParamSpec.Role.WEIGHT) {
        keys.add(s.key());
      }
    }
    return keys;
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    List<String> keys = new ArrayList<>();
    for (ParamSpec s : specs(layer)) {
      if (s.role() == ParamSpec.Role.BIAS) {
        keys.add(s.key());
      }
    }
    return keys;
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return ((DrsnLayerConfig) layer).paramSpec(key).role() == ParamSpec.Role.WEIGHT;
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return ((DrsnLayerConfig) layer).paramSpec(key).role() == ParamSpec.Role.BIAS;
  }

  @Override
  public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
    DrsnLayerConfig layer = (DrsnLayerConfig) conf.getLayer();
    Map<String, INDArray> views = split(layer, paramsView);
    if (initializeParams) {
      IWeightInit weightInit = layer.getWeightInitFn();
      for (ParamSpec s : layer.paramSpecs()) {
        INDArray v = views.get(s.key());
        switch (s.role()) {
          case WEIGHT -> {
            if (weightInit == null) {
              throw new IllegalStateException("No weight initialisation configured for layer " + layer.getLayerName());
            }
            weightInit.init(s.fanIn(), s.fanOut(), s.shape(), 'c', v.reshape('c', new long[] {v.length()}));
          }
          case BIAS, BETA, RUNNING_MEAN -> v.assign(0.0);
          case GAMMA, RUNNING_VAR -> v.assign(1.0);
          default -> throw new IllegalStateException("Unhandled role " + s.role());
        }
      }
    }
    return views;
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
    return split((DrsnLayerConfig) conf.getLayer(), gradientView);
  }

  private static Map<String, INDArray> split(DrsnLayerConfig layer, INDArray flat) {
    INDArray row = flat.reshape('c', new long[] {flat.length()});
    Map<String, INDArray> out = new LinkedHashMap<>();
    long offset = 0;
    for (ParamSpec s : layer.paramSpecs()) {
      long n = s.length();
      INDArray segment = row.get(NDArrayIndex.interval(offset, offset + n));
      out.put(s.key(), segment.reshape('c', s.shape()));
      offset += n;
    }
    if (offset != flat.length()) {
      throw new IllegalStateException("Parameter view of length " + flat.length() + " does not match the "
          + offset + " parameters of layer " + layer.getLayerName());
    }
    return out;
  }
}
