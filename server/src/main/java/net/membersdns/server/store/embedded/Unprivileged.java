package net.membersdns.server.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs PostgreSQL's programs, as uid/gid 65534 (nobody) when this process is root: initdb and the
 * postmaster refuse to run as root ("initdb: cannot be run as root"), and containers and CI usually
 * are root. Also owns the file-system chores that go with it (ownership, traversable parents).
 */
final class Unprivileged {
  static final int NOBODY = 65534;
  private static final Logger log = LoggerFactory.getLogger(Unprivileged.class);

  private Unprivileged() {}

  /** Whether the effective uid is 0 (the owner of {@code /proc/self} is the effective uid). */
  static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** {@code command}, prefixed with {@code setpriv} to drop to nobody when we are root. */
  static List<String> command(List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> out = new ArrayList<>();
    out.add(Files.isExecutable(Path.of("/usr/bin/setpriv")) ? "/usr/bin/setpriv" : "setpriv");
    out.add("--reuid=" + NOBODY);
    out.add("--regid=" + NOBODY);
    out.add("--clear-groups");
    out.addAll(command);
    return out;
  }

  /** The result of one program run: exit status and its combined output. */
  record Result(int exit, String output) {}

  /** Runs {@code command} (already prefixed), waiting up to {@code timeoutSeconds}. */
  static Result run(List<String> command, long timeoutSeconds) {
    Path out = null;
    try {
      // Output goes to a file, not a pipe: pg_ctl's postmaster must not inherit our pipe.
      out = Files.createTempFile("membersdns-pg", ".out");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      }
    }
  }

  /** Gives {@code dir} and everything under it to nobody, when we are root. */
  static void chownTree(Path dir) throws IOException {
    if (!isRoot()) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Files.setAttribute(p, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  /**
   * Adds search (x) permission for others on every ancestor of {@code dir} that lacks it, so nobody
   * can reach the data directory; only when we are root. Logged, because it changes directories
   * outside our own.
   */
  static void makeParentsTraversable(Path dir) throws IOException {
    if (!isRoot()) {
      return;
    }
    for (Path p = dir.toAbsolutePath().normalize().getParent(); p != null; p = p.getParent()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        perms.add(PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(p, perms);
        log.warn("embedded-postgres: added o+x to {} so PostgreSQL (uid {}) can reach", p, NOBODY);
      }
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("embedded-postgres: cannot delete {}: {}", dir, e.toString());
    }
  }
}
