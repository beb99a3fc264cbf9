package io.github.drsn.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C during a long run: the JVM's shutdown hook asks the run to stop after its current minibatch and
 * waits (up to a minute) until it has finished writing, so the last checkpoint and any partial results
 * stay intact. Checkpoints are replaced atomically, so even a hard kill leaves the previous one usable.
 */
public final class Interrupts implements AutoCloseable {

  private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

  private final AtomicBoolean stop = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  /** Installs the hook; close it when the run is over. */
  public Interrupts(Runnable onInterrupt) {
    hook = new Thread(() -> {
      SHUTTING_DOWN.set(true);
      stop.set(true);
      onInterrupt.run();
      try {
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "drsn-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Polled by the run after each minibatch. */
  public boolean stopRequested() {
    return stop.get();
  }

  /** Whether the JVM is shutting down (then {@code System.exit} must not be called: it would block). */
  public static boolean shuttingDown() {
    return SHUTTING_DOWN.get();
  }

  @Override
  public void close() {
    finished.countDown();
    if (!SHUTTING_DOWN.get()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutdown began after the check: the hook runs and returns at once since we are finished.
      }
    }
  }
}
