package net.membersdns.agent.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.agent.testing.Netns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The port mapper against real miniupnpd 2.3.1 in the test network (client-agent/testbed/netns.sh,
 * prefix {@code pmt-}): the agent side runs in a child JVM inside a host's namespace ({@link
 * PortMapperProbe}). Each test builds the network afresh (about half a second).
 */
class PortMapperNetnsIT {
  static final Duration MAPPED_WITHIN = Duration.ofSeconds(15);
  static final String MAPPED_ON_A =
      "STATE protocol=pcp external=198\\.18\\.1\\.2:(\\d+) .*kind=mapped .*";
  Netns net;

  @BeforeEach
  void network() throws Exception {
    net = Netns.setUp("pmt-");
  }

  @AfterEach
  void teardown() throws Exception {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void mapsWithPcpForwardsRenewsAndDeletesOnClose() throws Exception {
    ProbeRun a = ProbeRun.start(net, "host-a", "probe-a", 3, "-", true);
    int port = Integer.parseInt(a.await(MAPPED_ON_A, MAPPED_WITHIN).group(1));
    assertThat(port).isEqualTo(51820); // nobody holds it on nat-a: the internal port is granted
    assertThat(dnatRules("nat-a"))
        .containsExactly("dport " + port + " dnat ip to 192.168.1.2:51820");

    net.exec("host-c", "sh", "-c", "echo hello-from-c | socat -u - UDP4-SENDTO:198.18.1.2:" + port);
    a.await("RECEIVED hello-from-c FROM 198\\.18\\.3\\.2", Duration.ofSeconds(5));

    // renewal: the 3 s check re-sends the MAP; the expiry moves, nothing else does
    Map<String, String> first = a.status();
    eventually(Duration.ofSeconds(12), () -> !status(a).get("expiry").equals(first.get("expiry")));
    Map<String, String> later = a.status();
    assertThat(later.get("external")).isEqualTo(first.get("external"));
    assertThat(a.metrics().get("requests.map")).isGreaterThanOrEqualTo(2);
    assertThat(a.count("STATE .*")).isEqualTo(1); // renewals are not news
    assertThat(dnatRules("nat-a")).hasSize(1);

    Map<String, String> closed = a.close();
    assertThat(closed.get("protocol")).isEqualTo("none");
    assertThat(closed.get("kind")).isEqualTo("unknown");
    assertThat(closed.get("words"))
        .isEqualTo("the port mapper stopped and deleted its mapping 198.18.1.2:" + port);
    assertThat(dnatRules("nat-a")).isEmpty();
    assertThat(new MappingLedger(a.ledger().getParent()).read()).isEmpty();
  }

  @Test
  void ignoresGarbageUnsolicitedPacketsAndAnnouncementsFromOthers() throws Exception {
    ProbeRun a = ProbeRun.start(net, "host-a", "probe-a", 600, "-", false);
    String external = a.await(MAPPED_ON_A, MAPPED_WITHIN).group(1);
    int clientPort = clientPort();
    // from the gateway's own address and port, so that the kernel lets them through the
    // connected socket: garbage, a truncated PCP answer, and a MAP answer with another nonce
    for (String hex :
        List.of(
            "deadbeef",
            PcpTest.GRANTED.substring(0, 40),
            PcpTest.GRANTED.replace("0102030405060708090a0b0c", "0c0b0a090807060504030201"))) {
      net.exec(
          "nat-a",
          "sh",
          "-c",
          "echo "
              + hex
              + " | xxd -r -p | socat -u - UDP4-SENDTO:192.168.1.2:"
              + clientPort
              + ",bind=192.168.1.1:5351,reuseaddr");
    }
    // an announcement that the gateway rebooted, from another address on the LAN
    net.exec("nat-a", "ip", "addr", "add", "192.168.1.50/24", "dev", "lan");
    net.exec(
        "nat-a",
        "sh",
        "-c",
        "echo "
            + PcpTest.ANNOUNCE_AT_START.replace(" ", "")
            + " | xxd -r -p | socat -u - UDP4-DATAGRAM:224.0.0.1:5350,bind=192.168.1.50:5351,"
            + "ip-multicast-if=192.168.1.50");
    eventually(Duration.ofSeconds(5), () -> metric(a, "ignored.foreign-announcement") >= 1);
    long maps = a.metrics().get("requests.map");
    a.send("refresh"); // the next exchange drains what waits in the socket
    eventually(Duration.ofSeconds(10), () -> metric(a, "requests.map") == maps + 1);
    assertThat(a.metrics().get("ignored.unsolicited")).isGreaterThanOrEqualTo(3);
    // the forged reboot would re-map within 5 s; nothing beyond the refresh happened
    Thread.sleep(5_500);
    assertThat(a.metrics().get("requests.map")).isEqualTo(maps + 1);
    assertThat(a.said(".*lost its mappings.*")).isFalse();
    Map<String, String> s = a.status();
    assertThat(s.get("kind")).isEqualTo("mapped");
    assertThat(s.get("external")).isEqualTo("198.18.1.2:" + external);
    a.close();
  }

  @Test
  void remapsAfterTheGatewayRebootsOnItsAnnouncement() throws Exception {
    ProbeRun a = ProbeRun.start(net, "host-a", "probe-a", 600, "-", true);
    int port = Integer.parseInt(a.await(MAPPED_ON_A, MAPPED_WITHIN).group(1));
    // RFC 6887 §8.5 forgives an epoch 1 s back and 2 s of drift: let the clocks run apart first,
    // so that the announced epoch 0 is a loss by the rules and not only a reason to re-check
    Thread.sleep(3_500);
    net.natReboot("nat-a");
    assertThat(dnatRules("nat-a")).isEmpty();
    long t0 = System.nanoTime();
    eventually(Duration.ofSeconds(10), () -> dnatRules("nat-a").size() == 1);
    System.out.printf(
        "re-mapped %d ms after nat-a rebooted (announcement + 0-5 s jitter)%n", ms(t0));
    assertThat(a.said(".*lost its mappings.*")).isTrue();
    assertThat(dnatRules("nat-a"))
        .containsExactly("dport " + port + " dnat ip to 192.168.1.2:51820");
    net.exec("host-c", "sh", "-c", "echo after-reboot | socat -u - UDP4-SENDTO:198.18.1.2:" + port);
    a.await("RECEIVED after-reboot FROM 198\\.18\\.3\\.2", Duration.ofSeconds(5));
    a.close();
  }

  @Test
  void remapsAfterTheGatewayRebootsOnTheCheckWhenTheAnnouncementIsLost() throws Exception {
    net.exec("host-a", "nft", "add table inet drop5350");
    net.exec(
        "host-a",
        "nft",
        "add chain inet drop5350 in { type filter hook input priority 0; udp dport 5350 drop; }");
    ProbeRun a = ProbeRun.start(net, "host-a", "probe-a", 3, "-", false);
    int port = Integer.parseInt(a.await(MAPPED_ON_A, MAPPED_WITHIN).group(1));
    net.natReboot("nat-a");
    long t0 = System.nanoTime();
    eventually(Duration.ofSeconds(10), () -> dnatRules("nat-a").size() == 1);
    System.out.printf(
        "re-mapped %d ms after nat-a rebooted (3 s check, no announcement)%n", ms(t0));
    assertThat(dnatRules("nat-a"))
        .containsExactly("dport " + port + " dnat ip to 192.168.1.2:51820");
    assertThat(a.metrics().getOrDefault("ignored.foreign-announcement", 0L)).isZero();
    a.close();
  }

  @Test
  void aCrashedRunsMappingIsReleasedByTheNextStart() throws Exception {
    ProbeRun first = ProbeRun.start(net, "host-a", "probe-a1", 600, "-", false);
    int port = Integer.parseInt(first.await(MAPPED_ON_A, MAPPED_WITHIN).group(1));
    first.kill();
    List<MappingLedger.Entry> left = new MappingLedger(first.ledger().getParent()).read();
    assertThat(left).singleElement().satisfies(e -> assertThat(e.externalPort()).isEqualTo(port));
    assertThat(dnatRules("nat-a")).hasSize(1);

    ProbeRun second = ProbeRun.start(net, "host-a", "probe-a2", 600, "-", false);
    assertThat(Integer.parseInt(second.await(MAPPED_ON_A, MAPPED_WITHIN).group(1))).isEqualTo(port);
    assertThat(second.said(".*released a mapping left on 192\\.168\\.1\\.1.*")).isTrue();
    assertThat(dnatRules("nat-a")).hasSize(1);
    List<MappingLedger.Entry> now = new MappingLedger(second.ledger().getParent()).read();
    assertThat(now)
        .singleElement()
        .satisfies(e -> assertThat(e.nonce()).isNotEqualTo(left.get(0).nonce()));
    assertThat(net.log("miniupnpd-nat-a")).contains("PCP: UDP port " + port + " mapping removed");
    second.close();
    assertThat(dnatRules("nat-a")).isEmpty();
  }

  @Test
  void followsAMoveToAnotherNetworkAndReleasesTheOldMappingOnReturn() throws Exception {
    ProbeRun a = ProbeRun.start(net, "host-a", "probe-a", 600, "-", false);
    a.await(MAPPED_ON_A, MAPPED_WITHIN);
    long t0 = System.nanoTime();
    net.move("host-a", "nat-b");
    Matcher change = a.await("CHANGE NETLINK (.*)", Duration.ofSeconds(5));
    long seen = ms(t0);
    assertThat(change.group(1))
        .contains("gateway 192.168.1.1 → 192.168.2.1")
        .contains("192.168.2.3");
    a.await("STATE protocol=pcp external=198\\.18\\.2\\.2:(\\d+) .*kind=mapped .*", MAPPED_WITHIN);
    System.out.printf(
        "move to nat-b: change reported after %d ms, mapped on nat-b after %d ms (from the start of netns.sh move)%n",
        seen, ms(t0));
    assertThat(dnatRules("nat-b")).containsExactly("dport 51820 dnat ip to 192.168.2.3:51820");
    // 192.168.1.2 is gone: the mapping on nat-a cannot be deleted, and stays in the ledger
    assertThat(dnatRules("nat-a")).hasSize(1);
    a.close();
    assertThat(dnatRules("nat-b")).isEmpty();
    assertThat(new MappingLedger(a.ledger().getParent()).read())
        .singleElement()
        .satisfies(e -> assertThat(e.gateway().getHostAddress()).isEqualTo("192.168.1.1"));

    net.move("host-a", "nat-a");
    ProbeRun back = ProbeRun.start(net, "host-a", "probe-a2", 600, "-", false);
    back.await(MAPPED_ON_A, MAPPED_WITHIN);
    assertThat(back.said(".*released a mapping left on 192\\.168\\.1\\.1.*")).isTrue();
    assertThat(dnatRules("nat-a")).hasSize(1);
    back.close();
    assertThat(dnatRules("nat-a")).isEmpty();
    assertThat(new MappingLedger(back.ledger().getParent()).read()).isEmpty();
  }

  @Test
  void theNetlinkWatcherIsRestartedWhenItDies() throws Exception {
    ProbeRun a = ProbeRun.start(net, "host-a", "probe-a", 600, "-", false);
    a.await(MAPPED_ON_A, MAPPED_WITHIN);
    long first = ipMonitorPid();
    ProcessHandle.of(first).ifPresent(ProcessHandle::destroy);
    eventually(Duration.ofSeconds(5), () -> ipMonitorPid() > 0 && ipMonitorPid() != first);
    net.move("host-a", "nat-b");
    assertThat(a.await("CHANGE NETLINK (.*)", Duration.ofSeconds(5)).group(1))
        .contains("gateway 192.168.1.1 → 192.168.2.1");
    a.await("STATE protocol=pcp external=198\\.18\\.2\\.2:\\d+ .*kind=mapped .*", MAPPED_WITHIN);
    a.close();
  }

  /** The pid of the {@code ip monitor} the probe runs in host-a, 0 while there is none. */
  long ipMonitorPid() {
    try {
      for (String pid : net.exec("inet", "ip", "netns", "pids", net.ns("host-a")).split("\\s+")) {
        if (pid.isBlank()) {
          continue;
        }
        java.nio.file.Path cmdline = java.nio.file.Path.of("/proc", pid, "cmdline");
        if (Files.exists(cmdline)
            && Files.readString(cmdline).replace('\0', ' ').startsWith("ip -4 -o monitor")) {
          return Long.parseLong(pid);
        }
      }
      return 0;
    } catch (Exception e) {
      return 0; // the process went away while we looked
    }
  }

  @Test
  void aRouterBehindARouterIsDoubleNatNamingBoth() throws Exception {
    ProbeRun d = ProbeRun.start(net, "host-d", "probe-d", 600, "198.18.0.53", false);
    Matcher m = d.await("STATE protocol=none .*kind=double-nat words=(.*)", MAPPED_WITHIN);
    assertThat(m.group(1)).contains("192.168.4.1").contains("192.168.1.1").contains("bridge mode");
    System.out.println("host-d: " + m.group(1));
    assertThat(dnatRules("nat-d")).isEmpty();
    d.close();
  }

  @Test
  void aGatewayAnsweringNeitherProtocolIsNamed() throws Exception {
    net.exec(
        "nat-a",
        "nft",
        "add table inet mute; add chain inet mute in { type filter hook input priority 0; udp dport 5351 drop; }");
    ProbeRun a = ProbeRun.start(net, "host-a", "probe-a", 600, "198.18.0.53", false);
    Matcher m =
        a.await("STATE protocol=none .*kind=no-port-mapping-protocol words=(.*)", MAPPED_WITHIN);
    assertThat(m.group(1))
        .contains("192.168.1.1 answers neither PCP nor NAT-PMP (no answer to PCP and NAT-PMP)")
        .contains("forward UDP port 51820 to 192.168.1.2");
    assertThat(a.metrics()).containsEntry("requests.map", 2L); // one PCP, one NAT-PMP, ~3.5 s
    a.close();
  }

  @Test
  void aPublicHostMapsNothing() throws Exception {
    ProbeRun c = ProbeRun.start(net, "host-c", "probe-c", 600, "-", false);
    Matcher m = c.await("STATE protocol=none .*kind=public-address words=(.*)", MAPPED_WITHIN);
    assertThat(m.group(1)).contains("198.18.3.2");
    assertThat(c.metrics()).doesNotContainKey("requests.map");
    c.close();
    assertThat(
            Files.exists(c.ledger()) ? new MappingLedger(c.ledger().getParent()).read() : List.of())
        .isEmpty();
  }

  /** The DNAT rules miniupnpd installed on {@code nat}, as "dport P dnat ip to A:P". */
  List<String> dnatRules(String nat) {
    try {
      String chain =
          net.exec(nat, "nft", "list", "chain", "inet", "filter", "prerouting_miniupnpd");
      Matcher m = Pattern.compile("(dport \\d+ dnat ip to [\\d.]+:\\d+)").matcher(chain);
      return m.results().map(r -> r.group(1)).toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The mapper's socket towards the gateway on host-a (connected to 192.168.1.1:5351). */
  int clientPort() throws Exception {
    String ss = net.exec("host-a", "ss", "-Hun", "dst", "192.168.1.1:5351");
    Matcher m = Pattern.compile("192\\.168\\.1\\.2:(\\d+)").matcher(ss);
    assertThat(m.find()).as("the mapper's socket in:\n" + ss).isTrue();
    return Integer.parseInt(m.group(1));
  }

  static Map<String, String> status(ProbeRun r) {
    try {
      return r.status();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long metric(ProbeRun r, String key) {
    try {
      return r.metrics().getOrDefault(key, 0L);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
