package io.github.drsn.model;

/**
 * Process-wide choices about ND4J's native CPU backend that must be made before ND4J is first used.
 *
 * <p>Measured on a 2-core machine (see the benchmark): the oneDNN build of nd4j-native (Maven
 * classifier {@code linux-x86_64-onednn}, on this module's class path by default) trains these
 * networks 2-3x faster than the default build. JavaCPP picks it only when the system property
 * {@code org.bytedeco.javacpp.platform.extension=-onednn} is set before the native library loads.
 * With more OpenMP threads than idle cores, libgomp's default spin-waiting made training many times
 * slower; {@code OMP_WAIT_POLICY=PASSIVE} (environment) avoids that, and one thread is best on a
 * busy machine.
 */
public final class NativeBackend {

  /** JavaCPP's platform-extension property. */
  public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

  private static final String ONEDNN_RESOURCE = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/";

  private NativeBackend() {
  }

  /**
   * Selects the oneDNN build when it is on the class path and no extension was chosen explicitly.
   * Effective only if called before the first use of ND4J in this JVM (e.g. first thing in main).
   *
   * @return true if the oneDNN build is (now) selected
   */
  public static boolean selectOnednnBuild() {
    String current = System.getProperty(EXTENSION_PROPERTY);
    if (current == null && NativeBackend.class.getClassLoader().getResource(ONEDNN_RESOURCE) != null) {
      System.setProperty(EXTENSION_PROPERTY, "-onednn");
      return true;
    }
    return "-onednn".equals(current);
  }
}
