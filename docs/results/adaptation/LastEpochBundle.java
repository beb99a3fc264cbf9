import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.io.Npy;
import io.github.drsn.contract.io.NpyArray;
import io.github.drsn.contract.io.ZipEntries;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The network of a run's last epoch as a bundle: a run's model.drsn holds the epoch of best validation accuracy,
 * its checkpoints/last.ckpt the last epoch's parameters (the cells' accuracy_final_epoch). Copies the bundle and
 * replaces its parameters by the checkpoint's; the training section says so.
 *
 * <pre>java -cp "$(cat cli/target/classpath.txt)" docs/results/adaptation/LastEpochBundle.java RUN_DIR OUT.drsn</pre>
 */
public class LastEpochBundle {
  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    Bundle best = Bundle.read(run.resolve("model.drsn"));
    Path checkpoint = run.resolve("checkpoints/last.ckpt");
    byte[] npy = ZipEntries.read(checkpoint, Map.of("parameters.npy", 1L << 30)).get("parameters.npy");
    NpyArray array = Npy.read(npy, checkpoint);
    double[] parameters = array.toDoubleArray();
    if (parameters.length != best.parameters().length) {
      throw new IllegalArgumentException(checkpoint + " holds " + parameters.length + " parameters, the bundle "
          + best.parameters().length);
    }
    Map<String, Object> training = new LinkedHashMap<>(best.training());
    training.put("network", "last epoch (parameters of " + checkpoint + "), not the best validation epoch");
    new Bundle(best.layout(), best.classes(), best.input(), best.precision(), parameters, best.projectVersion(),
        best.createdUtc(), training, best.provenance(), Map.of()).write(Path.of(args[1]));
  }
}
