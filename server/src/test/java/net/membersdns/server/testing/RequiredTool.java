package net.membersdns.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A tool a check needs that is not a Java library (systemd-analyze, docker-compose, prometheus,
 * node). In CI ({@code CI=true}, as .ci/run runs) a missing tool fails the test, because .ci/run
 * installs them all; on a developer's machine the test is skipped, saying what to install.
 */
public final class RequiredTool {
  private RequiredTool() {}

  /** The tool's path on {@code PATH}. */
  public static Path require(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    missing(name + " is not installed (Debian: apt-get install " + debianPackage + ")");
    return null; // not reached
  }

  /** A directory the check needs (e.g. npm modules .ci/run installs); see {@link #require}. */
  public static Path requireDirectory(Path dir, String how) {
    if (!Files.isDirectory(dir)) {
      missing(dir + " is missing (" + how + ")");
    }
    return dir;
  }

  private static void missing(String why) {
    if ("true".equals(System.getenv("CI"))) {
      fail(why + "; .ci/run installs it, so in CI this is a failure");
    }
    Assumptions.abort(why + "; CI runs this check");
  }
}
