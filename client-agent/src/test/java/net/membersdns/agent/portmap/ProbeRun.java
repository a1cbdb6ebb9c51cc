package net.membersdns.agent.portmap;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.agent.testing.Netns;

/**
 * A {@link PortMapperProbe} running in a namespace of the test network: start it, wait for its
 * lines, send it commands, kill it. Lines are read from its log file, each at most once, in order.
 */
final class ProbeRun {
  private final Netns net;
  private final String name;
  private final Process process;
  private final Path stateDir;
  private int consumed;

  private ProbeRun(Netns net, String name, Process process, Path stateDir) {
    this.net = net;
    this.name = name;
    this.process = process;
    this.stateDir = stateDir;
  }

  /**
   * Starts the probe in {@code node}; its state dir is {@code <net state>/agent-<node>}, kept
   * across runs so a second run finds the first one's ledger.
   */
  static ProbeRun start(
      Netns net, String node, String name, long checkSeconds, String probeTarget, boolean listen)
      throws IOException {
    Path stateDir = net.state().resolve("agent-" + node);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                PortMapperProbe.class.getName(),
                stateDir.toString(),
                "51820",
                Long.toString(checkSeconds),
                probeTarget));
    if (listen) {
      cmd.add("listen");
    }
    Process p = net.start(node, name, List.of(), cmd.toArray(String[]::new));
    return new ProbeRun(net, name, p, stateDir);
  }

  Path ledger() {
    return stateDir.resolve(MappingLedger.FILE_NAME);
  }

  /** The next line matching {@code regex} (searched in full lines), within {@code timeout}. */
  Matcher await(String regex, Duration timeout) throws Exception {
    Pattern p = Pattern.compile("(?m)^" + regex + "$");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String log = net.log(name);
      Matcher m = p.matcher(log);
      if (m.find(consumed)) {
        consumed = m.end();
        return m;
      }
      if (System.nanoTime() > deadline) {
        fail("no line /" + regex + "/ from " + name + " within " + timeout + "; its log:\n" + log);
      }
      if (!process.isAlive() && !p.matcher(net.log(name)).find(consumed)) {
        fail(name + " exited " + process.exitValue() + " before /" + regex + "/; its log:\n" + log);
      }
      Thread.sleep(50);
    }
  }

  /** Whether a line matching {@code regex} has appeared anywhere in the log so far. */
  boolean said(String regex) throws IOException {
    return Pattern.compile("(?m)^" + regex + "$").matcher(net.log(name)).find();
  }

  /** How many lines matching {@code regex} the log has so far. */
  long count(String regex) throws IOException {
    return Pattern.compile("(?m)^" + regex + "$").matcher(net.log(name)).results().count();
  }

  void send(String command) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** The current state line's fields ({@code protocol}, {@code external}, {@code kind}, ...). */
  Map<String, String> status() throws Exception {
    send("status");
    return fields(await("STATUS (.*)", Duration.ofSeconds(10)).group(1));
  }

  /** Counter sums by {@code requests.<op>} and {@code ignored.<reason>}. */
  Map<String, Long> metrics() throws Exception {
    send("metrics");
    Map<String, Long> out = new HashMap<>();
    String line = await("METRICS ?(.*)", Duration.ofSeconds(10)).group(1);
    for (String kv : line.isBlank() ? new String[0] : line.split(" ")) {
      String[] p = kv.split("=", 2);
      out.put(p[0], Long.parseLong(p[1]));
    }
    return out;
  }

  /** Clean shutdown through the probe's {@code close} command. */
  Map<String, String> close() throws Exception {
    send("close");
    Map<String, String> last = fields(await("CLOSED (.*)", Duration.ofSeconds(20)).group(1));
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      fail(name + " did not exit after close");
    }
    return last;
  }

  /** SIGKILL: nothing runs any more, as after a crash. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Fields of a STATE/STATUS line: key=value pairs, {@code words} taking the rest of the line. */
  static Map<String, String> fields(String line) {
    Map<String, String> out = new HashMap<>();
    int words = line.indexOf(" words=");
    if (words >= 0) {
      out.put("words", line.substring(words + 7));
      line = line.substring(0, words);
    }
    for (String kv : line.trim().split(" ")) {
      String[] p = kv.split("=", 2);
      out.put(p[0], p.length > 1 ? p[1] : "");
    }
    return out;
  }
}
