package net.membersdns.agent.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.agent.testing.AgentNode;
import net.membersdns.agent.testing.Await;
import net.membersdns.agent.testing.Netns;
import net.membersdns.agent.testing.ServerNode;
import org.junit.jupiter.api.Test;

/**
 * The agent's benchmark (docs/benchmarks.md), not a test: it asserts nothing about speed and runs
 * only with {@code -Dmembersdns.measure=true}. In the namespace network, against the real server:
 * up → records visible; ten moves of host-a between nat-a and nat-b (new address up → records carry
 * it; → first ping through the tunnel; the mover's registration → the peer's agent has re-read it);
 * NAT reboot → mapped again; the agent's RSS and CPU when idle, with 1 and with 10 peers. Results
 * go to standard output and {@code target/agent-benchmark.txt}.
 */
class AgentBenchmarkIT {
  static final Pattern STAMP = Pattern.compile("^(\\S+Z) (.*)$");

  final List<String> report = new ArrayList<>();

  void say(String line) {
    System.out.println("BENCH " + line);
    report.add(line);
  }

  @Test
  void measure() throws Exception {
    assumeTrue(Boolean.getBoolean("membersdns.measure"), "a benchmark: -Dmembersdns.measure=true");
    try (Netns net = Netns.setUp("mdb-");
        ServerNode server = ServerNode.start(net)) {
      server.ok("member", "add", "alice");
      long t0 = System.nanoTime();
      AgentNode a =
          AgentNode.start(
              net, "host-a", server, "alice", "mbp-a", server.hostKey("alice", "mbp-a"));
      Await.until(
          Duration.ofSeconds(60),
          "mbp-a's records",
          a::log,
          () -> !server.dig("_autotunnel._udp.mbp-a.alice.members.example.", "SRV").isEmpty());
      say(
          String.format(
              Locale.ROOT,
              "up → records visible (dig from inet): %d ms (JVM start included)",
              ms(t0)));
      AgentNode b =
          AgentNode.start(
              net, "host-b", server, "alice", "mbp-b", server.hostKey("alice", "mbp-b"));
      String ulaB = b.awaitStatus(Duration.ofSeconds(60), "ULA", s -> s.ula() != null).ula();
      Await.until(Duration.ofSeconds(60), "the tunnel", a::log, () -> ping(net, "host-a", ulaB));

      moves(net, server, a, b, ulaB, 10);
      reboots(net, a, 3);
      idle(net, a, "1 peer");
      List<AgentNode> more = new ArrayList<>();
      for (int i = 1; i <= 9; i++) {
        more.add(
            AgentNode.start(
                net,
                "host-c",
                String.valueOf(i),
                server,
                "alice",
                "mbp-c" + i,
                server.hostKey("alice", "mbp-c" + i),
                "--port",
                String.valueOf(51820 + i)));
      }
      a.awaitStatus(Duration.ofSeconds(120), "10 peers", s -> s.peers().list().size() == 10);
      idle(net, a, "10 peers");
      for (AgentNode n : more) {
        n.close();
      }
      b.close();
      a.close();
    } finally {
      Files.write(Path.of("target", "agent-benchmark.txt"), report);
    }
  }

  void moves(Netns net, ServerNode server, AgentNode a, AgentNode b, String ulaB, int n)
      throws Exception {
    List<Long> records = new ArrayList<>();
    List<Long> tunnel = new ArrayList<>();
    List<Long> peer = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String to = i % 2 == 0 ? "nat-b" : "nat-a";
      String pub = to.equals("nat-b") ? "198.18.2.2" : "198.18.1.2";
      int markA = a.logMark();
      int markB = b.logMark();
      net.move("host-a", to);
      long t0 = System.nanoTime(); // the new address is up
      var rec =
          CompletableFuture.supplyAsync(() -> {
            Await.until(
                Duration.ofSeconds(30),
                "records with " + pub,
                a::log,
                () -> server.dig("_autotunnel.mbp-a.alice.members.example.", "A").equals(pub));
            return ms(t0);
          });
      var png =
          CompletableFuture.supplyAsync(() -> {
            Await.until(
                Duration.ofSeconds(30),
                "a ping through the tunnel",
                a::log,
                () -> ping(net, "host-a", ulaB));
            return ms(t0);
          });
      records.add(rec.join());
      tunnel.add(png.join());
      a.awaitLog(Duration.ofSeconds(30), "registered mbp-a", markA);
      b.awaitLog(Duration.ofSeconds(30), "peer mbp-a changed: ULA", markB);
      Instant registered = stamp(a.log().substring(markA), "registered mbp-a");
      Instant seen = stamp(b.log().substring(markB), "peer mbp-a changed");
      peer.add(Duration.between(registered, seen).toMillis());
      Thread.sleep(1500); // let the network settle before the next move
    }
    say("moves of host-a between nat-a and nat-b: " + n);
    say("  new address up → records carry it (ms): " + stats(records));
    say("  new address up → first ping6 through the tunnel (ms): " + stats(tunnel));
    say("  mover's registration answered → peer's agent re-read it via LLQ (ms): " + stats(peer));
  }

  void reboots(Netns net, AgentNode a, int n) throws Exception {
    net.move("host-a", "nat-a");
    Await.until(
        Duration.ofSeconds(30),
        "mapped on nat-a",
        a::log,
        () -> rules(net).contains("192.168.1.2:51820"));
    List<Long> remap = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      net.natReboot("nat-a");
      long t0 = System.nanoTime();
      Await.until(
          Duration.ofSeconds(90),
          "re-mapped",
          a::log,
          () -> rules(net).contains("192.168.1.2:51820"));
      remap.add(ms(t0));
    }
    say("nat-a reboots (miniupnpd restarted empty, epoch 0) → mapping back (ms): " + stats(remap));
  }

  void idle(Netns net, AgentNode a, String what) throws Exception {
    Thread.sleep(5000);
    long cpu0 = cpuTicks(a.pid());
    long t0 = System.nanoTime();
    Thread.sleep(60_000);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (cpuTicks(a.pid()) - cpu0) / 100.0 / seconds;
    say(
        String.format(
            Locale.ROOT,
            "idle with %s: agent RSS %d MiB, CPU %.2f %% of one core over %.0f s",
            what,
            rssKib(a.pid()) / 1024,
            cpu * 100,
            seconds));
  }

  static String rules(Netns net) throws Exception {
    return net.exec("nat-a", "nft", "list", "chain", "inet", "filter", "prerouting_miniupnpd");
  }

  static boolean ping(Netns net, String from, String ula) throws Exception {
    return net.run(from, Duration.ofSeconds(5), "ping", "-6", "-c", "1", "-W", "1", ula).exit()
        == 0;
  }

  static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  static Instant stamp(String log, String text) {
    for (String line : log.lines().toList()) {
      Matcher m = STAMP.matcher(line);
      if (m.matches() && m.group(2).contains(text)) {
        return Instant.parse(m.group(1));
      }
    }
    throw new AssertionError("no '" + text + "' in\n" + log);
  }

  static long cpuTicks(long pid) throws Exception {
    String[] f =
        Files.readString(Path.of("/proc", String.valueOf(pid), "stat")).split("\\) ")[1].split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
  }

  static long rssKib(long pid) throws Exception {
    return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
        .filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
        .findFirst()
        .orElse(-1L);
  }

  static String stats(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return String.format(
        Locale.ROOT,
        "p50 %d, p99 %d, min %d, max %d (n=%d)",
        s.get(s.size() / 2),
        s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1)),
        s.get(0),
        s.get(s.size() - 1),
        s.size());
  }
}
