package net.membersdns.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
 * What membersdns is for (issue 8): two hosts of one member, each behind its own home NAT, reach
 * each other by ULA through WireGuard tunnels the agents set up from what they read in the zone,
 * and a TCP connection between them survives one of them moving to another network and back. A
 * third host enrolled later joins without restarts; a stopped host leaves; another member's host
 * never becomes a peer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TunnelNetnsIT {
  static Netns net;
  static ServerNode server;
  static AgentNode a;
  static AgentNode b;
  static String ulaA;
  static String ulaB;

  @BeforeAll
  static void up() throws Exception {
    net = Netns.setUp("mdt-");
    server = ServerNode.start(net);
    server.ok("member", "add", "alice");
    server.ok("member", "add", "bob");
    a = AgentNode.start(net, "host-a", server, "alice", "mbp-a", server.hostKey("alice", "mbp-a"));
    b = AgentNode.start(net, "host-b", server, "alice", "mbp-b", server.hostKey("alice", "mbp-b"));
  }

  @AfterAll
  static void down() throws Exception {
    Netns.closeAll(net, a, b, server);
  }

  /** Waits until {@code agent} has a direct path to {@code host} with a recent handshake. */
  static AgentStatus.Peer direct(AgentNode agent, String host, String why) {
    AgentStatus s =
        agent.awaitStatus(
            Duration.ofSeconds(60),
            host + " reached directly (" + why + ")",
            st ->
                st.peers() != null
                    && st.peers().list().stream()
                        .anyMatch(p ->
                            p.host().equals(host)
                                && p.path().equals("direct")
                                && p.why().contains(why)));
    return s.peers().list().stream().filter(p -> p.host().equals(host)).findFirst().orElseThrow();
  }

  static boolean ping(String from, String ula) throws Exception {
    return net.run(from, Duration.ofSeconds(10), "ping", "-6", "-c", "1", "-W", "2", ula).exit()
        == 0;
  }

  @Test
  @Order(1)
  void twoHostsBehindTheirOwnNatsReachEachOtherByUla() throws Exception {
    ulaA = a.awaitStatus(Duration.ofSeconds(60), "a ULA", st -> st.ula() != null).ula();
    ulaB = b.awaitStatus(Duration.ofSeconds(60), "a ULA", st -> st.ula() != null).ula();
    direct(a, "mbp-b", "public endpoint 198.18.2.2");
    direct(b, "mbp-a", "public endpoint 198.18.1.2");
    Await.until(
        Duration.ofSeconds(20),
        "ping6 " + ulaB + " from host-a",
        a::log,
        () -> ping("host-a", ulaB));
    assertThat(ping("host-b", ulaA)).isTrue();
    assertThat(a.statusCommand().out())
        .contains("mbp-b")
        .contains("direct")
        .contains("watched with LLQ");
  }

  @Test
  @Order(2)
  void aTcpConnectionBetweenTheUlasSurvivesAMoveAndBack() throws Exception {
    Process echo =
        net.start(
            "host-b",
            "echo",
            List.of(),
            "socat",
            "TCP6-LISTEN:7000,bind=[" + ulaB + "],reuseaddr,fork",
            "EXEC:cat");
    Await.until(
        Duration.ofSeconds(10),
        "the echo server",
        () -> "",
        () -> net.exec("host-b", "ss", "-Htln").contains(":7000"));
    Path out = net.state().resolve("tcp-stream.txt");
    int lines = 300; // 15 s at one line every 50 ms
    Process stream =
        net.start(
            "host-a",
            "tcp-stream",
            List.of(),
            "bash",
            "-c",
            "for ((i = 0; i < "
                + lines
                + "; i++)); do echo line-$i; sleep 0.05; done | socat -t 10 - 'TCP6:["
                + ulaB
                + "]:7000' > "
                + out
                + "; echo exit=$? >> "
                + out);
    Thread.sleep(2000); // let the stream run a while before the first move
    net.move("host-a", "nat-b");
    direct(a, "mbp-b", "using its LAN address 192.168.2.2");
    direct(b, "mbp-a", "using its LAN address 192.168.2.3");
    net.move("host-a", "nat-a");
    direct(a, "mbp-b", "public endpoint 198.18.2.2");
    assertThat(stream.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    echo.destroy();
    List<String> got = Files.readAllLines(out);
    assertThat(got).last().isEqualTo("exit=0");
    assertThat(got.subList(0, got.size() - 1))
        .as("every line echoed, in order, over one connection")
        .hasSize(lines)
        .first()
        .isEqualTo("line-0");
    assertThat(got.get(lines - 1)).isEqualTo("line-" + (lines - 1));
  }

  @Test
  @Order(3)
  void aHostEnrolledLaterJoinsWithoutRestarts() throws Exception {
    try (AgentNode c =
        AgentNode.start(
            net, "host-c", server, "alice", "mbp-c", server.hostKey("alice", "mbp-c"))) {
      String ulaC = c.awaitStatus(Duration.ofSeconds(60), "a ULA", st -> st.ula() != null).ula();
      direct(a, "mbp-c", "public endpoint 198.18.3.2");
      direct(b, "mbp-c", "public endpoint 198.18.3.2");
      Await.until(
          Duration.ofSeconds(20), "ping6 mbp-c from host-a", a::log, () -> ping("host-a", ulaC));
      Await.until(
          Duration.ofSeconds(20), "ping6 mbp-c from host-b", b::log, () -> ping("host-b", ulaC));
      assertThat(ping("host-c", ulaA)).isTrue();
    }
    // c stopped: its records are withdrawn and both peers drop it
    a.awaitStatus(
        Duration.ofSeconds(30),
        "mbp-c gone",
        st -> st.peers().list().stream().noneMatch(p -> p.host().equals("mbp-c")));
    b.awaitStatus(
        Duration.ofSeconds(30),
        "mbp-c gone",
        st -> st.peers().list().stream().noneMatch(p -> p.host().equals("mbp-c")));
  }

  @Test
  @Order(4)
  void anotherMembersHostNeverBecomesAPeer() throws Exception {
    try (AgentNode bob =
        AgentNode.start(net, "host-d", server, "bob", "bob-x", server.hostKey("bob", "bob-x"))) {
      bob.awaitStatus(
          Duration.ofSeconds(60),
          "registered",
          st -> "registered".equals(st.registration().state()));
      assertThat(server.dig("bob-x.bob.members.example.", "AAAA")).isNotEmpty();
      // a's watch has seen bob's commit go by (it is in another zone): still only mbp-b
      Thread.sleep(1000);
      assertThat(a.status().orElseThrow().peers().list())
          .extracting(AgentStatus.Peer::host)
          .containsExactly("mbp-b");
      assertThat(net.exec("host-a", "wg", "show", a.interfaceName(), "peers").strip().lines())
          .hasSize(1);
    }
  }

  @Test
  @Order(5)
  void aPeerBehindADoubleNatIsShownWithoutAPathAndWhy() throws Exception {
    try (AgentNode d =
        AgentNode.start(
            net, "host-d", server, "alice", "mbp-d", server.hostKey("alice", "mbp-d"))) {
      d.awaitStatus(
          Duration.ofSeconds(60),
          "registered",
          st -> "registered".equals(st.registration().state()));
      AgentStatus s =
          a.awaitStatus(
              Duration.ofSeconds(30),
              "mbp-d known without a path",
              st ->
                  st.peers().list().stream()
                      .anyMatch(p -> p.host().equals("mbp-d") && p.path().equals("no path")));
      AgentStatus.Peer peer =
          s.peers().list().stream().filter(p -> p.host().equals("mbp-d")).findFirst().orElseThrow();
      assertThat(peer.why()).contains("mbp-d has no mapping").contains("double NAT");
      assertThat(a.statusCommand().out()).contains("mbp-d").contains("no path");
    }
  }

  @Test
  @Order(6)
  void stoppingAHostsAgentRemovesItsPeer() throws Exception {
    assertThat(b.stop()).isZero();
    a.awaitStatus(Duration.ofSeconds(30), "mbp-b gone", st -> st.peers().list().isEmpty());
    Await.until(
        Duration.ofSeconds(10),
        "no WireGuard peer left on host-a",
        a::log,
        () -> net.exec("host-a", "wg", "show", a.interfaceName(), "peers").isBlank());
    assertThat(net.exec("host-a", "ip", "-6", "route", "show", "dev", a.interfaceName()))
        .doesNotContain(ulaB);
  }
}
