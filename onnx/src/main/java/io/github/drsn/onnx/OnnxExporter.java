package io.github.drsn.onnx;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.Representation;
import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.contract.io.Json;
import io.github.drsn.onnx.impl.GraphBuilder;
import io.github.drsn.onnx.impl.NetworkGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import onnx.Onnx.ModelProto;
import onnx.Onnx.OperatorSetIdProto;
import onnx.Onnx.StringStringEntryProto;

/**
 * Writes a trained bundle as an ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION}) that computes
 * the function drsn-runtime's lean network computes, op for op (float rounding and summation order differ: the
 * tests bound the probabilities' difference in ONNX Runtime by 1e-4 and measure a few 1e-6): input {@value NetworkGraph#INPUT}, float32
 * {@code [batch, channels, featureLength]}, the preprocessed features ({@link io.github.drsn.contract.Preprocessor}:
 * representation, then per-window normalisation, which stay outside the graph unless asked for in it); output
 * {@value NetworkGraph#OUTPUT}, float32 {@code [batch, classes]}, softmax probabilities in the bundle's class
 * order. The model's {@code metadata_props} state the preprocessing and provenance under the keys of
 * {@link #metadata}. Stateless and thread-safe.
 */
public final class OnnxExporter {

  /** The default-domain operator set the graph uses. */
  public static final int OPSET = GraphBuilder.OPSET;
  /** The ONNX IR version written (7: ONNX 1.8, the release that introduced opset 13). */
  public static final int IR_VERSION = 7;

  private OnnxExporter() {
  }

  /**
   * Reads {@code bundleFile} and writes its ONNX model to {@code out} atomically.
   *
   * @return the model written
   * @throws io.github.drsn.contract.BundleFormatException if the bundle is missing or corrupt
   * @throws IOException if {@code out} cannot be written (nothing is left at {@code out} then)
   */
  public static ModelProto export(Path bundleFile, Path out) throws IOException {
    return export(bundleFile, out, false);
  }

  /**
   * Reads {@code bundleFile} and writes its ONNX model to {@code out} atomically, with the per-window normalisation
   * in the graph if {@code normalizationInGraph} (see {@link #export(Bundle, String, boolean)}).
   *
   * @return the model written
   * @throws io.github.drsn.contract.BundleFormatException if the bundle is missing or corrupt
   * @throws IllegalArgumentException if the normalisation is asked for in the graph of a spectral model
   * @throws IOException if {@code out} cannot be written (nothing is left at {@code out} then)
   */
  public static ModelProto export(Path bundleFile, Path out, boolean normalizationInGraph) throws IOException {
    Bundle bundle = Bundle.read(bundleFile);
    ModelProto model = export(bundle, sha256(Files.readAllBytes(bundleFile)), normalizationInGraph);
    AtomicFiles.write(out, model.toByteArray());
    return model;
  }

  /**
   * The ONNX model of {@code bundle}.
   *
   * @param bundleSha256 the SHA-256 of the bundle file, recorded in the metadata (null if there is no file)
   */
  public static ModelProto export(Bundle bundle, String bundleSha256) {
    return export(bundle, bundleSha256, false);
  }

  /**
   * The ONNX model of {@code bundle}; with {@code normalizationInGraph}, the bundle's per-window normalisation is
   * the graph's first ops (in float32) and its input is {@value NetworkGraph#RAW_INPUT}, the raw time window
   * {@code [batch, channels, windowLength]}.
   *
   * @param bundleSha256 the SHA-256 of the bundle file, recorded in the metadata (null if there is no file)
   * @throws IllegalArgumentException if {@code normalizationInGraph} and the model's representation is a spectrum,
   *     or the bundle is an ensemble (one ONNX graph here is one network: export each member's own bundle, and average
   *     their softmax outputs, as the runtime does)
   */
  public static ModelProto export(Bundle bundle, String bundleSha256, boolean normalizationInGraph) {
    Objects.requireNonNull(bundle, "bundle");
    if (bundle.isEnsemble()) {
      throw new IllegalArgumentException("the bundle is an ensemble of " + bundle.members().size() + " networks and"
          + " ONNX export writes one network; export the bundle of each member (e.g. the models given to drsn"
          + " ensemble) and average their probabilities, or use the bundle with the drsn runtime, which averages them");
    }
    if (normalizationInGraph && bundle.input().representation() != Representation.TIME) {
      throw new IllegalArgumentException("the normalisation can be put in the graph only for time-sample models; this"
          + " one takes " + bundle.input().representation() + " (a spectrum): export without it and preprocess the"
          + " window as the metadata drsn.input.* state");
    }
    String name = bundle.layout().architecture().label();
    ModelProto.Builder model = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("drsn")
        .setProducerVersion(version())
        .setDocString(bundle.layout() + "; input: preprocessed features (see metadata drsn.input.*)")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(NetworkGraph.build(bundle.layout(), bundle.floatParameters(), name,
            normalizationInGraph ? bundle.input().normalization() : null));
    for (Map.Entry<String, String> e : metadata(bundle, bundleSha256, normalizationInGraph).entrySet()) {
      model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
    }
    return model.build();
  }

  /**
   * The model's {@code metadata_props}: {@code drsn.input.sampling_rate_hz}, {@code drsn.input.window_length}
   * (raw samples per channel), {@code drsn.input.channels}, {@code drsn.input.representation},
   * {@code drsn.input.normalization} (per window and channel, after the representation),
   * {@code drsn.input.feature_length}, {@code drsn.input.normalization_in_graph} ("true" or "false"),
   * {@code drsn.input.samples_per_revolution} (only for an order-domain model: resample to S per shaft revolution),
   * {@code drsn.classes} (JSON array in output order), {@code drsn.architecture}, {@code drsn.layout},
   * {@code drsn.version} (of the exporter), {@code drsn.bundle.project_version}, {@code drsn.bundle.sha256}.
   */
  public static Map<String, String> metadata(Bundle bundle, String bundleSha256, boolean normalizationInGraph) {
    InputSpec input = bundle.input();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("drsn.input.sampling_rate_hz", Double.toString(input.samplingRate()));
    m.put("drsn.input.window_length", Integer.toString(input.windowLength()));
    m.put("drsn.input.channels", Integer.toString(input.channels()));
    m.put("drsn.input.representation", input.representation().name());
    m.put("drsn.input.normalization", input.normalization().name());
    m.put("drsn.input.feature_length", Integer.toString(input.featureLength()));
    if (input.orderDomain()) {
      // Windows must be at S samples per shaft revolution, not at the sampling rate (contract's InputSpec).
      m.put("drsn.input.samples_per_revolution", Double.toString(input.samplesPerRevolution()));
    }
    m.put("drsn.input.normalization_in_graph", Boolean.toString(normalizationInGraph));
    // One line: the indented writer's line breaks and indents are formatting (breaks inside names are escaped).
    m.put("drsn.classes", Json.write(bundle.classes()).replaceAll("\\n\\s*", "").trim());
    m.put("drsn.architecture", bundle.layout().architecture().label());
    m.put("drsn.layout", bundle.layout().toString());
    m.put("drsn.version", version());
    m.put("drsn.bundle.project_version", bundle.projectVersion());
    m.put("drsn.bundle.sha256", bundleSha256 == null ? "" : bundleSha256);
    return m;
  }

  /** This module's version from its jar manifest, or "unknown" when run from classes. */
  static String version() {
    String v = OnnxExporter.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
