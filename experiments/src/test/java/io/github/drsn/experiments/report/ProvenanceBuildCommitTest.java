package io.github.drsn.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.drsn.experiments.RunArtifacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * README ("Building"): "{@code drsn --version} names the git commit the build was made from", and every report and
 * bundle records the same ({@link Provenance#projectVersionOf}). The commit comes from the {@code git.properties} the
 * build writes; it must be the HEAD of the checkout that was built, also when that checkout is a linked git worktree
 * ({@code git worktree add}), where {@code .git} is a file pointing into another repository's {@code .git} folder.
 */
class ProvenanceBuildCommitTest {

  @Disabled("defect: in a linked git worktree, git.properties (drsn --version, provenance) names"
      + " the main worktree's HEAD, not the built checkout's")
  @Test
  void theRecordedCommitIsTheHeadOfTheCheckoutThatWasBuilt() throws Exception {
    String recorded = Provenance.buildCommit(RunArtifacts.class);
    assumeTrue(recorded != null, "no git.properties beside RunArtifacts (not built from a git checkout)");
    String head = gitHead();
    assumeTrue(head != null, "git is not available here");
    assertEquals(head.substring(0, 12), recorded.substring(0, 12),
        "git.properties names another commit than the HEAD of the checkout the tests run in ("
            + System.getProperty("user.dir") + ")");
  }

  /** {@code git rev-parse HEAD} in the module's folder (the build's working directory), or null without git. */
  private static String gitHead() throws InterruptedException {
    try {
      Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0 || !out.matches("[0-9a-f]{40}")) {
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    }
  }
}
