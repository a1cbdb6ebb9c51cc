package net.membersdns.agent.tunnel;

import static net.membersdns.agent.tunnel.NetTools.firstAfter;
import static net.membersdns.agent.tunnel.NetTools.largestGap;
import static net.membersdns.agent.tunnel.NetTools.map;
import static net.membersdns.agent.tunnel.NetTools.measured;
import static net.membersdns.agent.tunnel.NetTools.pingUntilAnswered;
import static net.membersdns.agent.tunnel.NetTools.replyTimes;
import static net.membersdns.agent.tunnel.NetTools.waitFor;
import static net.membersdns.agent.tunnel.NetTools.wireguardGoPid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.agent.testing.Netns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two hosts behind two home NATs (client-agent/testbed/netns.sh, prefix {@code wgt-}), each with a
 * {@link Tunnel} on real wireguard-go in a child JVM ({@link TunnelProbe}); ports mapped with
 * {@code natpmpc} before the peers are configured (testbed pitfall 13). Steps run in order on one
 * network: up, idempotence, a TCP stream across moves, status, the {@code wg} backend, close, and
 * leftovers of crashed runs. Timings are printed (measured, not asserted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TunnelIT {
  static final String ULA_A = "fd6d:6474:6200::a";
  static final String ULA_B = "fd6d:6474:6200::b";
  static final String ULA_C = "fd6d:6474:6200::c";
  static final String A_PUBLIC = "198.18.1.2:51820";
  static final String B_PUBLIC = "198.18.2.2:51820";
  static final String B_LAN = "192.168.2.2:51820";

  private Netns net;
  private Probe a;
  private Probe b;
  private String keyA;
  private String keyB;

  @BeforeAll
  void setUp() throws Exception {
    net = Netns.setUp("wgt-");
    try {
      assertThat(map(net, "host-a", 51820)).isEqualTo(A_PUBLIC);
      assertThat(map(net, "host-b", 51820)).isEqualTo(B_PUBLIC);
      a = new Probe(net, "host-a", "probe-a");
      b = new Probe(net, "host-b", "probe-b");
      keyA = openKey(a, "wgta", 51820, ULA_A, "state-a", "uapi");
      keyB = openKey(b, "wgtb", 51820, ULA_B, "state-b", "uapi");
    } catch (Exception | AssertionError e) {
      tearDown();
      throw e;
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    try {
      for (Probe p : new Probe[] {a, b}) {
        if (p != null) {
          try {
            p.close();
          } catch (Exception | AssertionError e) {
            System.err.println("closing a probe: " + e);
          }
        }
      }
    } finally {
      net.close();
    }
  }

  @Test
  @Order(1)
  void oneReconcileEachBringsUpPingBetweenTheUlas() throws Exception {
    Map<String, String> ra = a.ok("reconcile " + peer("mbp-b", keyB, ULA_B, B_PUBLIC));
    assertThat(ra).containsEntry("writes", "1").containsEntry("routes", "+1/-0");
    Map<String, String> rb = b.ok("reconcile " + peer("mbp-a", keyA, ULA_A, A_PUBLIC));
    assertThat(rb).containsEntry("writes", "1");
    long done = Long.parseLong(rb.get("t1"));
    pingUntilAnswered(net, "host-a", ULA_B);
    measured(
        "first ping reply a→b after both reconciles", (System.currentTimeMillis() - done) + " ms");
    pingUntilAnswered(net, "host-b", ULA_A);
  }

  @Test
  @Order(2)
  void theSameDesiredStateWritesNothing() throws Exception {
    String before = net.exec("host-a", "wg", "show", "wgta", "peers");
    Map<String, String> ra = a.ok("reconcile " + peer("mbp-b", keyB, ULA_B, B_PUBLIC));
    assertThat(ra).containsEntry("writes", "0").containsEntry("routes", "+0/-0");
    Map<String, String> again = a.ok("reconcile " + peer("mbp-b", keyB, ULA_B, B_PUBLIC));
    assertThat(again.get("total")).isEqualTo(ra.get("total"));
    assertThat(b.ok("reconcile " + peer("mbp-a", keyA, ULA_A, A_PUBLIC)))
        .containsEntry("writes", "0");
    assertThat(net.exec("host-a", "wg", "show", "wgta", "peers")).isEqualTo(before);
  }

  @Test
  @Order(3)
  void aTcpStreamSurvivesMovesBackAndForth() throws Exception {
    net.start(
        "host-b", "echo", List.of(), "socat", "TCP6-LISTEN:7000,bind=[" + ULA_B + "]", "PIPE");
    waitFor(net, "host-b", "echo listening", "ss -Htln | grep -q ':7000'");
    Process ping =
        net.start("host-a", "ping-a", List.of(), "ping", "-6", "-D", "-n", "-i", "0.05", ULA_B);
    int lines = 160; // 8 s at one line per 50 ms
    Process stream =
        net.start(
            "host-a",
            "stream",
            List.of(),
            "bash",
            "-c",
            "for i in $(seq 1 "
                + lines
                + "); do echo line$i; sleep 0.05; done | socat -t 10 - TCP6:["
                + ULA_B
                + "]:7000");
    Thread.sleep(1500); // let the stream run before the first move

    net.move("host-a", "nat-b");
    a.ok("moved");
    Map<String, String> toLan = a.ok("reconcile " + peer("mbp-b", keyB, ULA_B, B_LAN));
    assertThat(toLan).containsEntry("writes", "1");
    assertThat(toLan.get("line")).contains("endpoint " + B_PUBLIC + " → " + B_LAN);
    Thread.sleep(2500);

    net.move("host-a", "nat-a");
    a.ok("moved");
    Map<String, String> back = a.ok("reconcile " + peer("mbp-b", keyB, ULA_B, B_PUBLIC));
    assertThat(back).containsEntry("writes", "1");

    if (!stream.waitFor(90, TimeUnit.SECONDS)) {
      fail("the TCP stream did not finish:\n" + net.log("stream"));
    }
    ping.destroy();
    ping.waitFor(10, TimeUnit.SECONDS);
    String echoed = net.log("stream");
    assertThat(stream.exitValue()).as("socat exit (a reset fails it):\n" + echoed).isZero();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= lines; i++) {
      expected.add("line" + i);
    }
    assertThat(echoed.lines().toList()).as("every line echoed, in order").isEqualTo(expected);

    List<Double> replies = replyTimes(net.log("ping-a"));
    measured(
        "move to nat-b: endpoint change → first ping reply",
        firstAfter(replies, Long.parseLong(toLan.get("t0"))) + " ms");
    measured(
        "move to nat-a: endpoint change → first ping reply",
        firstAfter(replies, Long.parseLong(back.get("t0"))) + " ms");
    measured(
        "largest ping gap during the test (incl. the test's own move time)",
        largestGap(replies) + " ms");
  }

  @Test
  @Order(4)
  void statusShowsADirectPathAndSaysWhyThereIsNone() throws Exception {
    String keyD = KeyPair.generate(new java.security.SecureRandom()).publicKey().base64();
    a.ok(
        "reconcile "
            + peer("mbp-b", keyB, ULA_B, B_PUBLIC)
            + " "
            + peer("mbp-d", keyD, "fd6d:6474:6200::d", "-"));
    try {
      List<String> s = a.call("status");
      assertThat(s).hasSize(3);
      assertThat(s.get(0))
          .startsWith("peer mbp-b " + ULA_B + " endpoint " + B_PUBLIC)
          .contains(": direct — handshake");
      Matcher m = Pattern.compile("rx (\\d+) B, tx (\\d+) B").matcher(s.get(0));
      assertThat(m.find()).isTrue();
      assertThat(Long.parseLong(m.group(1))).isPositive();
      assertThat(Long.parseLong(m.group(2))).isPositive();
      assertThat(s.get(1))
          .startsWith("peer mbp-d fd6d:6474:6200::d endpoint (none)")
          .endsWith("handshake never, rx 0 B, tx 0 B: no path — mbp-d has no mapping: no path");
      s.subList(0, 2).forEach(l -> System.out.println("[status] " + l));
    } finally {
      a.ok("reconcile " + peer("mbp-b", keyB, ULA_B, B_PUBLIC));
    }
  }

  @Test
  @Order(6)
  void theWgToolBackendReconcilesWireguardGoTheSameWay() throws Exception {
    try (Probe w = new Probe(net, "host-c", "probe-w")) {
      List<String> open = w.call("open wgtw 51830 " + ULA_C + " " + state("state-w") + " wg");
      assertThat(open.get(open.size() - 1)).contains("via wg (wgtw)");
      String keyW = open.get(open.size() - 1).split(" ")[1];
      a.ok(
          "reconcile "
              + peer("mbp-b", keyB, ULA_B, B_PUBLIC)
              + " "
              + peer("host-c", keyW, ULA_C, "198.18.3.2:51830"));
      assertThat(w.ok("reconcile " + peer("mbp-a", keyA, ULA_A, A_PUBLIC)))
          .containsEntry("writes", "1")
          .containsEntry("routes", "+1/-0");
      pingUntilAnswered(net, "host-c", ULA_A);
      assertThat(w.ok("reconcile " + peer("mbp-a", keyA, ULA_A, A_PUBLIC)))
          .containsEntry("writes", "0")
          .containsEntry("routes", "+0/-0");
      Map<String, String> gone = w.ok("reconcile");
      assertThat(gone).containsEntry("writes", "1").containsEntry("routes", "+0/-1");
      assertThat(net.exec("host-c", "wg", "show", "wgtw", "peers")).isBlank();
      assertThat(w.ok("reconcile " + peer("mbp-a", keyA, ULA_A, A_PUBLIC)))
          .containsEntry("writes", "1");
      pingUntilAnswered(net, "host-c", ULA_A);
      w.call("close");
      assertThat(net.run("host-c", Duration.ofSeconds(20), "ip", "link", "show", "wgtw").exit())
          .isNotZero();
    } finally {
      a.ok("reconcile " + peer("mbp-b", keyB, ULA_B, B_PUBLIC));
    }
  }

  @Test
  @Order(7)
  void closeRemovesTheInterfaceAndRoutesAndStopsWireguardGo() throws Exception {
    long pid = wireguardGoPid("wgtb");
    b.close();
    assertThat(net.run("host-b", Duration.ofSeconds(20), "ip", "link", "show", "wgtb").exit())
        .isNotZero();
    assertThat(net.exec("host-b", "ip", "-6", "route", "show")).doesNotContain(ULA_A);
    assertThat(UapiDevice.socketOf("wgtb")).doesNotExist();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(b.log()).doesNotContain("Exception");
  }

  @Test
  @Order(8)
  void aCrashedRunsWireguardGoIsReusedThenStoppedOnCleanShutdown() throws Exception {
    Probe first = new Probe(net, "host-b", "probe-b2");
    String open1 = first.call("open wgtb 51820 " + ULA_B + " " + state("state-b") + " uapi").get(0);
    first.ok("reconcile " + peer("mbp-a", keyA, ULA_A, A_PUBLIC));
    long pid = wireguardGoPid("wgtb");
    assertThat(open1).contains("wireguard-go pid " + pid + " (ours)");
    first.crash();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
    assertThat(UapiDevice.socketOf("wgtb")).exists();

    try (Probe again = new Probe(net, "host-b", "probe-b3")) {
      String open2 =
          again.call("open wgtb 51820 " + ULA_B + " " + state("state-b") + " uapi").get(0);
      assertThat(open2.split(" ")[1]).as("same key from the state dir").isEqualTo(keyB);
      assertThat(open2).contains("wireguard-go pid " + pid + " (ours)");
      assertThat(again.ok("reconcile " + peer("mbp-a", keyA, ULA_A, A_PUBLIC)))
          .as("the leftover already has the peer")
          .containsEntry("writes", "0");
      pingUntilAnswered(net, "host-b", ULA_A);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(UapiDevice.socketOf("wgtb")).doesNotExist();
  }

  @Test
  @Order(9)
  void aStaleSocketWithoutProcessIsReplaced() throws Exception {
    Path sock = UapiDevice.socketOf("wgts");
    Files.createDirectories(sock.getParent());
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(sock)); // closing leaves the file: a crash's leftover
    }
    try (Probe p = new Probe(net, "host-b", "probe-stale")) {
      assertThat(p.call("open wgts 51850 " + ULA_B + " " + state("state-s") + " uapi").get(0))
          .contains("(ours)");
    } finally {
      Files.deleteIfExists(sock);
    }
  }

  @Test
  @Order(10)
  void aNameInUseInAnotherNamespaceIsRefused() throws Exception {
    try (Probe c = new Probe(net, "host-c", "probe-x1");
        Probe d = new Probe(net, "host-d", "probe-x2")) {
      c.call("open wgtx 51860 " + ULA_C + " " + state("state-x1") + " uapi");
      assertThatThrownBy(
              () -> d.call("open wgtx 51860 " + ULA_B + " " + state("state-x2") + " uapi"))
          .hasMessageContaining("the name is taken machine-wide");
      assertThat(UapiDevice.socketOf("wgtx")).as("the other one's socket untouched").exists();
    }
  }

  private String openKey(Probe p, String ifname, int port, String ula, String dir, String control)
      throws Exception {
    String line =
        p.call("open " + ifname + " " + port + " " + ula + " " + state(dir) + " " + control).get(0);
    return line.split(" ")[1];
  }

  String state(String dir) {
    return net.state().resolve(dir).toString();
  }

  static String peer(String host, String key, String ula, String endpoint) {
    return host + "|" + key + "|" + ula + "|" + endpoint;
  }
}
