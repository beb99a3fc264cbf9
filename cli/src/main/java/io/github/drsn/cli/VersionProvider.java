package io.github.drsn.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * The version from the jar manifest (Implementation-Version), so it cannot drift from the POM, and the git commit
 * the build was made from (recorded in the jar by the build, so a packaged copy still names it).
 */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "drsn " + io.github.drsn.experiments.report.Provenance.projectVersionOf(
          io.github.drsn.experiments.RunArtifacts.class),
      "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
          + " " + System.getProperty("os.arch")
    };
  }
}
