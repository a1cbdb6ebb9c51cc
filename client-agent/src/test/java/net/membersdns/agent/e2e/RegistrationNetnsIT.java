package net.membersdns.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import net.membersdns.agent.config.KeyFile;
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
 * Registration against the real server over DNS-over-TLS with a host key: a host with a public
 * address (host-c) publishes its record set, refreshes its lease without changing the zone,
 * withdraws on SIGTERM; the host key cannot write another host's names; {@code host remove} stops
 * it at once. The server grants 20 s leases here so a refresh comes within the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistrationNetnsIT {
  static Netns net;
  static ServerNode server;
  static Path key;
  static AgentNode agent;

  @BeforeAll
  static void up() throws Exception {
    net = Netns.setUp("mdr-");
    server = ServerNode.start(net, "--lease-min", "10", "--lease-max", "20");
    server.ok("member", "add", "alice");
    key = server.hostKey("alice", "mbp");
    agent = AgentNode.start(net, "host-c", server, "alice", "mbp", key, "--no-tunnel");
  }

  @AfterAll
  static void down() throws Exception {
    Netns.closeAll(net, agent, server);
  }

  @Test
  @Order(1)
  void aPublicHostRegistersItsRecordSetWithItsOwnKeyOverTls() throws Exception {
    var s =
        agent.awaitStatus(
            Duration.ofSeconds(60),
            "registered",
            st -> "registered".equals(st.registration().state()));
    assertThat(s.server().how()).contains("SRV _dns-update-tls._tcp.alice.members.example.");
    assertThat(s.server().tlsName()).isEqualTo(ServerNode.NAME);
    assertThat(server.dig("mbp.alice.members.example.", "AAAA")).isEqualTo(s.ula());
    assertThat(server.dig("_autotunnel._udp.mbp.alice.members.example.", "SRV"))
        .isEqualTo("0 0 51820 _autotunnel.mbp.alice.members.example.");
    assertThat(server.dig("_autotunnel.mbp.alice.members.example.", "A")).isEqualTo("198.18.3.2");
    assertThat(server.dig("_autotunnel._udp.alice.members.example.", "PTR"))
        .isEqualTo("_autotunnel._udp.mbp.alice.members.example.");
    assertThat(server.dig("mbp._device-info._tcp.alice.members.example.", "TXT"))
        .contains("model=");
    assertThat(s.diagnosis()).anySatisfy(f -> assertThat(f.kind()).isEqualTo("public-address"));
    assertThat(server.ok("records", "alice")).contains("mbp.alice.members.example.");
  }

  @Test
  @Order(2)
  void aRefreshMovesOnlyTheLeaseNotTheZone() throws Exception {
    String serial = server.dig("alice.members.example.", "SOA");
    int mark = agent.logMark();
    Instant before = agent.status().orElseThrow().registration().leaseExpires();
    agent.awaitLog(Duration.ofSeconds(40), "lease refreshed", mark);
    Instant after =
        agent
            .awaitStatus(
                Duration.ofSeconds(10),
                "a later lease expiry",
                st -> st.registration().leaseExpires().isAfter(before))
            .registration()
            .leaseExpires();
    assertThat(after).isAfter(before);
    assertThat(server.dig("alice.members.example.", "SOA")).isEqualTo(serial);
  }

  @Test
  @Order(3)
  void theHostKeyCannotWriteAnotherHostsNames() throws Exception {
    String keyLine = KeyFile.read(key).format();
    var r =
        net.run(
            "inet",
            Duration.ofSeconds(30),
            "sh",
            "-c",
            "printf 'server "
                + ServerNode.ADDRESS
                + " 53\\nzone alice.members.example.\\nupdate add mini.alice.members.example. 120 IN AAAA fd00::99\\nsend\\n' | nsupdate -v -y "
                + keyLine);
    assertThat(r.exit()).as(r.out()).isNotZero();
    assertThat(r.out()).contains("REFUSED");
    assertThat(server.dig("mini.alice.members.example.", "AAAA")).isEmpty();
  }

  @Test
  @Order(4)
  void sigtermWithdrawsEverything() throws Exception {
    assertThat(agent.stop()).isZero();
    assertThat(agent.log()).contains("records withdrawn");
    assertThat(server.dig("mbp.alice.members.example.", "AAAA")).isEmpty();
    assertThat(server.dig("_autotunnel._udp.alice.members.example.", "PTR")).isEmpty();
    var st = agent.statusCommand();
    assertThat(st.exit()).isEqualTo(1);
    assertThat(st.out()).contains("NOT RUNNING (stopped cleanly)");
  }

  @Test
  @Order(5)
  void hostRemoveStopsTheKeyAtOnce() throws Exception {
    agent.restart();
    agent.awaitStatus(
        Duration.ofSeconds(60),
        "registered again",
        st -> "registered".equals(st.registration().state()));
    server.ok("host", "remove", "alice", "mbp");
    Await.until(
        Duration.ofSeconds(10),
        "the host's records gone",
        server::log,
        () -> server.dig("mbp.alice.members.example.", "AAAA").isEmpty());
    // the next refresh (within the 20 s lease) is refused: the key no longer exists
    var s =
        agent.awaitStatus(
            Duration.ofSeconds(40),
            "a refused registration",
            st -> st.diagnosis().stream().anyMatch(f -> f.kind().equals("not-authorized")));
    assertThat(s.lastError()).contains("NOTAUTH").contains("BADKEY");
    assertThat(agent.log()).contains("registration refused: NOTAUTH (TSIG error BADKEY)");
    var status = agent.statusCommand();
    assertThat(status.out()).contains("PROBLEM").contains("BADKEY");
  }

  @Test
  @Order(6)
  void aCertificateForAnotherNameOrFromAnotherCaIsRefusedAndSaid() throws Exception {
    Path key = server.hostKey("alice", "tls");
    try (AgentNode wrongName =
        AgentNode.start(
            net,
            "host-c",
            "1",
            server,
            "alice",
            "tls",
            key,
            "--no-tunnel",
            "--tls-name",
            "wrong.members.example")) {
      var s =
          wrongName.awaitStatus(
              Duration.ofSeconds(60),
              "a TLS name failure",
              st -> st.diagnosis().stream().anyMatch(f -> f.kind().equals("tls-failure")));
      assertThat(s.lastError()).contains("is not for wrong.members.example").contains("--tls-name");
      assertThat(s.registration().state()).isEqualTo("not yet");
    }
    Path other = net.state().resolve("other-ca.pem");
    net.exec(
        "inet",
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        net.state().resolve("other-ca.key").toString(),
        "-out",
        other.toString(),
        "-days",
        "1",
        "-subj",
        "/CN=" + ServerNode.NAME);
    try (AgentNode untrusted =
        AgentNode.start(
            net,
            "host-c",
            "2",
            server,
            "alice",
            "tls",
            key,
            "--no-tunnel",
            "--ca-file",
            other.toString())) {
      var s =
          untrusted.awaitStatus(
              Duration.ofSeconds(60),
              "an untrusted chain",
              st -> st.diagnosis().stream().anyMatch(f -> f.kind().equals("tls-failure")));
      assertThat(s.lastError()).contains("does not chain to a trusted root").contains("--ca-file");
      assertThat(untrusted.log()).contains("trying again in");
    }
  }
}
