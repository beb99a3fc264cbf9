package io.github.drsn.model.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Every schedule survives DL4J's own JSON (and YAML) round trip of a whole network configuration, as
 * used by ModelSerializer, with SGD-momentum (Nesterovs) and Adam: DL4J's mapper ignores unknown
 * properties, so a field that is not written or not read back would pass silently without these checks.
 */
class ScheduleSerializationTest {

  static List<ISchedule> schedules() {
    return List.of(
        StepDecaySchedule.paper(),
        new StepDecaySchedule(ScheduleType.ITERATION, new int[] {0, 7, 9}, new double[] {0.3, 0.2, 0.1}),
        Schedules.triangular(0.001, 0.1, 500),
        Schedules.triangular2(0.001, 0.1, 500),
        Schedules.expRange(0.001, 0.1, 500, 0.99994),
        new CyclicalSchedule(ScheduleType.EPOCH, CyclicalMode.TRIANGULAR, 0.01, 0.1, 3, 1),
        Schedules.sgdr(0.1, 1e-4, 2000, 2),
        new CosineWarmRestartsSchedule(ScheduleType.EPOCH, 0.05, 0.0, 10, 1),
        Schedules.warmup(200, 0.001, Schedules.sgdr(0.1, 1e-4, 2000, 2)),
        new WarmupSchedule(ScheduleType.EPOCH, 3, 0.0, StepDecaySchedule.reference()),
        // A DL4J built-in schedule nested inside ours.
        Schedules.warmup(50, 0.0, new ExponentialSchedule(ScheduleType.ITERATION, 0.1, 0.999)));
  }

  static Stream<Arguments> updatersWithSchedules() {
    List<Function<ISchedule, IUpdater>> updaters = List.of(
        schedule -> new Nesterovs(schedule, 0.9),
        schedule -> new Adam(schedule));
    return updaters.stream().flatMap(updater -> schedules().stream()
        .map(schedule -> Arguments.of(updater.apply(schedule), schedule)));
  }

  @ParameterizedTest
  @MethodSource("updatersWithSchedules")
  void multiLayerConfigurationRoundTrip(IUpdater updater, ISchedule schedule) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .updater(updater)
        .list()
        .layer(new DenseLayer.Builder().nIn(8).nOut(4).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
            .activation(Activation.SOFTMAX).build())
        .build();

    String json = conf.toJson();
    assertTrue(json.contains("\"@class\" : \"" + schedule.getClass().getName() + "\""), json);
    MultiLayerConfiguration fromJson = MultiLayerConfiguration.fromJson(json);
    MultiLayerConfiguration fromYaml = MultiLayerConfiguration.fromYaml(conf.toYaml());
    assertEquals(conf, fromJson);
    assertEquals(conf, fromYaml);
    for (MultiLayerConfiguration restored : List.of(fromJson, fromYaml)) {
      for (int layer = 0; layer < 2; layer++) {
        IUpdater restoredUpdater = ((BaseLayer) restored.getConf(layer).getLayer()).getIUpdater();
        assertRestored(updater, schedule, restoredUpdater);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("updatersWithSchedules")
  void computationGraphConfigurationRoundTrip(IUpdater updater, ISchedule schedule) {
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
        .updater(updater)
        .graphBuilder()
        .addInputs("in")
        .addLayer("dense", new DenseLayer.Builder().nIn(8).nOut(4).activation(Activation.TANH).build(), "in")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3)
            .activation(Activation.SOFTMAX).build(), "dense")
        .setOutputs("out")
        .build();

    ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, restored);
    for (String layer : List.of("dense", "out")) {
      LayerVertex vertex = (LayerVertex) restored.getVertices().get(layer);
      assertRestored(updater, schedule, ((BaseLayer) vertex.getLayerConf().getLayer()).getIUpdater());
    }
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void javaSerializationRoundTrip(ISchedule schedule) throws IOException, ClassNotFoundException {
    // ISchedule is Serializable; DL4J's Spark and parallel-training paths may use Java serialisation.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(schedule);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(schedule, in.readObject());
    }
  }

  private static void assertRestored(IUpdater original, ISchedule schedule, IUpdater restored) {
    assertEquals(original, restored);
    ISchedule restoredSchedule = restored instanceof Nesterovs nesterovs
        ? nesterovs.getLearningRateSchedule()
        : assertInstanceOf(Adam.class, restored).getLearningRateSchedule();
    assertNotSame(schedule, restoredSchedule);
    assertEquals(schedule, restoredSchedule);
    assertEquals(schedule.hashCode(), restoredSchedule.hashCode());
    for (int[] iterationEpoch : new int[][] {{0, 0}, {1, 0}, {250, 1}, {777, 33}, {5000, 90}}) {
      assertEquals(schedule.valueAt(iterationEpoch[0], iterationEpoch[1]),
          restoredSchedule.valueAt(iterationEpoch[0], iterationEpoch[1]));
    }
  }
}
