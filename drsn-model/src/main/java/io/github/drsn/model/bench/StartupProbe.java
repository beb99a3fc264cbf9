package io.github.drsn.model.bench;

import io.github.drsn.model.bundle.ModelBundle;
import io.github.drsn.model.NativeBackend;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fresh process's path to its first prediction: loads a model bundle, classifies one random window
 * of the model's input length and prints the predicted class. {@link SpeedBenchmark} times it from
 * process start to exit. Usage: {@code StartupProbe <model.drsn> <inputLength>}.
 */
public final class StartupProbe {

  private StartupProbe() {
  }

  /** Entry point. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: StartupProbe <model.drsn> <inputLength>");
    }
    NativeBackend.configure();
    MultiLayerNetwork net = ModelBundle.read(Path.of(args[0])).network();
    INDArray x = Nd4j.randn(DataType.FLOAT, 1, 1, 1, Integer.parseInt(args[1]));
    System.out.println(net.output(x).argMax(1).getInt(0));
  }
}
