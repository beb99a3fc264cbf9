package io.github.drsn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.NormKind;
import io.github.drsn.contract.RandomBundles;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.datasets.SignalFiles;
import io.github.drsn.runtime.LeanDiagnoser;
import io.github.drsn.signals.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sink;
import us.hebi.matlab.mat.types.Sinks;

/**
 * Review: an order-domain model that records its channel's name (acc_b) and a MAT-file of two accelerometers and a
 * recorded speed (X001RPM). RecordingScorer.score chooses the samples by name (SignalFiles.readForModel), but its
 * speed() reads the file's description with the user's --channel only (null here), so readMat's default cannot tell
 * which of acc_a and acc_b is the signal and the file gets an error row. drsn predict reads the description with the
 * chosen channel (PredictCommand: readDescribed(file, rate, first)) and diagnoses the same file.
 */
class ReviewOrderDomainSpeedChannelTest {

  @TempDir Path dir;

  @Test
  void theRecordedSpeedIsReadWithTheChannelChosenByName() throws Exception {
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 512, 1, new int[] {4, 8}, 1, 3, 2, 4,
        NormKind.BATCH_NORM, 4, Shortcut.ZERO_PAD);
    Path model = dir.resolve("orders.drsn");
    RandomBundles.random(layout, List.of("normal", "inner", "outer", "ball"), new InputSpec(12_000, 512, 1,
        Normalization.Z_SCORE, Representation.TIME, 128, List.of("acc_b")), 7).write(model);
    LeanDiagnoser diagnoser = LeanDiagnoser.load(model);

    Mat5File mat = Mat5.newMatFile();
    for (String name : List.of("acc_a", "acc_b")) {
      Matrix m = Mat5.newMatrix(6_000, 1);
      for (int i = 0; i < 6_000; i++) {
        m.setDouble(i, Math.sin(2 * Math.PI * (name.equals("acc_a") ? 157 : 311) * i / 12_000.0) + 0.01 * (i % 7));
      }
      mat.addArray(name, m);
    }
    Matrix rpm = Mat5.newMatrix(1, 1);
    rpm.setDouble(0, 1500);
    mat.addArray("X001RPM", rpm);
    Path file = dir.resolve("pump.mat");
    try (Sink sink = Sinks.newStreamingFile(file.toFile())) {
      Mat5.newWriter(sink).writeMat(mat);
    }
    // Control: the model's channel is found by name, and the file records its speed (as predict reads it).
    SignalFiles.ModelRead read = SignalFiles.readForModel(file, 12_000.0, List.of(), diagnoser.inputSpec());
    SignalFiles.ChannelChoice choice = read.choice();
    assertEquals(1500, SignalFiles.readDescribed(file, 12_000.0, choice.first()).speed().orElseThrow().rpm(), 1e-9);
    assertEquals(1500, read.described().speed().orElseThrow().rpm(), 1e-9);

    List<ScoreRow> rows = new RecordingScorer("", "", 12_000.0, List.of(), 0, 0.6, 0.5, false, null)
        .score(diagnoser, new RecordingInputs.Sized(file.toString(), Files.size(file), null));
    assertNull(rows.get(0).error(), rows.get(0).toString());
  }
}
