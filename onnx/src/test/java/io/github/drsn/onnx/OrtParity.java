package io.github.drsn.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.Preprocessor;
import io.github.drsn.onnx.impl.NetworkGraph;
import io.github.drsn.runtime.LeanDiagnoser;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs an exported model in ONNX Runtime and the same bundle in the drsn runtime ({@link LeanDiagnoser}) on the same
 * windows, and measures how far their probabilities are apart: the graph's against what the runtime answers, the
 * calibrated probabilities softmax(z / T) of a calibrated bundle (not the bare network at T = 1).
 */
final class OrtParity {

  /** The largest |p_ort − p_runtime| over all windows and classes, and the windows whose top class differs. */
  record Result(double maxAbsDiff, int labelMismatches, int windows) {
  }

  private OrtParity() {
  }

  /** A session on {@code model} (creating it runs ONNX Runtime's model checks: op schemas, types, shapes). */
  static OrtSession session(byte[] model) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    return OrtEnvironment.getEnvironment().createSession(model, options);
  }

  /**
   * ONNX Runtime's probabilities of {@code inputs} (each channels × length, channel-major), in batches, fed to the
   * graph's one input (features, or raw windows when the normalisation is in the graph).
   */
  static float[][] run(OrtSession session, List<float[]> inputs, int channels, int length, int batch)
      throws OrtException {
    return run(session, inputs, channels, length, batch, NetworkGraph.OUTPUT);
  }

  /** As {@link #run(OrtSession, List, int, int, int)}, reading the graph's output {@code output}. */
  static float[][] run(OrtSession session, List<float[]> inputs, int channels, int length, int batch, String output)
      throws OrtException {
    float[][] out = new float[inputs.size()][];
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    String input = session.getInputNames().iterator().next();
    for (int from = 0; from < inputs.size(); from += batch) {
      int n = Math.min(batch, inputs.size() - from);
      FloatBuffer buffer = FloatBuffer.allocate(n * channels * length);
      for (int i = 0; i < n; i++) {
        buffer.put(inputs.get(from + i));
      }
      buffer.flip();
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, new long[] {n, channels, length});
          OrtSession.Result result = session.run(Map.of(input, tensor))) {
        float[][] p = (float[][]) result.get(output).orElseThrow().getValue();
        System.arraycopy(p, 0, out, from, n);
      }
    }
    return out;
  }

  /**
   * Compares ONNX Runtime (in batches of {@code batch}) with the runtime on the raw {@code windows}: the graph is fed
   * the windows' {@link Preprocessor} features, or the windows themselves when its input is
   * {@value NetworkGraph#RAW_INPUT} (the normalisation in the graph).
   */
  static Result compare(Bundle bundle, byte[] model, List<float[]> windows, int batch) throws OrtException {
    return compare(bundle, model, null, windows, batch);
  }

  /**
   * Compares ONNX Runtime on {@code ortInputs} (in batches of {@code batch}; null: derived from the windows as
   * {@link #compare(Bundle, byte[], List, int)} does) with the probabilities {@link LeanDiagnoser#predict} answers
   * for the raw {@code windows}.
   */
  static Result compare(Bundle bundle, byte[] model, List<float[]> ortInputs, List<float[]> windows, int batch)
      throws OrtException {
    LeanDiagnoser runtime = LeanDiagnoser.of(bundle);
    int channels = bundle.layout().inputChannels();
    int length = bundle.layout().inputLength();
    float[][] ort;
    try (OrtSession session = session(model)) {
      List<float[]> inputs = ortInputs;
      if (inputs == null) {
        boolean raw = session.getInputNames().contains(NetworkGraph.RAW_INPUT);
        inputs = raw ? windows : features(bundle, windows);
        length = raw ? bundle.input().windowLength() : length;
      }
      ort = run(session, inputs, channels, length, batch);
    }
    double max = 0;
    int mismatches = 0;
    float[] p = new float[bundle.layout().classes()];
    for (int w = 0; w < windows.size(); w++) {
      runtime.predict(windows.get(w), p);
      for (int k = 0; k < p.length; k++) {
        max = Math.max(max, Math.abs(p[k] - ort[w][k]));
      }
      if (argmax(p) != argmax(ort[w])) {
        mismatches++;
      }
    }
    return new Result(max, mismatches, windows.size());
  }

  /** The {@link Preprocessor} features of each raw window, as the runtime computes them before its network. */
  static List<float[]> features(Bundle bundle, List<float[]> windows) {
    Preprocessor preprocessor = new Preprocessor(bundle.input());
    List<float[]> out = new ArrayList<>();
    for (float[] x : windows) {
      float[] f = new float[bundle.input().channels() * bundle.input().featureLength()];
      preprocessor.apply(x, f);
      out.add(f);
    }
    return out;
  }

  static int argmax(float[] p) {
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      if (p[k] > p[best]) {
        best = k;
      }
    }
    return best;
  }
}
