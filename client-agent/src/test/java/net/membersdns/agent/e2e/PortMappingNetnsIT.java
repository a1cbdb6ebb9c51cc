package net.membersdns.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.membersdns.agent.status.AgentStatus;
import net.membersdns.agent.testing.AgentNode;
import net.membersdns.agent.testing.Await;
import net.membersdns.agent.testing.Netns;
import net.membersdns.agent.testing.ServerNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A host behind a home NAT puts itself on the map (issue 7): the agent on host-a maps its port on
 * nat-a's miniupnpd, publishes the NAT's public address and the mapped port, and is reachable there
 * from the internet; it re-maps after the NAT reboots, follows host-a behind nat-b, and removes
 * mapping and records on SIGTERM. A host behind two NATs is told so.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortMappingNetnsIT {
  static final String SRV = "_autotunnel._udp.mbp.alice.members.example.";
  static final String A = "_autotunnel.mbp.alice.members.example.";

  static Netns net;
  static ServerNode server;
  static AgentNode agent;

  @BeforeAll
  static void up() throws Exception {
    net = Netns.setUp("mdp-");
    server = ServerNode.start(net);
    server.ok("member", "add", "alice");
    Path key = server.hostKey("alice", "mbp");
    // --no-tunnel: the test listens on the tunnel port itself to see forwarded datagrams
    agent = AgentNode.start(net, "host-a", server, "alice", "mbp", key, "--no-tunnel");
  }

  @AfterAll
  static void down() throws Exception {
    Netns.closeAll(net, agent, server);
  }

  static AgentStatus registeredVia(String externalAddress) {
    return agent.awaitStatus(
        Duration.ofSeconds(60),
        "registered with public address " + externalAddress,
        st ->
            "registered".equals(st.registration().state())
                && st.mapping() != null
                && externalAddress.equals(st.mapping().externalAddress())
                && st.registration().records().stream().anyMatch(r -> r.endsWith(externalAddress)));
  }

  /** The destination ports of nat's miniupnpd DNAT rules. */
  static String natRules(String nat) throws Exception {
    return net.exec(nat, "nft", "list", "chain", "inet", "filter", "prerouting_miniupnpd");
  }

  /**
   * Sends a datagram from host-c (the internet) to address:port; true if host-a's port 51820 got
   * it.
   */
  static boolean reachesHostA(String address, int port) throws Exception {
    Path sink = net.state().resolve("sink-" + System.nanoTime());
    Process p =
        net.start(
            "host-a",
            "sink",
            List.of(),
            "socat",
            "-u",
            "UDP4-RECV:51820,reuseaddr",
            "OPEN:" + sink + ",creat,append");
    try {
      Await.until(
          Duration.ofSeconds(10),
          "the sink to listen",
          () -> "",
          () -> net.exec("host-a", "ss", "-Huln").contains(":51820"));
      for (int i = 0; i < 20; i++) {
        net.exec(
            "host-c",
            "sh",
            "-c",
            "echo hello-" + i + " | socat -u - UDP4-SENDTO:" + address + ":" + port);
        if (java.nio.file.Files.exists(sink)
            && java.nio.file.Files.readString(sink).contains("hello")) {
          return true;
        }
        Thread.sleep(100);
      }
      return false;
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  @Test
  @Order(1)
  void theMappingIsOnTheNatAndTheRecordsCarryItsPublicAddress() throws Exception {
    AgentStatus s = registeredVia("198.18.1.2");
    int port = s.mapping().externalPort();
    assertThat(s.mapping().protocol()).isEqualTo("PCP");
    assertThat(natRules("nat-a")).contains("dport " + port).contains("192.168.1.2:51820");
    assertThat(server.dig(SRV, "SRV"))
        .contains("0 0 " + port + " _autotunnel.mbp.alice.members.example.")
        .contains("10 0 51820 _lan._autotunnel.mbp.alice.members.example.");
    assertThat(server.dig(A, "A")).isEqualTo("198.18.1.2");
    assertThat(server.dig("_lan._autotunnel.mbp.alice.members.example.", "A"))
        .isEqualTo("192.168.1.2");
    assertThat(reachesHostA("198.18.1.2", port))
        .as("a datagram from the internet reaches host-a")
        .isTrue();
    String metrics =
        net.exec(
            "host-a",
            "sh",
            "-c",
            "printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' | socat -t 5 - TCP:127.0.0.1:9154");
    assertThat(metrics)
        .contains("agent_registrations_total{result=\"NOERROR\"}")
        .contains("agent_portmap_requests_total")
        .contains("agent_lease_remaining_seconds")
        .contains("agent_server_connected 1.0")
        .contains("process_cpu_usage")
        .contains("jvm_memory_used_bytes");
    var plain = agent.statusCommand();
    assertThat(plain.exit()).isZero();
    assertThat(plain.out())
        .contains("PCP on 192.168.1.1: 198.18.1.2:" + port)
        .contains("registered");
  }

  @Test
  @Order(2)
  void aNatRebootIsNoticedAndTheMappingMadeAgainWithinAMinute() throws Exception {
    net.natReboot("nat-a");
    assertThat(natRules("nat-a")).doesNotContain("dnat");
    Await.until(
        Duration.ofSeconds(75),
        "the mapping back on nat-a",
        agent::log,
        () -> natRules("nat-a").contains("192.168.1.2:51820"));
    int port = registeredVia("198.18.1.2").mapping().externalPort();
    assertThat(reachesHostA("198.18.1.2", port)).isTrue();
  }

  @Test
  @Order(3)
  void theRecordsFollowTheHostBehindAnotherNat() throws Exception {
    long t0 = System.nanoTime();
    net.move("host-a", "nat-b");
    Await.until(
        Duration.ofSeconds(30),
        "the records to carry nat-b's address",
        agent::log,
        () -> server.dig(A, "A").equals("198.18.2.2"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("move → records carry the new address: " + ms + " ms");
    AgentStatus s = registeredVia("198.18.2.2");
    assertThat(server.dig("_lan._autotunnel.mbp.alice.members.example.", "A"))
        .isEqualTo("192.168.2.3");
    assertThat(natRules("nat-b")).contains("192.168.2.3:51820");
    assertThat(reachesHostA("198.18.2.2", s.mapping().externalPort())).isTrue();
  }

  @Test
  @Order(4)
  void sigtermDeletesTheMappingAndWithdrawsTheRecords() throws Exception {
    assertThat(agent.stop()).isZero();
    assertThat(natRules("nat-b")).doesNotContain("dnat");
    assertThat(server.dig(SRV, "SRV")).isEmpty();
    assertThat(server.dig("mbp.alice.members.example.", "AAAA")).isEmpty();
  }

  @Test
  @Order(5)
  void aHostBehindTwoNatsIsToldSo() throws Exception {
    Path key = server.hostKey("alice", "mini");
    try (AgentNode d =
        AgentNode.start(net, "host-d", server, "alice", "mini", key, "--no-tunnel")) {
      AgentStatus s =
          d.awaitStatus(
              Duration.ofSeconds(60),
              "double NAT diagnosed and registered",
              st ->
                  st.diagnosis().stream().anyMatch(f -> f.kind().equals("double-nat"))
                      && "registered".equals(st.registration().state()));
      var finding =
          s.diagnosis().stream()
              .filter(f -> f.kind().equals("double-nat"))
              .findFirst()
              .orElseThrow();
      assertThat(finding.words()).contains("192.168.4.1").contains("192.168.1.1");
      assertThat(server.dig("_autotunnel.mini.alice.members.example.", "TXT"))
          .contains("nat=double-nat");
      assertThat(server.dig("_autotunnel._udp.mini.alice.members.example.", "SRV").lines())
          .as("only the LAN endpoint: nothing public to publish")
          .containsExactly("10 0 51820 _lan._autotunnel.mini.alice.members.example.");
      assertThat(d.statusCommand().out()).contains("PROBLEM").contains("double-nat");
    }
  }
}
