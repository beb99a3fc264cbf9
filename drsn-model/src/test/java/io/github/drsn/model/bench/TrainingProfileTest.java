package io.github.drsn.model.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.Architecture;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.layers.impl.Phases;
import io.github.drsn.model.layers.impl.Phases.Phase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class TrainingProfileTest {

  private static DataSet batch(int n, int length, int seed) {
    Nd4j.getRandom().setSeed(seed);
    var y = Nd4j.zeros(DataType.FLOAT, n, 10);
    for (int i = 0; i < n; i++) {
      y.putScalar(i, i % 10, 1.0);
    }
    return new DataSet(Nd4j.randn(DataType.FLOAT, n, 1, 1, length), y);
  }

  @Test
  void everyPhaseIsTimedAndTheSharesAddUpToAtMostTheStep() {
    ModelSpec spec = ModelSpec.paper(10);
    MultiLayerNetwork net = DrsnModels.network(Architecture.DRSN_CW, spec);
    List<DataSet> batches = List.of(batch(16, spec.inputLength(), 1), batch(16, spec.inputLength(), 2));
    net.fit(batches.get(0));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TrainingProfile.print(net, batches, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String text = bytes.toString(StandardCharsets.UTF_8);

    Matcher step = Pattern.compile("Training step, batch 16: ([0-9.]+) ms wall \\(2 steps").matcher(text);
    assertTrue(step.find(), text);
    double stepMs = Double.parseDouble(step.group(1));
    for (Phase p : Phase.values()) {
      Matcher row = Pattern.compile(Pattern.quote(p.label()) + " +([0-9.]+) +([0-9.]+)%").matcher(text);
      assertTrue(row.find(), "no row for " + p + " in\n" + text);
      assertTrue(Double.parseDouble(row.group(1)) > 0, p + " was not timed:\n" + text);
    }
    assertTrue(text.contains("updater (regularisation, momentum, parameter step)"), text);
    assertTrue(text.contains("Data pipeline per batch"), text);
    // Every row but the weight gradients (a part of two backward rows) is a disjoint part of the step, and the
    // DL4J rows are what the layers leave of the listener's intervals: together all of the step but the
    // moments between fit() and its first hook.
    double shares = 0;
    Matcher row = Pattern.compile("\n(.+?) +([0-9.]+) +([0-9.]+)%").matcher(text);
    while (row.find()) {
      if (!row.group(1).equals(Phase.WEIGHT_GRADIENTS.label())) {
        shares += Double.parseDouble(row.group(3));
      }
    }
    assertTrue(shares <= 100.5 && shares > 90, shares + " % of a " + stepMs + " ms step:\n" + text);

    // Off after the profile: training adds nothing to the totals, and the listener is gone.
    Map<Phase, Long> after = Phases.totals();
    net.fit(batches.get(0));
    assertEquals(after, Phases.totals());
    assertEquals(0, net.getListeners().size());
  }
}
