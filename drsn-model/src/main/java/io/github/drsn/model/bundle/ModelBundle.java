package io.github.drsn.model.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.datasets.features.InputRepresentation;
import io.github.drsn.datasets.io.AtomicFiles;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.datasets.io.Npy;
import io.github.drsn.datasets.io.NpyArray;
import io.github.drsn.model.Architecture;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import io.github.drsn.model.NormKind;
import io.github.drsn.model.layers.Shortcut;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained network with everything needed to use it alone: class names, the input it expects and its
 * preprocessing, the training configuration, provenance and metrics.
 *
 * <p>File format {@value #FORMAT} version {@value #FORMAT_VERSION}: a zip archive with
 * <ul>
 *   <li>{@code bundle.json}: format and version, project version, creation time, architecture and sizes
 *       ({@link ModelSpec} fields), class names, {@link InputSpec}, the parameter layout (name and shape of
 *       every parameter array, in order) with the SHA-256 of {@code parameters.npy}, and free-form
 *       {@code training}, {@code provenance} and {@code metrics} objects;
 *   <li>{@code parameters.npy}: the flat parameter vector (float32, or float64 for double networks),
 *       batch-norm running statistics included, in DL4J's parameter order.
 * </ul>
 * Loading rebuilds the network from the architecture and sizes with {@link DrsnModels}, checks that its
 * parameter layout matches the recorded one, and sets the parameters. Nothing in the file is interpreted
 * as a class name and no Java object is deserialised. Files are written atomically.
 */
public final class ModelBundle {

  /** The format name in {@code bundle.json}. */
  public static final String FORMAT = "drsn-model-bundle";
  /** The version this build writes and reads. */
  public static final int FORMAT_VERSION = 1;

  static final String METADATA_ENTRY = "bundle.json";
  static final String PARAMETERS_ENTRY = "parameters.npy";
  private static final ObjectMapper JSON = JsonMappers.indented();

  private final MultiLayerNetwork network;
  private final Architecture architecture;
  private final ModelSpec spec;
  private final List<String> classes;
  private final InputSpec input;
  private final ObjectNode training;
  private final ObjectNode provenance;
  private final ObjectNode metrics;
  private final String projectVersion;
  private final Instant created;

  /**
   * @param network the trained network, built by {@link DrsnModels#network(Architecture, ModelSpec)}
   * @param classes class names in output order
   * @param training the training configuration (free-form JSON), or null
   * @param provenance data files with SHA-256, seeds, split, project version (free-form JSON), or null
   * @param metrics validation/test metrics (free-form JSON), or null
   */
  public ModelBundle(
      MultiLayerNetwork network,
      Architecture architecture,
      ModelSpec spec,
      List<String> classes,
      InputSpec input,
      ObjectNode training,
      ObjectNode provenance,
      ObjectNode metrics,
      String projectVersion,
      Instant created) {
    this.network = Objects.requireNonNull(network, "network");
    this.architecture = Objects.requireNonNull(architecture, "architecture");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.classes = List.copyOf(classes);
    this.input = Objects.requireNonNull(input, "input");
    this.training = training == null ? JsonNodeFactory.instance.objectNode() : training;
    this.provenance = provenance == null ? JsonNodeFactory.instance.objectNode() : provenance;
    this.metrics = metrics == null ? JsonNodeFactory.instance.objectNode() : metrics;
    this.projectVersion = projectVersion == null ? "unknown" : projectVersion;
    this.created = created == null ? Instant.now() : created;
    if (this.classes.size() != spec.classes()) {
      throw new IllegalArgumentException(
          "the network has " + spec.classes() + " outputs but " + this.classes.size() + " class names were given");
    }
    if (input.channels() != spec.inputChannels()
        || input.representation().featureLength(input.windowLength()) != spec.inputLength()) {
      throw new IllegalArgumentException("input " + input + " does not give the network's input of "
          + spec.inputChannels() + " x " + spec.inputLength());
    }
  }

  public MultiLayerNetwork network() {
    return network;
  }

  public Architecture architecture() {
    return architecture;
  }

  public ModelSpec spec() {
    return spec;
  }

  public List<String> classes() {
    return classes;
  }

  public InputSpec input() {
    return input;
  }

  /** The training configuration as written (a copy). */
  public ObjectNode training() {
    return training.deepCopy();
  }

  /** Provenance as written (a copy). */
  public ObjectNode provenance() {
    return provenance.deepCopy();
  }

  /** Metrics as written (a copy). */
  public ObjectNode metrics() {
    return metrics.deepCopy();
  }

  public String projectVersion() {
    return projectVersion;
  }

  public Instant created() {
    return created;
  }

  /** Writes the bundle to {@code file} atomically (temp file in the same folder, then rename). */
  public void write(Path file) throws IOException {
    byte[] parameters = parameterBytes();
    ObjectNode root = metadata(sha256(parameters));
    byte[] metadata = JSON.writeValueAsBytes(root);
    AtomicFiles.write(file, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      zip.putNextEntry(new ZipEntry(METADATA_ENTRY));
      zip.write(metadata);
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(PARAMETERS_ENTRY));
      zip.write(parameters);
      zip.closeEntry();
      zip.finish();
    });
  }

  private byte[] parameterBytes() throws IOException {
    INDArray flat = network.params();
    NpyArray array = spec.dataType() == DataType.DOUBLE
        ? NpyArray.ofDoubles(flat.toDoubleVector(), (int) flat.length())
        : NpyArray.ofFloats(flat.toFloatVector(), (int) flat.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Npy.write(bytes, array);
    return bytes.toByteArray();
  }

  private ObjectNode metadata(String parametersSha256) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("project_version", projectVersion);
    root.put("created_utc", created.toString());
    root.put("architecture", architecture.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    ObjectNode model = root.putObject("model");
    model.put("input_length", spec.inputLength());
    model.put("input_channels", spec.inputChannels());
    ArrayNode stages = model.putArray("stage_channels");
    for (int c : spec.stageChannels()) {
      stages.add(c);
    }
    model.put("units_per_stage", spec.unitsPerStage());
    model.put("kernel_size", spec.kernelSize());
    model.put("stem_stride", spec.stemStride());
    model.put("classes", spec.classes());
    model.put("normalization", spec.normalization().name());
    model.put("groups", spec.groups());
    model.put("shortcut", spec.shortcut().name());
    model.put("data_type", spec.dataType().name());
    ArrayNode names = root.putArray("classes");
    classes.forEach(names::add);
    ObjectNode in = root.putObject("input");
    in.put("sampling_rate", input.samplingRate());
    in.put("window_length", input.windowLength());
    in.put("channels", input.channels());
    in.put("normalization", input.normalization().name());
    in.put("representation", input.representation().name());
    in.put("layout", "NCHW [batch, channels, 1, length]");
    ObjectNode parameters = root.putObject("parameters");
    parameters.put("file", PARAMETERS_ENTRY);
    parameters.put("count", network.numParams());
    parameters.put("sha256", parametersSha256);
    ArrayNode layout = parameters.putArray("layout");
    for (Map.Entry<String, int[]> e : parameterLayout(network).entrySet()) {
      ObjectNode p = layout.addObject();
      p.put("name", e.getKey());
      ArrayNode shape = p.putArray("shape");
      for (int d : e.getValue()) {
        shape.add(d);
      }
    }
    root.set("training", training);
    root.set("provenance", provenance);
    root.set("metrics", metrics);
    return root;
  }

  /** Parameter name → shape, in the order of the flat parameter vector. */
  static Map<String, int[]> parameterLayout(MultiLayerNetwork network) {
    Map<String, int[]> layout = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : network.paramTable().entrySet()) {
      long[] shape = e.getValue().shape();
      int[] ints = new int[shape.length];
      for (int i = 0; i < shape.length; i++) {
        ints[i] = Math.toIntExact(shape[i]);
      }
      layout.put(e.getKey(), ints);
    }
    return layout;
  }

  /**
   * Reads a bundle written by {@link #write} (format version {@value #FORMAT_VERSION}).
   *
   * @throws BundleFormatException if the file is missing, truncated, corrupt, of another format or version,
   *     or its parameters do not fit the architecture it names; the message says which and what was expected
   */
  public static ModelBundle read(Path file) throws IOException {
    byte[] metadata = null;
    byte[] parameters = null;
    try (InputStream in = java.nio.file.Files.newInputStream(file);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        if (entry.getName().equals(METADATA_ENTRY)) {
          metadata = zip.readAllBytes();
        } else if (entry.getName().equals(PARAMETERS_ENTRY)) {
          parameters = zip.readAllBytes();
        }
      }
    } catch (NoSuchFileException e) {
      throw new BundleFormatException(file, "no such file", e);
    } catch (ZipException | java.io.EOFException e) {
      throw new BundleFormatException(file, "truncated or not a zip archive (" + e.getMessage() + ")", e);
    }
    if (metadata == null) {
      throw new BundleFormatException(file, "no " + METADATA_ENTRY + " entry; not a " + FORMAT + " file");
    }
    JsonNode root;
    try {
      root = JSON.readTree(metadata);
    } catch (JsonProcessingException e) {
      throw new BundleFormatException(file, METADATA_ENTRY + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    checkVersion(file, root);
    if (parameters == null) {
      throw new BundleFormatException(file, "no " + PARAMETERS_ENTRY + " entry (the bundle is incomplete)");
    }
    String expectedSha = text(file, root.path("parameters"), "sha256");
    if (!expectedSha.equals(sha256(parameters))) {
      throw new BundleFormatException(file, PARAMETERS_ENTRY + " does not match its recorded SHA-256 (corrupt file)");
    }
    Architecture architecture = architecture(file, text(file, root, "architecture"));
    ModelSpec spec = spec(file, root.path("model"));
    List<String> classes = new ArrayList<>();
    root.path("classes").forEach(c -> classes.add(c.asText()));
    InputSpec input = input(file, root.path("input"));
    MultiLayerNetwork network = DrsnModels.network(architecture, spec);
    checkLayout(file, root.path("parameters").path("layout"), parameterLayout(network));
    NpyArray values = Npy.read(parameters, file.resolve(PARAMETERS_ENTRY));
    if (values.size() != network.numParams()) {
      throw new BundleFormatException(file, PARAMETERS_ENTRY + " holds " + values.size() + " values but "
          + architecture + " with these sizes has " + network.numParams() + " parameters");
    }
    INDArray flat = spec.dataType() == DataType.DOUBLE
        ? Nd4j.create(values.toDoubleArray(), new long[] {1, values.size()}, DataType.DOUBLE)
        : Nd4j.create(values.toFloatArray(), new long[] {1, values.size()});
    network.setParams(flat.castTo(network.params().dataType()));
    try {
      return new ModelBundle(network, architecture, spec, classes, input,
          (ObjectNode) objectOrEmpty(root.path("training")), (ObjectNode) objectOrEmpty(root.path("provenance")),
          (ObjectNode) objectOrEmpty(root.path("metrics")), root.path("project_version").asText("unknown"),
          Instant.parse(text(file, root, "created_utc")));
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw new BundleFormatException(file, "inconsistent metadata: " + e.getMessage(), e);
    }
  }

  private static void checkVersion(Path file, JsonNode root) {
    String format = root.path("format").asText("");
    if (!FORMAT.equals(format)) {
      throw new BundleFormatException(file, "format is '" + format + "', expected '" + FORMAT + "'");
    }
    int version = root.path("format_version").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new BundleFormatException(file, "format version " + version + " (written by drsn "
          + root.path("project_version").asText("?") + "); this drsn reads format version " + FORMAT_VERSION
          + " only, i.e. bundles written by drsn 0.1.x" + (version > FORMAT_VERSION ? "; upgrade drsn to load it" : ""));
    }
  }

  private static void checkLayout(Path file, JsonNode recorded, Map<String, int[]> actual) {
    List<String> problems = new ArrayList<>();
    if (!recorded.isArray() || recorded.size() != actual.size()) {
      problems.add("it records " + recorded.size() + " parameter arrays, the architecture has " + actual.size());
    } else {
      int i = 0;
      for (Map.Entry<String, int[]> e : actual.entrySet()) {
        JsonNode p = recorded.get(i++);
        int[] shape = new int[p.path("shape").size()];
        for (int d = 0; d < shape.length; d++) {
          shape[d] = p.path("shape").get(d).asInt();
        }
        if (!p.path("name").asText().equals(e.getKey()) || !java.util.Arrays.equals(shape, e.getValue())) {
          problems.add("parameter " + (i - 1) + " is " + p.path("name").asText() + java.util.Arrays.toString(shape)
              + ", the architecture has " + e.getKey() + java.util.Arrays.toString(e.getValue()));
          break;
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new BundleFormatException(file, "its parameter layout does not fit the architecture it names: "
          + String.join("; ", problems));
    }
  }

  private static Architecture architecture(Path file, String name) {
    for (Architecture a : Architecture.values()) {
      if (a.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(name)) {
        return a;
      }
    }
    throw new BundleFormatException(file, "unknown architecture '" + name
        + "' (expected drsn-cw, drsn-cs, resnet or convnet)");
  }

  private static ModelSpec spec(Path file, JsonNode m) {
    try {
      int[] stages = new int[m.path("stage_channels").size()];
      for (int i = 0; i < stages.length; i++) {
        stages[i] = m.path("stage_channels").get(i).asInt();
      }
      return ModelSpec.builder()
          .inputLength(integer(file, m, "input_length"))
          .inputChannels(integer(file, m, "input_channels"))
          .stageChannels(stages)
          .unitsPerStage(integer(file, m, "units_per_stage"))
          .kernelSize(integer(file, m, "kernel_size"))
          .stemStride(integer(file, m, "stem_stride"))
          .classes(integer(file, m, "classes"))
          .normalization(NormKind.valueOf(text(file, m, "normalization")))
          .groups(integer(file, m, "groups"))
          .shortcut(Shortcut.valueOf(text(file, m, "shortcut")))
          .dataType(DataType.valueOf(text(file, m, "data_type")))
          .build();
    } catch (IllegalArgumentException e) {
      throw new BundleFormatException(file, "invalid model section: " + e.getMessage(), e);
    }
  }

  private static InputSpec input(Path file, JsonNode in) {
    try {
      return new InputSpec(
          number(file, in, "sampling_rate"),
          integer(file, in, "window_length"),
          integer(file, in, "channels"),
          io.github.drsn.signals.Normalization.valueOf(text(file, in, "normalization")),
          InputRepresentation.valueOf(text(file, in, "representation")));
    } catch (IllegalArgumentException e) {
      throw new BundleFormatException(file, "invalid input section: " + e.getMessage(), e);
    }
  }

  private static JsonNode objectOrEmpty(JsonNode node) {
    return node.isObject() ? node : JsonNodeFactory.instance.objectNode();
  }

  private static String text(Path file, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new BundleFormatException(file, "missing text field '" + field + "' in " + METADATA_ENTRY);
    }
    return value.asText();
  }

  private static int integer(Path file, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw new BundleFormatException(file, "missing integer field '" + field + "' in " + METADATA_ENTRY);
    }
    return value.asInt();
  }

  private static double number(Path file, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber()) {
      throw new BundleFormatException(file, "missing number field '" + field + "' in " + METADATA_ENTRY);
    }
    return value.asDouble();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
