package io.github.drsn.runtime;

/**
 * The one switch for the Vector API kernels, read by the lean runtime's forward pass ({@code impl.LeanNetwork}) and
 * by drsn-model's training kernels (which depend on this module; hence this package, not {@code impl}): on when the
 * module {@code jdk.incubator.vector} is in the boot layer (the {@code drsn} launcher adds it with
 * {@code --add-modules jdk.incubator.vector}) and the system property {@code drsn.vector} is not {@code false} (set
 * {@code -Ddrsn.vector=false} to measure the scalar loops).
 * Without the module the scalar loops run and nothing beyond java.base is needed.
 */
public final class VectorApi {

  /** The system property that turns the Vector API kernels off when it is {@code false}. */
  public static final String PROPERTY = "drsn.vector";

  /** Whether the Vector API kernels may run in this JVM; fixed when the class loads. */
  public static final boolean ENABLED = enabled(
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), System.getProperty(PROPERTY));

  private VectorApi() {
  }

  /**
   * The rule behind {@link #ENABLED}: the module is present and {@code property} is absent (default on) or parses
   * as true by {@link Boolean#parseBoolean}.
   */
  static boolean enabled(boolean modulePresent, String property) {
    return modulePresent && Boolean.parseBoolean(property == null ? "true" : property);
  }
}
