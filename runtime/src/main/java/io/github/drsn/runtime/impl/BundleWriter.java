package io.github.drsn.runtime.impl;

import io.github.drsn.runtime.InputSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes bundles in drsn-model's format without DL4J: for benchmarks and tests of the runtime that need a
 * model file but not a trained model ({@link #random}: He-scaled random weights, batch-norm statistics drawn
 * away from 0/1). Trained bundles come from drsn-model's {@code ModelBundle.write}. Files are written
 * atomically (temp file in the same folder, then rename).
 */
public final class BundleWriter {

  private BundleWriter() {
  }

  /** The paper's Table II network (input 1×2048 at 12 kHz, stages 4/8/16 × 4 units, kernel 3, stem /2) for 10 classes. */
  public static ModelLayout paperLayout(ModelLayout.Architecture architecture) {
    return new ModelLayout(architecture, 2048, 1, new int[] {4, 8, 16}, 4, 3, 2, 10, false, 4,
        ModelLayout.Shortcut.ZERO_PAD);
  }

  /**
   * A bundle of {@code layout} with random parameters drawn from {@code seed}.
   *
   * @return the parameters written, in flat order
   */
  public static float[] random(Path file, ModelLayout layout, List<String> classes, InputSpec input, long seed)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    float[] flat = new float[layout.parameterCount()];
    int at = 0;
    for (ModelLayout.Param p : layout.parameters()) {
      String name = p.name().substring(p.name().indexOf('_') + 1);
      int fanIn = p.shape().length == 4 ? p.shape()[1] * p.shape()[3] : p.shape()[0];
      for (int i = 0; i < p.size(); i++) {
        double v;
        if (name.endsWith("Var")) {
          v = 0.5 + random.nextDouble();
        } else if (name.endsWith("Gamma")) {
          v = 0.8 + 0.4 * random.nextDouble();
        } else if (name.endsWith("Mean") || name.endsWith("Beta") || name.endsWith("b")) {
          v = 0.1 * random.nextGaussian();
        } else {
          v = random.nextGaussian() * Math.sqrt(2.0 / fanIn);
        }
        flat[at++] = (float) v;
      }
    }
    write(file, layout, classes, input, flat);
    return flat;
  }

  /** Writes {@code parameters} (flat order of {@code layout}) as a float32 bundle. */
  public static void write(Path file, ModelLayout layout, List<String> classes, InputSpec input, float[] parameters)
      throws IOException {
    byte[] npy = npy(parameters);
    StringBuilder json = new StringBuilder();
    json.append("{\n  \"format\": \"").append(Bundle.FORMAT).append("\",\n  \"format_version\": ")
        .append(Bundle.FORMAT_VERSION).append(",\n  \"project_version\": \"runtime-writer\",\n")
        .append("  \"created_utc\": \"2026-01-01T00:00:00Z\",\n  \"architecture\": \"")
        .append(layout.architecture().bundleName()).append("\",\n  \"model\": {\"input_length\": ")
        .append(layout.inputLength()).append(", \"input_channels\": ").append(layout.inputChannels())
        .append(", \"stage_channels\": ").append(java.util.Arrays.toString(layout.stageChannels()))
        .append(", \"units_per_stage\": ").append(layout.unitsPerStage()).append(", \"kernel_size\": ")
        .append(layout.kernelSize()).append(", \"stem_stride\": ").append(layout.stemStride())
        .append(", \"classes\": ").append(layout.classes()).append(", \"normalization\": \"")
        .append(layout.groupNorm() ? "GROUP_NORM" : "BATCH_NORM").append("\", \"groups\": ").append(layout.groups())
        .append(", \"shortcut\": \"").append(layout.shortcut() == ModelLayout.Shortcut.NONE ? "ZERO_PAD"
            : layout.shortcut().name()).append("\", \"data_type\": \"FLOAT\"},\n  \"classes\": [");
    for (int k = 0; k < classes.size(); k++) {
      json.append(k == 0 ? "" : ", ").append('"').append(classes.get(k).replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    json.append("],\n  \"input\": {\"sampling_rate\": ").append(String.format(Locale.ROOT, "%.17g", input.samplingRate()))
        .append(", \"window_length\": ").append(input.windowLength()).append(", \"channels\": ").append(input.channels())
        .append(", \"normalization\": \"").append(input.normalization().name()).append("\", \"representation\": \"")
        .append(input.representation().name()).append("\"},\n  \"parameters\": {\"file\": \"")
        .append(Bundle.PARAMETERS_ENTRY).append("\", \"count\": ").append(parameters.length)
        .append(", \"sha256\": \"").append(sha256(npy)).append("\", \"layout\": [");
    List<ModelLayout.Param> params = layout.parameters();
    for (int i = 0; i < params.size(); i++) {
      json.append(i == 0 ? "\n    " : ",\n    ").append("{\"name\": \"").append(params.get(i).name())
          .append("\", \"shape\": ").append(java.util.Arrays.toString(params.get(i).shape())).append('}');
    }
    json.append("\n  ]},\n  \"training\": {}, \"provenance\": {}, \"metrics\": {}\n}\n");
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
        zip.putNextEntry(new ZipEntry(Bundle.METADATA_ENTRY));
        zip.write(json.toString().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(Bundle.PARAMETERS_ENTRY));
        zip.write(npy);
        zip.closeEntry();
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static byte[] npy(float[] values) {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + values.length + ",), }";
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x93);
    out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
    out.write(1);
    out.write(0);
    out.write(header.length() & 0xff);
    out.write(header.length() >>> 8);
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      data.putFloat(v);
    }
    out.writeBytes(data.array());
    return out.toByteArray();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
