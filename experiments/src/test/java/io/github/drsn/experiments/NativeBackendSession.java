package io.github.drsn.experiments;

import io.github.drsn.model.NativeBackend;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The tests' entry point for ND4J's process-wide settings: applies {@link NativeBackend#configure()} once, before the
 * first test, as the command line's {@code Main} does (no layer applies them on its own). Registered through
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public final class NativeBackendSession implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    NativeBackend.configure();
  }
}
