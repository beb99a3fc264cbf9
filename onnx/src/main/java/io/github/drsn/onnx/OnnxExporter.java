package io.github.drsn.onnx;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Calibration;
import io.github.drsn.contract.InputSpec;
import io.github.drsn.contract.OodMethod;
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
 * representation, then per-window normalisation, which stay outside the graph unless asked for in it); outputs
 * {@value NetworkGraph#OUTPUT}, float32 {@code [batch, classes]}, the calibrated probabilities softmax(z / T) in the
 * bundle's class order, what the runtime answers ({@code LeanDiagnoser.predict}, the probabilities of
 * {@code classify}), with T the bundle's calibration temperature ({@link Bundle#temperature()}, 1 for an uncalibrated
 * bundle), and {@value NetworkGraph#LOGITS}, the same shape, the logits z before the temperature. The runtime's
 * "unknown" answer is not in the graph: its out-of-distribution score needs statistics the file does not carry
 * (except for the scores computed from the logits alone), and the metadata say which. The model's
 * {@code metadata_props} state the preprocessing, calibration and provenance under the keys of {@link #metadata}.
 * Stateless and thread-safe.
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
   *     or the bundle is an ensemble (one ONNX graph here is one network: export each member's own bundle; the runtime
   *     averages the members' probabilities at T = 1, the softmax of each file's {@value NetworkGraph#LOGITS}
   *     output, then applies the ensemble's own temperature, softmax(log p̄ / T), which no member's file holds)
   */
  public static ModelProto export(Bundle bundle, String bundleSha256, boolean normalizationInGraph) {
    Objects.requireNonNull(bundle, "bundle");
    if (bundle.isEnsemble()) {
      throw new IllegalArgumentException("the bundle is an ensemble of " + bundle.members().size() + " networks and"
          + " ONNX export writes one network; export the bundle of each member (e.g. the models given to drsn"
          + " ensemble) and average the softmax of their logits outputs (each member at T = 1; the runtime then"
          + " applies the ensemble's own temperature to the mean), or use the bundle with the drsn runtime");
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
        .setDocString(bundle.layout() + "; input: " + (normalizationInGraph ? "the raw time window" : "preprocessed"
            + " features") + " (see metadata drsn.input.*); outputs: " + NetworkGraph.OUTPUT + " = softmax("
            + NetworkGraph.LOGITS + " / T), the runtime's calibrated probabilities, T = " + bundle.temperature()
            + ", and " + NetworkGraph.LOGITS + " before T; the runtime's unknown decision is not in the graph (see"
            + " metadata drsn.calibration.*)")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(NetworkGraph.build(bundle.layout(), bundle.floatParameters(), name,
            normalizationInGraph ? bundle.input().normalization() : null, bundle.temperature()));
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
   * {@code drsn.input.channel_names} (JSON array of the training channels' names in input order, only when the
   * bundle records them),
   * {@code drsn.classes} (JSON array in output order), {@code drsn.outputs} (what each output holds),
   * the calibration ({@link #calibrationMetadata}: {@code drsn.calibration.*}), {@code drsn.architecture},
   * {@code drsn.layout}, {@code drsn.version} (of the exporter), {@code drsn.bundle.project_version},
   * {@code drsn.bundle.sha256}.
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
    if (input.namedChannels()) {
      // The sensors the model was trained on, in input order: a consumer chooses a recording's channels by them.
      m.put("drsn.input.channel_names", Json.write(new java.util.ArrayList<Object>(input.channelNames()))
          .replaceAll("\\n\\s*", "").trim());
    }
    m.put("drsn.input.normalization_in_graph", Boolean.toString(normalizationInGraph));
    // One line: the indented writer's line breaks and indents are formatting (breaks inside names are escaped).
    m.put("drsn.classes", Json.write(bundle.classes()).replaceAll("\\n\\s*", "").trim());
    m.put("drsn.outputs", NetworkGraph.OUTPUT + ": softmax(" + NetworkGraph.LOGITS + " / T) with T ="
        + " drsn.calibration.temperature, the calibrated probabilities the drsn runtime answers; "
        + NetworkGraph.LOGITS + ": the dense layer's output before the temperature");
    m.putAll(calibrationMetadata(bundle.calibration()));
    m.put("drsn.architecture", bundle.layout().architecture().label());
    m.put("drsn.layout", bundle.layout().toString());
    m.put("drsn.version", version());
    m.put("drsn.bundle.project_version", bundle.projectVersion());
    m.put("drsn.bundle.sha256", bundleSha256 == null ? "" : bundleSha256);
    return m;
  }

  /**
   * The calibration part of the metadata, what a consumer of the file needs to know of the runtime's answers:
   * <ul>
   *   <li>{@code drsn.calibration.calibrated}: "true" or "false";
   *   <li>{@code drsn.calibration.temperature}: T, in the graph (a Div of the logits before the Softmax), "1.0" when
   *       uncalibrated;
   *   <li>{@code drsn.calibration.unknown_in_graph}: "false": no output says whether the runtime would answer
   *       unknown;
   *   <li>{@code drsn.calibration.unknown}: in words, how the runtime decides unknown and whether the graph's outputs
   *       suffice to reproduce it;
   *   <li>{@code drsn.calibration.unknown_reproducible}: "true" when the runtime's OOD score is a function of the
   *       graph's outputs and T ({@link OodMethod#MAX_SOFTMAX}, {@link OodMethod#ENERGY}), so that score &gt;
   *       threshold (or NaN) reproduces the decision; "false" when it needs features or statistics the file does not
   *       carry, or the bundle is uncalibrated (never unknown);
   * </ul>
   * and for a calibrated bundle only: {@code drsn.calibration.ood_method} (the method the runtime thresholds),
   * {@code drsn.calibration.ood_threshold} (its threshold: unknown when the score is above it, or NaN),
   * {@code drsn.calibration.ood_thresholds} (JSON object, every method fitted and its threshold),
   * {@code drsn.calibration.false_alarm_rate} (the fraction of in-distribution calibration windows the thresholds
   * flag) and {@code drsn.calibration.windows} (how many windows the calibration was fitted on).
   */
  public static Map<String, String> calibrationMetadata(Calibration calibration) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("drsn.calibration.calibrated", Boolean.toString(calibration != null));
    m.put("drsn.calibration.temperature", Double.toString(calibration == null ? 1.0 : calibration.temperature()));
    m.put("drsn.calibration.unknown_in_graph", "false");
    if (calibration == null) {
      m.put("drsn.calibration.unknown_reproducible", "false");
      m.put("drsn.calibration.unknown", "the bundle is uncalibrated: the drsn runtime never answers unknown for it"
          + " (no out-of-distribution threshold), and the probabilities are the network's softmax at T = 1");
      return m;
    }
    OodMethod method = calibration.method();
    m.put("drsn.calibration.ood_method", method.name());
    m.put("drsn.calibration.ood_threshold", Double.toString(calibration.threshold()));
    Map<String, Object> thresholds = new LinkedHashMap<>();
    for (Map.Entry<OodMethod, Double> e : calibration.thresholds().entrySet()) {
      thresholds.put(e.getKey().name(), e.getValue());
    }
    m.put("drsn.calibration.ood_thresholds", Json.write(thresholds).replaceAll("\\n\\s*", "").trim());
    m.put("drsn.calibration.false_alarm_rate", Double.toString(calibration.falseAlarmRate()));
    m.put("drsn.calibration.windows", Integer.toString(calibration.windows()));
    String rule = "the drsn runtime answers unknown when the " + method + " score s of a window is above"
        + " drsn.calibration.ood_threshold or is NaN; ";
    boolean reproducible = method == OodMethod.MAX_SOFTMAX || method == OodMethod.ENERGY;
    String how = switch (method) {
      case MAX_SOFTMAX -> "the graph does not compute it, but s = -max_k " + NetworkGraph.OUTPUT + "[k] does, from"
          + " this file alone";
      case ENERGY -> "the graph does not compute it, but s = -T * log(sum_k exp(" + NetworkGraph.LOGITS + "[k] / T))"
          + " with T = drsn.calibration.temperature does, from this file alone";
      case MAHALANOBIS, RELATIVE_MAHALANOBIS, KNN -> "NOT reproducible from this file: s needs the network's pooled"
          + " features (the dense layer's input, not an output) and the bundle's " + (method == OodMethod.KNN
              ? "normalised training features (" + Calibration.NEIGHBOURS_ENTRY + ")"
              : "Mahalanobis statistics (class means and precision matrices)") + ", which are not exported; this file"
          + " gives calibrated probabilities, not the unknown decision (use the drsn runtime or service for it)";
      case MAHALANOBIS_LAYERS -> "NOT reproducible from this file: s needs every residual unit's time-averaged output"
          + " and the pooled features (not outputs) and the bundle's per-layer Mahalanobis statistics, which are not"
          + " exported; this file gives calibrated probabilities, not the unknown decision (use the drsn runtime or"
          + " service for it)";
      case ENSEMBLE_DISAGREEMENT -> "NOT reproducible from this file: s needs an ensemble's members, and one ONNX"
          + " file is one network";
    };
    m.put("drsn.calibration.unknown_reproducible", Boolean.toString(reproducible));
    m.put("drsn.calibration.unknown", rule + how);
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
