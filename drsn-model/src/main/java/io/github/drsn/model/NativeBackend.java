package io.github.drsn.model;

/**
 * Process-wide settings of ND4J's native CPU backend. They belong to the application, not to a library: an entry
 * point (the CLI's {@code Main}, a benchmark's {@code main}, a service's start-up, a test's setup) calls
 * {@link #configure()} once, before anything else uses ND4J. Nothing in this module applies them on its own.
 *
 * <p>What they are: JavaCPP's physical-memory check is switched off ({@link #skipPhysicalMemoryChecks()}), the
 * oneDNN build of nd4j-native is picked when the application put it on the class path ({@link #selectOnednnBuild()}),
 * and ND4J's own ops run on one thread ({@link #applyNativeThreadPolicy()}). With more OpenMP threads than idle cores,
 * libgomp's default spin-waiting made training many times slower; {@code OMP_WAIT_POLICY=PASSIVE} (environment)
 * avoids that, and one thread is best on a busy machine. The DRSN layers compute in Java on {@link #computeThreads()}
 * threads.
 */
public final class NativeBackend {

  /** JavaCPP's cap on the process's physical memory, checked on every native allocation. */
  public static final String MAX_PHYSICAL_BYTES_PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";

  /** JavaCPP's platform-extension property. */
  public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

  private static final String ONEDNN_RESOURCE = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/";

  /** Compute threads set by {@link #setComputeThreads}; 0 = the default. */
  private static volatile int computeThreads;

  private static volatile boolean nativeThreadsSet;

  private NativeBackend() {
  }

  /**
   * Threads the DRSN layers' kernels split a batch over: the value of {@link #setComputeThreads} if
   * set, else {@code OMP_NUM_THREADS} if set (so the one knob that pins native work to N cores pins
   * these too), else the available processors.
   */
  public static int computeThreads() {
    int set = computeThreads;
    return set > 0 ? set : DefaultThreads.VALUE;
  }

  /** The default of {@link #computeThreads()}, read once (getenv on every kernel call cost 2 % of a step). */
  private static final class DefaultThreads {
    static final int VALUE = defaultComputeThreads();
  }

  private static int defaultComputeThreads() {
    String omp = System.getenv("OMP_NUM_THREADS");
    if (omp != null) {
      try {
        return Math.max(1, Integer.parseInt(omp.trim()));
      } catch (NumberFormatException ignored) {
        // fall through to the processor count, as OpenMP does for a malformed value
      }
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** Sets {@link #computeThreads()} (0 restores the default). */
  public static void setComputeThreads(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be non-negative, got " + threads);
    }
    computeThreads = threads;
  }

  /**
   * Runs ND4J's own ops on one thread unless {@code OMP_NUM_THREADS} is set: in a DRSN network they are
   * only the head, the loss and the updater, too small to repay OpenMP's fork and wake-ups, and their
   * spinning threads competed with the kernels' (training measured 8 % faster). Part of {@link #configure()};
   * this initialises ND4J, so call it after any choice that must precede that (the build, the memory check).
   * Cheap after the first call.
   */
  public static void applyNativeThreadPolicy() {
    if (nativeThreadsSet) {
      return;
    }
    nativeThreadsSet = true;
    if (System.getenv("OMP_NUM_THREADS") == null) {
      org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(1);
      org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(1);
    }
  }

  /**
   * Applies every setting of this class, in the order they must be made: {@link #selectOnednnBuild()} and
   * {@link #skipPhysicalMemoryChecks()} (effective only before ND4J loads), then {@link #applyNativeThreadPolicy()}
   * (which loads it). Call it once, first thing in the application's entry point; later calls are cheap no-ops.
   */
  public static void configure() {
    selectOnednnBuild();
    skipPhysicalMemoryChecks();
    applyNativeThreadPolicy();
  }

  /**
   * Turns off JavaCPP's physical-memory cap unless one was set explicitly. JavaCPP reads the process's
   * resident size from /proc on each native allocation when the cap is on; DL4J's updater allocates
   * shape buffers for every parameter each step, and those reads were 4 % of a training step
   * (profiled). The cap on JavaCPP-tracked bytes ({@code org.bytedeco.javacpp.maxBytes}) stays.
   *
   * @return true if the check is (now) off
   */
  public static boolean skipPhysicalMemoryChecks() {
    String current = System.getProperty(MAX_PHYSICAL_BYTES_PROPERTY);
    if (current == null && System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null) {
      System.setProperty(MAX_PHYSICAL_BYTES_PROPERTY, "0");
      return true;
    }
    return "0".equals(current);
  }

  /**
   * Selects the oneDNN build of nd4j-native when the application put it on the class path (drsn-cli does, by its
   * default {@code onednn} profile) and no extension was chosen explicitly. Effective only if called before the
   * first use of ND4J in this JVM (e.g. first thing in main).
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
