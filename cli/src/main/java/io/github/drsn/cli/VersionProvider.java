package io.github.drsn.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest (Implementation-Version), so it cannot drift from the POM. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "drsn " + (version == null ? "(development build)" : version),
      "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
          + " " + System.getProperty("os.arch")
    };
  }
}
