package io.github.drsn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.drsn.contract.Architecture;
import io.github.drsn.model.train.RecipeLoss;
import io.github.drsn.model.train.TrainingRecipe;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** How a spec's {@link TrainingRecipe} changes the DL4J network: its loss and dropout, never its parameters. */
class RecipeModelTest {

  private static ModelSpec small(TrainingRecipe recipe) {
    return ModelSpec.builder().inputLength(64).stageChannels(4, 8).unitsPerStage(1).classes(3).seed(5)
        .dataType(DataType.DOUBLE).recipe(recipe).build();
  }

  @Test
  void theBaselineKeepsDl4jsCrossEntropyAndARecipeUsesRecipeLoss() {
    OutputLayer plain = output(DrsnModels.network(Architecture.DRSN_CW, small(TrainingRecipe.BASELINE)));
    assertInstanceOf(LossMCXENT.class, plain.getLossFn());
    assertEquals(null, plain.getIDropout());
    OutputLayer recipe = output(DrsnModels.network(Architecture.DRSN_CW,
        small(new TrainingRecipe(0.1, 0, null, 0, 0.25, 0))));
    assertEquals(new RecipeLoss(new TrainingRecipe(0.1, 0, null, 0, 0, 0)), recipe.getLossFn());
    // DL4J's Dropout holds the probability of keeping an activation: 1 − p.
    assertEquals(0.75, ((Dropout) recipe.getIDropout()).getP(), 0.0);
  }

  @Test
  void dropoutActsInTrainingOnlyAndAddsNoParameters() {
    MultiLayerNetwork plain = DrsnModels.network(Architecture.DRSN_CW, small(TrainingRecipe.BASELINE));
    MultiLayerNetwork dropped =
        DrsnModels.network(Architecture.DRSN_CW, small(new TrainingRecipe(0, 0, null, 0, 0.5, 0)));
    assertEquals(plain.params().length(), dropped.params().length());
    assertEquals(plain.params(), dropped.params(), "the same seed draws the same weights");
    assertEquals(small(TrainingRecipe.BASELINE).layout(Architecture.DRSN_CW),
        small(new TrainingRecipe(0, 0, null, 0, 0.5, 0)).layout(Architecture.DRSN_CW));
    INDArray x = Nd4j.randn(DataType.DOUBLE, 8, 1, 1, 64);
    assertEquals(plain.output(x, false), dropped.output(x, false));
    Nd4j.getRandom().setSeed(1);
    assertNotEquals(plain.output(x, true), dropped.output(x, true));
  }

  @Test
  void aConfigurationWithRecipesSurvivesDl4jsJson() {
    org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = DrsnModels.configuration(Architecture.DRSN_CW,
        small(new TrainingRecipe(0.1, 2, new double[] {1, 0.5, 2}, 0.05, 0.3, 0)));
    org.deeplearning4j.nn.conf.MultiLayerConfiguration back =
        org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(conf.toJson());
    OutputLayer layer = (OutputLayer) back.getConf(back.getConfs().size() - 1).getLayer();
    assertEquals(new RecipeLoss(new TrainingRecipe(0.1, 2, new double[] {1, 0.5, 2}, 0.05, 0, 0)), layer.getLossFn());
    assertEquals(0.7, ((Dropout) layer.getIDropout()).getP(), 1e-15);
  }

  private static OutputLayer output(MultiLayerNetwork network) {
    return (OutputLayer) network.getLayerWiseConfigurations()
        .getConf(network.getnLayers() - 1).getLayer();
  }
}
