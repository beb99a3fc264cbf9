package io.github.drsn.model.layers.impl;

/** Test access to the package-private kernel switches, for tests in other packages (KernelParityTest). */
public final class KernelSwitches {

  private KernelSwitches() {
  }

  /** Whether the Vector API is on in this JVM (the module is present and -Ddrsn.vector=false is not set). */
  public static boolean vectorApi() {
    return Kernels.VECTOR;
  }

  /** FLOAT networks convolve in float32 (true, needs the Vector API) or in double (the fallback without it). */
  public static void floatConvolutions(boolean on) {
    Kernels.useVectorFloat(on);
  }
}
