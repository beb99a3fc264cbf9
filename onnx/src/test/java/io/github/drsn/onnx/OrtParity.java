package io.github.drsn.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.drsn.contract.Bundle;
import io.github.drsn.runtime.impl.LeanNetwork;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * Runs an exported model in ONNX Runtime and the same bundle in the lean runtime on the same preprocessed
 * inputs, and measures how far their probabilities are apart.
 */
final class OrtParity {

  /** The largest |p_ort − p_lean| over all windows and classes, and the windows whose top class differs. */
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
        float[][] p = (float[][]) result.get(0).getValue();
        System.arraycopy(p, 0, out, from, n);
      }
    }
    return out;
  }

  /** Compares ONNX Runtime (in batches of {@code batch}) with the lean network on {@code inputs}. */
  static Result compare(Bundle bundle, byte[] model, List<float[]> inputs, int batch) throws OrtException {
    return compare(bundle, model, inputs, inputs, batch);
  }

  /**
   * Compares ONNX Runtime on {@code ortInputs} (in batches of {@code batch}) with the lean network on
   * {@code leanInputs}: raw windows and their {@code Preprocessor} features for a graph that normalises.
   */
  static Result compare(Bundle bundle, byte[] model, List<float[]> ortInputs, List<float[]> leanInputs, int batch)
      throws OrtException {
    List<float[]> inputs = leanInputs;
    LeanNetwork lean = new LeanNetwork(bundle.layout(), bundle.floatParameters());
    LeanNetwork.Scratch scratch = lean.newScratch();
    int channels = bundle.layout().inputChannels();
    int length = bundle.layout().inputLength();
    float[][] ort;
    try (OrtSession session = session(model)) {
      ort = run(session, ortInputs, channels, length, batch);
    }
    double max = 0;
    int mismatches = 0;
    float[] p = new float[bundle.layout().classes()];
    for (int w = 0; w < inputs.size(); w++) {
      lean.forward(inputs.get(w), scratch, p);
      for (int k = 0; k < p.length; k++) {
        max = Math.max(max, Math.abs(p[k] - ort[w][k]));
      }
      if (argmax(p) != argmax(ort[w])) {
        mismatches++;
      }
    }
    return new Result(max, mismatches, inputs.size());
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
