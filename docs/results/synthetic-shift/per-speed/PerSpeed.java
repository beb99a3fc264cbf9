import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.experiments.RunSettings;
import io.github.drsn.model.pipeline.Evaluation;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.signals.NoiseType;
import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeMap;

/** The "900 and 2100 rpm" shift test of a synthetic-shift cell, split by speed: args cell.json model.drsn. */
public class PerSpeed {
  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode cell = json.readTree(new File(args[0]));
    ObjectNode settings = cell.get("settings").deepCopy();
    ((ObjectNode) settings.get("data")).set("synthetic", json.readTree("{\"speeds_rpm\": [900, 2100]}"));
    RunSettings run = RunSettings.fromJson(settings);
    WindowedDataset windows = run.loadWindows();
    LeanDiagnoser model = LeanDiagnoser.load(Path.of(args[1]));
    NoiseSpec noise = new NoiseSpec(NoiseType.GAUSSIAN, run.input().snrDb());
    TreeMap<Double, int[]> bySpeed = new TreeMap<>();
    float[] p = new float[model.classes().size()];
    Evaluation.forEachWindow(model.inputSpec(), windows, Region.TEST, noise, run.training().evaluationSeed(),
        (w, input) -> {
          int k = model.predict(input, p);
          double rpm = windows.dataset().recordings().get(w.recordingIndex()).condition().rpm();
          int[] c = bySpeed.computeIfAbsent(rpm, r -> new int[2]);
          c[0] += k == w.classIndex() ? 1 : 0;
          c[1]++;
        });
    System.out.println("data: " + windows.dataset().name() + ", model " + args[1]);
    int right = 0, all = 0;
    for (var e : bySpeed.entrySet()) {
      System.out.printf(Locale.ROOT, "%.0f rpm: %d of %d test windows right, %.1f %%%n", e.getKey(), e.getValue()[0],
          e.getValue()[1], 100.0 * e.getValue()[0] / e.getValue()[1]);
      right += e.getValue()[0];
      all += e.getValue()[1];
    }
    System.out.printf(Locale.ROOT, "both: %d of %d, %.1f %%%n", right, all, 100.0 * right / all);
  }
}
