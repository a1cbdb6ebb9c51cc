package net.membersdns.agent.tunnel;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import net.membersdns.agent.testing.Netns;

/**
 * The test side of a {@link TunnelProbe}: a child JVM in one namespace, started through {@link
 * Netns#start} (so it dies with the network at the latest), commands on its stdin, answers read
 * back from its log. Waits are bounded by generous deadlines, never asserted on.
 */
final class Probe implements AutoCloseable {
  private static final Duration ANSWER = Duration.ofSeconds(90);

  private final Netns net;
  private final String name;
  private final Process process;
  private int answered;
  private boolean closeSent;

  Probe(Netns net, String node, String name) throws IOException {
    this.net = net;
    this.name = name;
    String java = ProcessHandle.current().info().command().orElse("java");
    this.process =
        net.start(
            node,
            name,
            List.of(),
            java,
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Dstdout.encoding=UTF-8", // the answers carry → and — whatever the namespace's locale
            "-Dstderr.encoding=UTF-8",
            "-cp",
            System.getProperty("java.class.path"),
            TunnelProbe.class.getName());
  }

  /** Sends one command; returns the lines of its answer, the last being {@code ok ...}. */
  List<String> call(String command) throws IOException, InterruptedException {
    closeSent |= command.equals("close");
    OutputStream in = process.getOutputStream();
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    long deadline = System.nanoTime() + ANSWER.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> lines = marked();
      for (int i = answered; i < lines.size(); i++) {
        String l = lines.get(i);
        if (l.startsWith("ok") || l.startsWith("err")) {
          List<String> answer = new ArrayList<>(lines.subList(answered, i + 1));
          answered = i + 1;
          if (l.startsWith("err")) {
            throw new ProbeError(name + ": " + command + " → " + l + "\n" + net.log(name));
          }
          return answer;
        }
      }
      if (!process.isAlive()) {
        fail(name + " exited " + process.exitValue() + " on " + command + ":\n" + net.log(name));
      }
      Thread.sleep(20);
    }
    fail(name + " did not answer " + command + " within " + ANSWER + ":\n" + net.log(name));
    return List.of();
  }

  /** The {@code ok} line's {@code key=value} words. */
  Map<String, String> ok(String command) throws IOException, InterruptedException {
    List<String> a = call(command);
    Map<String, String> m = new TreeMap<>();
    for (String word : a.get(a.size() - 1).split(" ")) {
      int eq = word.indexOf('=');
      if (eq > 0) {
        m.put(word.substring(0, eq), word.substring(eq + 1));
      }
    }
    m.put("line", a.get(a.size() - 1));
    return m;
  }

  String log() throws IOException {
    return net.log(name);
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: the agent "crashes" and leaves its interface and wireguard-go behind. */
  void crash() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  private List<String> marked() throws IOException {
    List<String> out = new ArrayList<>();
    for (String l : net.log(name).split("\n")) {
      if (l.startsWith(TunnelProbe.MARK)) {
        out.add(l.substring(TunnelProbe.MARK.length()));
      }
    }
    return out;
  }

  /** Closes the tunnel if the probe still runs, then waits for it to exit. */
  @Override
  public void close() throws IOException {
    try {
      if (!closeSent && process.isAlive()) {
        call("close");
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while closing " + name, e);
    }
  }

  /** An {@code err} answer. */
  static final class ProbeError extends AssertionError {
    private static final long serialVersionUID = 1L;

    ProbeError(String message) {
      super(message);
    }
  }
}
