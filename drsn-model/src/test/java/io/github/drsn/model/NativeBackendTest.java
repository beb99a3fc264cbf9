package io.github.drsn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeBackendTest {

  @Test
  void theTestSetupAppliedTheSettingsAsAnEntryPointWould() {
    // NativeBackendSession ran NativeBackend.configure() before the first test: without it this property is unset.
    assertEquals("0", System.getProperty(NativeBackend.MAX_PHYSICAL_BYTES_PROPERTY));
    assertTrue(NativeBackend.skipPhysicalMemoryChecks());
    NativeBackend.configure(); // a second call changes nothing and does not fail
    assertEquals("0", System.getProperty(NativeBackend.MAX_PHYSICAL_BYTES_PROPERTY));
  }

  @Test
  void computeThreadsCanBeSetAndRestored() {
    int defaultThreads = NativeBackend.computeThreads();
    try {
      NativeBackend.setComputeThreads(3);
      assertEquals(3, NativeBackend.computeThreads());
    } finally {
      NativeBackend.setComputeThreads(0);
    }
    assertEquals(defaultThreads, NativeBackend.computeThreads());
    assertThrows(IllegalArgumentException.class, () -> NativeBackend.setComputeThreads(-1));
  }
}
