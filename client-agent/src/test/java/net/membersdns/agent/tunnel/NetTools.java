package net.membersdns.agent.tunnel;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.agent.testing.Netns;

/** What the tunnel integration tests do in the test network besides running probes. */
final class NetTools {
  private NetTools() {}

  /** {@code natpmpc -a PORT PORT udp 3600} in {@code node}; returns {@code public-ip:port}. */
  static String map(Netns net, String node, int port) throws Exception {
    String out = net.exec(node, "natpmpc", "-a", "" + port, "" + port, "udp", "3600");
    Matcher ip = Pattern.compile("Public IP address : (\\S+)").matcher(out);
    Matcher mapped = Pattern.compile("Mapped public port (\\d+) protocol UDP").matcher(out);
    if (!ip.find() || !mapped.find()) {
      fail("natpmpc in " + node + " mapped nothing:\n" + out);
    }
    return ip.group(1) + ":" + mapped.group(1);
  }

  /** Pings {@code ula} from {@code node} until a reply comes (at most a minute). */
  static void pingUntilAnswered(Netns net, String node, String ula) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (net.run(node, Duration.ofSeconds(10), "ping", "-6", "-c", "1", "-W", "1", ula).exit()
          == 0) {
        return;
      }
    }
    fail(node + " never got a reply from " + ula + "\n" + net.status());
  }

  /** Runs {@code shell} in {@code node} until it succeeds (at most 30 s). */
  static void waitFor(Netns net, String node, String what, String shell) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (net.run(node, Duration.ofSeconds(10), "sh", "-c", shell).exit() == 0) {
        return;
      }
      Thread.sleep(50);
    }
    fail("timed out waiting for " + what);
  }

  /** The pid of the wireguard-go serving {@code ifname} (any namespace). */
  static long wireguardGoPid(String ifname) {
    return ProcessHandle.allProcesses()
        .filter(h ->
            h.info().command().map(c -> c.endsWith("wireguard-go")).orElse(false)
                && h.info().arguments().map(a -> List.of(a).contains(ifname)).orElse(false))
        .mapToLong(ProcessHandle::pid)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no wireguard-go for " + ifname));
  }

  /** Epoch seconds of every reply in {@code ping -D} output. */
  static List<Double> replyTimes(String log) {
    Matcher m =
        Pattern.compile("^\\[(\\d+\\.\\d+)\\] \\d+ bytes from", Pattern.MULTILINE).matcher(log);
    List<Double> t = new ArrayList<>();
    while (m.find()) {
      t.add(Double.parseDouble(m.group(1)));
    }
    return t;
  }

  /** Milliseconds from {@code epochMillis} to the first reply at or after it; -1 if none. */
  static long firstAfter(List<Double> replies, long epochMillis) {
    return replies.stream()
        .mapToLong(t -> Math.round(t * 1000) - epochMillis)
        .filter(d -> d >= 0)
        .min()
        .orElse(-1);
  }

  static long largestGap(List<Double> replies) {
    long gap = 0;
    for (int i = 1; i < replies.size(); i++) {
      gap = Math.max(gap, Math.round((replies.get(i) - replies.get(i - 1)) * 1000));
    }
    return gap;
  }

  static void measured(String what, String value) {
    System.out.println("[measured] " + what + ": " + value);
  }
}
