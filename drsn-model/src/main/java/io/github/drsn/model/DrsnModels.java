package io.github.drsn.model;

import io.github.drsn.contract.Architecture;

import io.github.drsn.model.layers.ConvStem;
import io.github.drsn.model.layers.NormReluPool;
import io.github.drsn.model.layers.ResidualUnit;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.model.train.ClassicMomentum;
import io.github.drsn.model.train.RecipeLoss;
import io.github.drsn.model.train.TrainingRecipe;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builders of DRSN-CW, DRSN-CS, ResNet and ConvNet (Zhao et al., IEEE TII 2020, Table II) as DL4J
 * {@link MultiLayerConfiguration}s:
 * <pre>
 *   ConvStem(C1, k, /stemStride) → for each stage i: unit(C_i, k, /2) + (unitsPerStage − 1) × unit(C_i, k)
 *   → NormReluPool (norm → ReLU → global average pooling) → [dropout p] → OutputLayer(softmax, cross-entropy)
 * </pre>
 * The spec's {@link TrainingRecipe} replaces the cross-entropy by {@link RecipeLoss} when it smooths labels, uses
 * focal loss or floods, and adds dropout (training only) on the output layer's input when p > 0.
 * Features: {@code [N, inputChannels, 1, inputLength]} ({@code InputType.convolutional(1, L, C)});
 * labels one-hot {@code [N, classes]}. Train with {@code MultiLayerNetwork.fit(DataSetIterator)}.
 */
public final class DrsnModels {

  private DrsnModels() {
  }

  /** DRSN with channel-wise thresholds. */
  public static MultiLayerConfiguration drsnCw(ModelSpec spec) {
    return configuration(Architecture.DRSN_CW, spec);
  }

  /** DRSN with channel-shared thresholds. */
  public static MultiLayerConfiguration drsnCs(ModelSpec spec) {
    return configuration(Architecture.DRSN_CS, spec);
  }

  /** The residual network without thresholding. */
  public static MultiLayerConfiguration resnet(ModelSpec spec) {
    return configuration(Architecture.RESNET, spec);
  }

  /** The plain convolutional network (no shortcuts, no thresholding). */
  public static MultiLayerConfiguration convnet(ModelSpec spec) {
    return configuration(Architecture.CONVNET, spec);
  }

  /** An initialised network (parameters drawn with the spec's seed). */
  public static MultiLayerNetwork network(Architecture architecture, ModelSpec spec) {
    MultiLayerNetwork net = new MultiLayerNetwork(configuration(architecture, spec));
    net.init();
    return net;
  }

  /** The input type the networks expect: {@code InputType.convolutional(1, inputLength, inputChannels)}. */
  public static InputType inputType(ModelSpec spec) {
    return InputType.convolutional(1, spec.inputLength(), spec.inputChannels());
  }

  /** The DL4J updater for the spec's optimiser and learning-rate schedule. */
  public static IUpdater updater(ModelSpec spec) {
    return switch (spec.optimizer()) {
      case SGD_MOMENTUM -> new Nesterovs(spec.learningRate(), spec.momentum());
      case SGD_CLASSIC_MOMENTUM -> new ClassicMomentum(spec.learningRate(), spec.momentum());
      case SGD -> new Sgd(spec.learningRate());
      case ADAM -> new Adam(spec.learningRate());
    };
  }

  /** The configuration of {@code architecture} sized by {@code spec}. */
  public static MultiLayerConfiguration configuration(Architecture architecture, ModelSpec spec) {
    return configuration(architecture, spec, updater(spec));
  }

  /** As {@link #configuration(Architecture, ModelSpec)} with an explicit updater (e.g. NoOp for gradient checks). */
  public static MultiLayerConfiguration configuration(Architecture architecture, ModelSpec spec, IUpdater updater) {
    int[] channels = spec.stageChannels();
    NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
        .seed(spec.seed())
        .dataType(spec.dataType())
        .updater(updater)
        .l2(spec.l2())
        .l2Bias(spec.l2Bias())
        .weightInit(spec.weightInit())
        .trainingWorkspaceMode(WorkspaceMode.ENABLED)
        .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
        .cacheMode(CacheMode.NONE)
        .list();
    list.layer(named(new ConvStem(spec.inputChannels(), channels[0], spec.kernelSize(), spec.stemStride()), "stem"));
    Shortcut shortcut = architecture.residual() ? spec.shortcut() : Shortcut.NONE;
    int cIn = channels[0];
    for (int stage = 0; stage < channels.length; stage++) {
      for (int u = 0; u < spec.unitsPerStage(); u++) {
        ResidualUnit unit = new ResidualUnit(cIn, channels[stage], spec.kernelSize(), u == 0 ? 2 : 1,
            architecture.thresholdMode(), shortcut).normalization(spec.normalization(), spec.groups());
        unit.setSpatialDropout(spec.recipe().spatialDropout());
        unit.setThresholdNormalization(spec.thresholdNormalization());
        list.layer(named(unit, "unit" + (stage + 1) + (char) ('a' + u)));
        cIn = channels[stage];
      }
    }
    list.layer(named(new NormReluPool(spec.normalization(), spec.groups()), "head"));
    TrainingRecipe recipe = spec.recipe();
    OutputLayer.Builder output = recipe.changesLoss()
        ? new OutputLayer.Builder(new RecipeLoss(recipe))
        : new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT);
    if (recipe.dropout() > 0) {
      // DL4J's Dropout takes the probability of KEEPING an activation; it is applied to this layer's input (the
      // pooled features) in training only and scales kept values by 1/(1 − p), so inference is untouched.
      output.dropOut(new Dropout(1 - recipe.dropout()));
    }
    list.layer(output.name("output")
        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).nIn(cIn).nOut(spec.classes()).build());
    list.setInputType(inputType(spec));
    return list.build();
  }

  private static <T extends org.deeplearning4j.nn.conf.layers.Layer> T named(T layer, String name) {
    layer.setLayerName(name);
    return layer;
  }
}
