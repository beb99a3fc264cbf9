package io.github.drsn.model.layers;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which implementation of the custom layers' forward and backward passes a network gets (issue #19):
 * {@link #JAVA}, the plain-Java double kernels on the host ({@code layers.impl.Kernels}); {@link #ND4J},
 * whole-tensor ND4J ops (native conv2d/conv2d_bp, broadcasts, reductions, mmul), which run wherever the
 * ND4J backend runs, on the GPU under {@code nd4j-cuda-11.6-platform}; {@link #AUTO}, JAVA on the CPU
 * backend and ND4J on any other ({@link #resolve()}).
 *
 * <p>A process-wide switch, not part of the layer configuration: a layer reads {@link #selected()} when
 * DL4J instantiates its runtime (network {@code init()}, {@code clone()} or restore), so a saved model,
 * its JSON and its parameter layout are the same whichever implementation trained it, and a model
 * trained with one loads and runs with the other. Both implementations use the same parameters, the
 * same batch-norm running-statistics convention and agree within 1e-9 in double precision
 * ({@code KernelParityTest}). The initial choice is the system property {@code drsn.kernels}
 * (java, nd4j or auto), else AUTO.
 */
public enum KernelChoice {
  /** Plain-Java kernels on the host (fast on a CPU: fused passes, no per-op overhead). */
  JAVA,
  /** ND4J ops over whole tensors: backend-neutral, so they run on the device of a GPU backend. */
  ND4J,
  /** JAVA on the CPU backend (nd4j-native), ND4J on any other. */
  AUTO;

  /** System property that sets the initial choice. */
  public static final String PROPERTY = "drsn.kernels";

  private static volatile KernelChoice selected = parse(System.getProperty(PROPERTY, "auto"));

  /** The choice new layer runtimes read (not resolved: may be AUTO). */
  public static KernelChoice selected() {
    return selected;
  }

  /** Sets the choice for layer runtimes instantiated from now on; returns the previous one. */
  public static KernelChoice select(KernelChoice choice) {
    KernelChoice previous = selected;
    selected = java.util.Objects.requireNonNull(choice, "choice");
    return previous;
  }

  /** JAVA or ND4J: this choice with AUTO decided by the backend ({@link #cpuBackend()}). */
  public KernelChoice resolve() {
    if (this != AUTO) {
      return this;
    }
    return cpuBackend() ? JAVA : ND4J;
  }

  /**
   * Whether ND4J runs on the host CPU: its backend class is nd4j-native's ({@code org.nd4j.linalg.cpu.*},
   * e.g. {@code CpuBackend}); nd4j-cuda's is {@code org.nd4j.linalg.jcublas.JCublasBackend}.
   */
  public static boolean cpuBackend() {
    return Nd4j.getBackend().getClass().getName().startsWith("org.nd4j.linalg.cpu.");
  }

  /** The choice named {@code name} (java, nd4j or auto, any case). */
  public static KernelChoice parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown kernels \"" + name + "\"; use java, nd4j or auto", e);
    }
  }

  /** The lower-case name used on the command line and in JSON (java, nd4j, auto). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
