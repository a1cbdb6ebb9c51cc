package net.membersdns.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agent's test network (client-agent/testbed/netns.sh) from JUnit: builds it, runs commands and
 * daemons inside its namespaces, moves hosts, reboots NATs, and always tears it down. Several test
 * classes may run side by side with different prefixes.
 *
 * <p>Needs root and the Debian packages {@code netns.sh deps} installs. Without root the tests are
 * skipped, unless {@code CI=true} ({@code .ci/run} sets it), which makes that a failure.
 */
public final class Netns implements AutoCloseable {
  /** The script, relative to the module directory (Maven's working directory for tests). */
  public static final Path SCRIPT = Path.of("testbed", "netns.sh").toAbsolutePath();

  private final String prefix;
  private final Path state;
  private final List<Process> daemons = new ArrayList<>();

  private Netns(String prefix, Path state) {
    this.prefix = prefix;
    this.state = state;
  }

  /**
   * Builds the whole network under namespace prefix {@code prefix} (at most 8 characters, ending in
   * a hyphen by convention); state and logs go to {@code target/netns-<prefix>}.
   */
  public static Netns setUp(String prefix) throws Exception {
    requireRootOrSkip();
    Path state = Path.of("target", "netns-" + prefix.replaceAll("-$", "")).toAbsolutePath();
    deleteTree(state); // logs and agent state of an earlier run would mislead this one
    Files.createDirectories(state);
    Netns n = new Netns(prefix, state);
    n.script(Duration.ofSeconds(60), "setup");
    return n;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Skips the calling test without root, or fails it when CI demands the namespace tests. */
  public static void requireRootOrSkip() {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root && "true".equals(System.getenv("CI"))) {
      fail("CI=true but not running as root: the namespace tests cannot run");
    }
    assumeTrue(root, "network namespace tests need root (ip netns, nft, /dev/net/tun)");
  }

  /** The full namespace name of node {@code node} ({@code host-a} → {@code mdt-host-a}). */
  public String ns(String node) {
    return prefix + node;
  }

  public String prefix() {
    return prefix;
  }

  /** Directory for configs and logs of this network. */
  public Path state() {
    return state;
  }

  /** Runs {@code command} in {@code node} to completion; fails the test on a non-zero exit. */
  public String exec(String node, String... command) throws Exception {
    Result r = run(node, Duration.ofSeconds(30), command);
    if (r.exit() != 0) {
      fail(
          "in "
              + node
              + ": "
              + String.join(" ", command)
              + " exited "
              + r.exit()
              + ":\n"
              + r.out());
    }
    return r.out();
  }

  /** Runs {@code command} in {@code node}; returns exit code and combined output. */
  public Result run(String node, Duration timeout, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(node)));
    cmd.addAll(List.of(command));
    return Result.of(new ProcessBuilder(cmd).redirectErrorStream(true).start(), timeout, cmd);
  }

  /**
   * Starts a long-running {@code command} in {@code node}, output appended to {@code
   * <state>/<name>.log} (a restart under the same name adds to the same log). It is killed at
   * {@link #close()} at the latest.
   */
  public Process start(String node, String name, List<String> env, String... command)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(node)));
    if (!env.isEmpty()) {
      cmd.add("env");
      cmd.addAll(env);
    }
    cmd.addAll(List.of(command));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve(name + ".log").toFile()))
            .start();
    synchronized (daemons) {
      daemons.add(p);
    }
    return p;
  }

  /** The log of a process started with {@link #start}. */
  public String log(String name) throws IOException {
    Path p = state.resolve(name + ".log");
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
  }

  /** Re-plugs {@code host}'s LAN link into {@code nat}'s LAN (the host changes networks). */
  public void move(String host, String nat) throws Exception {
    script(Duration.ofSeconds(20), "move", host, nat);
  }

  /** Restarts {@code nat}'s miniupnpd with no mappings and flushes its conntrack table. */
  public void natReboot(String nat) throws Exception {
    script(Duration.ofSeconds(30), "nat-reboot", nat);
  }

  /** Makes the PostgreSQL of {@code jdbcUrl} reachable at the same port on inet's loopback. */
  public void dbRelay(String jdbcUrl) throws Exception {
    script(Duration.ofSeconds(20), "db-relay", jdbcUrl);
  }

  /** {@code netns.sh status}, for failure messages. */
  public String status() {
    try {
      return script(Duration.ofSeconds(20), "status").out();
    } catch (Exception e) {
      return "status failed: " + e;
    }
  }

  private Result script(Duration timeout, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("NETNS_PREFIX", prefix);
    pb.environment().put("NETNS_STATE", state.toString());
    Result r = Result.of(pb.start(), timeout, cmd);
    if (r.exit() != 0) {
      fail("netns.sh " + String.join(" ", args) + " exited " + r.exit() + ":\n" + r.out());
    }
    return r;
  }

  /** Stops every daemon this class started (SIGTERM, then SIGKILL), then tears the network down. */
  @Override
  public void close() throws Exception {
    List<Process> all;
    synchronized (daemons) {
      all = new ArrayList<>(daemons);
    }
    for (Process p : all) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : all) {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
    script(Duration.ofSeconds(60), "teardown");
  }

  /**
   * Closes {@code parts} in order (agents, then the server), skipping nulls, and then {@code net}
   * whatever happened: an end-to-end class's {@code @AfterAll}. The first failure is rethrown with
   * the later ones suppressed.
   */
  public static void closeAll(Netns net, AutoCloseable... parts) throws Exception {
    Exception first = null;
    for (AutoCloseable p : parts) {
      try {
        if (p != null) {
          p.close();
        }
      } catch (Exception e) {
        first = addTo(first, e);
      }
    }
    try {
      if (net != null) {
        net.close();
      }
    } catch (Exception e) {
      first = addTo(first, e);
    }
    if (first != null) {
      throw first;
    }
  }

  private static Exception addTo(Exception first, Exception e) {
    if (first == null) {
      return e;
    }
    first.addSuppressed(e);
    return first;
  }

  /** Exit code and combined output of a finished command. */
  public record Result(int exit, String out) {
    static Result of(Process p, Duration timeout, List<String> cmd) throws Exception {
      p.getOutputStream().close();
      byte[][] out = new byte[1][];
      Thread reader =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                  out[0] = new byte[0];
                }
              });
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", cmd) + " did not finish within " + timeout);
      }
      reader.join();
      return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
    }
  }
}
