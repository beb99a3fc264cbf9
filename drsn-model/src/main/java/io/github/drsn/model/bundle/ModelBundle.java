package io.github.drsn.model.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.BundleFormatException;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.ModelLayout;
import io.github.drsn.contract.io.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.drsn.datasets.io.JsonMappers;
import io.github.drsn.model.DrsnModels;
import io.github.drsn.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model {@link Bundle} together with its DL4J network: the DL4J side of the one bundle format. It converts
 * between DL4J parameters and the bundle (the flat {@code MultiLayerNetwork.params()} vector is the bundle's
 * parameter vector, in {@link ModelLayout#parameters()} order, which {@link #checkLayout} verifies for every network
 * it writes or rebuilds) and leaves reading, writing and checking the file to {@link Bundle}.
 */
public final class ModelBundle {

  private final Bundle bundle;
  private final MultiLayerNetwork network;
  private final ModelSpec spec;

  private ModelBundle(Bundle bundle, MultiLayerNetwork network, ModelSpec spec) {
    this.bundle = bundle;
    this.network = network;
    this.spec = spec;
  }

  /**
   * A bundle of a trained network; its parameters are copied now.
   *
   * @param network the trained network, built by {@link DrsnModels#network(Architecture, ModelSpec)}
   * @param classes class names in output order
   * @param training the training configuration (free-form JSON), or null
   * @param provenance data files with SHA-256, seeds, split, project version (free-form JSON), or null
   * @param metrics validation/test metrics (free-form JSON), or null
   * @throws IllegalArgumentException if the parts do not fit together
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
    this(new Bundle(spec.layout(architecture), classes, input, precision(spec.dataType()),
            checkLayout(Objects.requireNonNull(network, "network"), spec.layout(architecture)).params()
                .toDoubleVector(),
            projectVersion, created == null ? Instant.now() : created, toMap(training), toMap(provenance),
            toMap(metrics)),
        network, spec);
  }

  /**
   * Reads a bundle file ({@link Bundle#read}) and rebuilds its network with {@link DrsnModels}.
   *
   * @throws BundleFormatException if the file is not a readable bundle (the message names it and the problem)
   */
  public static ModelBundle read(Path file) throws IOException {
    return of(Bundle.read(file));
  }

  /**
   * The DL4J network of a bundle already read.
   *
   * @throws IllegalArgumentException if the bundle is an ensemble (a DL4J network is one of its members; using one
   *     silently would change what the model predicts)
   */
  public static ModelBundle of(Bundle bundle) {
    if (bundle.isEnsemble()) {
      throw new IllegalArgumentException("the bundle is an ensemble of " + bundle.members().size() + " networks; this"
          + " needs one network (use a member's own bundle)");
    }
    DataType dataType = bundle.precision() == Bundle.Precision.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
    ModelSpec spec = ModelSpec.of(bundle.layout(), dataType);
    MultiLayerNetwork network = DrsnModels.network(bundle.layout().architecture(), spec);
    checkLayout(network, bundle.layout());
    double[] values = bundle.parameters();
    INDArray flat = Nd4j.createFromArray(values).castTo(dataType).reshape(1, values.length);
    network.setParams(flat);
    return new ModelBundle(bundle, network, spec);
  }

  /**
   * Checks that DL4J names and shapes the network's parameters exactly as {@code layout} does, so that the flat
   * parameter vector means the same on both sides of the bundle format.
   *
   * @return the network
   * @throws IllegalStateException if they differ (a defect of this project, not of a file)
   */
  public static MultiLayerNetwork checkLayout(MultiLayerNetwork network, ModelLayout layout) {
    List<ModelLayout.Param> expected = layout.parameters();
    List<ModelLayout.Param> actual = new ArrayList<>();
    for (Map.Entry<String, INDArray> e : network.paramTable().entrySet()) {
      long[] shape = e.getValue().shape();
      int[] ints = new int[shape.length];
      for (int i = 0; i < shape.length; i++) {
        ints[i] = Math.toIntExact(shape[i]);
      }
      actual.add(new ModelLayout.Param(e.getKey(), ints));
    }
    if (!actual.equals(expected)) {
      throw new IllegalStateException("the DL4J network's parameters " + actual + " differ from the layout of "
          + layout + ": " + expected);
    }
    return network;
  }

  private static Bundle.Precision precision(DataType dataType) {
    return switch (dataType) {
      case DOUBLE -> Bundle.Precision.DOUBLE;
      case FLOAT -> Bundle.Precision.FLOAT;
      default -> throw new IllegalArgumentException("bundles hold FLOAT or DOUBLE networks, not " + dataType);
    };
  }

  /** Writes the bundle to {@code file} atomically ({@link Bundle#write}). */
  public void write(Path file) throws IOException {
    bundle.write(file);
  }

  /** The bundle as the file holds it (what the lean runtime reads). */
  public Bundle bundle() {
    return bundle;
  }

  public MultiLayerNetwork network() {
    return network;
  }

  public Architecture architecture() {
    return bundle.layout().architecture();
  }

  /** The network's sizes; for a bundle read from a file, its training settings are the defaults, not the run's. */
  public ModelSpec spec() {
    return spec;
  }

  public List<String> classes() {
    return bundle.classes();
  }

  public InputSpec input() {
    return bundle.input();
  }

  /** The training configuration as written (a copy). */
  public ObjectNode training() {
    return toNode(bundle.training());
  }

  /** Provenance as written (a copy). */
  public ObjectNode provenance() {
    return toNode(bundle.provenance());
  }

  /** Metrics as written (a copy). */
  public ObjectNode metrics() {
    return toNode(bundle.metrics());
  }

  public String projectVersion() {
    return bundle.projectVersion();
  }

  public Instant created() {
    return bundle.createdUtc();
  }

  /** A Jackson object as the contract's {@code Json} holds it (the inverse of {@link #toNode(Map)}). */
  public static Map<String, Object> toMap(ObjectNode node) {
    return node == null ? Map.of() : object(node);
  }

  private static Map<String, Object> object(JsonNode node) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), value(e.getValue()));
    }
    return map;
  }

  private static Object value(JsonNode node) {
    if (node.isObject()) {
      return object(node);
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(v -> list.add(value(v)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isTextual()) {
      return node.asText();
    }
    return Json.NULL;
  }

  /** A JSON object as the contract's {@code Json} holds it ({@code Json.NULL} for null), as a Jackson tree. */
  public static ObjectNode toNode(Map<String, Object> map) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    map.forEach((k, v) -> node.set(k, toNode(v)));
    return node;
  }

  @SuppressWarnings("unchecked")
  private static JsonNode toNode(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value instanceof Map<?, ?> m) {
      return toNode((Map<String, Object>) m);
    }
    if (value instanceof List<?> l) {
      ArrayNode array = f.arrayNode();
      l.forEach(v -> array.add(toNode(v)));
      return array;
    }
    if (value instanceof Long l) {
      return l == l.intValue() ? f.numberNode(l.intValue()) : f.numberNode(l);
    }
    if (value instanceof Number n) {
      return f.numberNode(n.doubleValue());
    }
    if (value instanceof Boolean b) {
      return f.booleanNode(b);
    }
    if (value instanceof String s) {
      return f.textNode(s);
    }
    return f.nullNode();
  }
}
