package io.github.drsn.model.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.datasets.features.InputRepresentation;
import io.github.drsn.model.Architecture;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.signals.Normalization;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelBundleTest {

  @TempDir Path dir;

  private static final ModelSpec SMALL =
      ModelSpec.builder().inputLength(64).stageChannels(4, 8).unitsPerStage(1).classes(3).seed(7).build();

  private static ModelBundle bundle(Architecture architecture) {
    MultiLayerNetwork network = DrsnModels.network(architecture, SMALL);
    // A few training steps move the batch-norm running statistics away from their initial values.
    INDArray x = Nd4j.rand(new long[] {8, 1, 1, 64}).subi(0.5);
    INDArray y = Nd4j.zeros(8, 3);
    for (int i = 0; i < 8; i++) {
      y.putScalar(i, i % 3, 1);
    }
    for (int i = 0; i < 3; i++) {
      network.fit(x, y);
    }
    ObjectNode metrics = JsonNodeFactory.instance.objectNode();
    metrics.putObject("test").put("accuracy", 0.875);
    return new ModelBundle(network, architecture, SMALL, List.of("a", "b", "c"),
        new InputSpec(12_000, 64, 1, Normalization.Z_SCORE, InputRepresentation.TIME),
        null, null, metrics, "0.1.0-test", Instant.parse("2026-11-26T12:00:00Z"));
  }

  @Test
  void reloadsWithIdenticalOutputsForEveryArchitecture() throws Exception {
    INDArray x = Nd4j.rand(new long[] {5, 1, 1, 64}).subi(0.5);
    for (Architecture architecture : Architecture.values()) {
      ModelBundle original = bundle(architecture);
      Path file = dir.resolve(architecture + ".drsn");
      original.write(file);
      ModelBundle loaded = ModelBundle.read(file);
      assertEquals(architecture, loaded.architecture());
      assertEquals(List.of("a", "b", "c"), loaded.classes());
      assertEquals(original.input(), loaded.input());
      assertEquals(0.875, loaded.metrics().path("test").path("accuracy").asDouble());
      assertEquals(original.network().params(), loaded.network().params());
      assertEquals(original.network().output(x, false), loaded.network().output(x, false), architecture.name());
    }
  }

  @Test
  void truncatedMissingAndForeignFilesAreClearErrors() throws Exception {
    Path file = dir.resolve("m.drsn");
    bundle(Architecture.DRSN_CW).write(file);
    byte[] bytes = Files.readAllBytes(file);

    Path truncated = dir.resolve("truncated.drsn");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    BundleFormatException e = assertThrows(BundleFormatException.class, () -> ModelBundle.read(truncated));
    assertTrue(e.getMessage().contains("truncated.drsn"), e.getMessage());

    BundleFormatException missing =
        assertThrows(BundleFormatException.class, () -> ModelBundle.read(dir.resolve("nope.drsn")));
    assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());

    Path text = dir.resolve("text.drsn");
    Files.writeString(text, "not a bundle");
    assertThrows(BundleFormatException.class, () -> ModelBundle.read(text));
  }

  @Test
  void otherVersionsAndTamperedContentsAreRefused() throws Exception {
    Path file = dir.resolve("m.drsn");
    bundle(Architecture.DRSN_CS).write(file);

    Path future = rewriteMetadata(file, "future.drsn", root -> root.put("format_version", 2));
    BundleFormatException version = assertThrows(BundleFormatException.class, () -> ModelBundle.read(future));
    assertTrue(version.getMessage().contains("format version 2"), version.getMessage());
    assertTrue(version.getMessage().contains("reads format version 1"), version.getMessage());

    Path wider = rewriteMetadata(file, "wider.drsn", root -> ((ObjectNode) root.path("model")).putArray("stage_channels").add(8).add(8));
    BundleFormatException layout = assertThrows(BundleFormatException.class, () -> ModelBundle.read(wider));
    assertTrue(layout.getMessage().contains("parameter layout"), layout.getMessage());

    Path corrupt = rewriteMetadata(file, "corrupt.drsn", root -> ((ObjectNode) root.path("parameters")).put("sha256", "0".repeat(64)));
    BundleFormatException sha = assertThrows(BundleFormatException.class, () -> ModelBundle.read(corrupt));
    assertTrue(sha.getMessage().contains("SHA-256"), sha.getMessage());
  }

  private Path rewriteMetadata(Path file, String name, java.util.function.Consumer<ObjectNode> edit) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file));
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        byte[] content = in.readAllBytes();
        if (entry.getName().equals(ModelBundle.METADATA_ENTRY)) {
          JsonNode root = json.readTree(content);
          edit.accept((ObjectNode) root);
          content = json.writeValueAsBytes(root);
        }
        zip.putNextEntry(new ZipEntry(entry.getName()));
        zip.write(content);
        zip.closeEntry();
      }
    }
    Path target = dir.resolve(name);
    Files.write(target, out.toByteArray());
    return target;
  }
}
