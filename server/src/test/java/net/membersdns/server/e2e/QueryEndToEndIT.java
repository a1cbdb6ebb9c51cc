package net.membersdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.Dig;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user does with the built server (issue 2): enrol a member with the CLI while the server
 * runs, then query it with dig over UDP and TCP and kdig over TLS; garbage does not hurt it;
 * members survive a restart.
 */
class QueryEndToEndIT {
  private static TestDatabase db;
  @TempDir static Path work;

  @BeforeAll
  static void database() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  private static List<String> dbArgs() {
    return List.of("--db-url", db.url(), "--data-dir", work.resolve("data").toString());
  }

  private static ServerProcess.Result cli(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(dbArgs());
    return ServerProcess.run(work, all);
  }

  @Test
  void memberAddedWhileRunningIsServedOverUdpTcpAndTls() throws Exception {
    try (ServerProcess server = ServerProcess.start(work, dbArgs())) {
      // Issue 9: the warm-up the server runs on itself before it listens is not traffic, and the
      // build is named.
      String started = server.http("/metrics");
      assertThat(started).doesNotContain("dns_requests_seconds_count");
      assertThat(started)
          .containsPattern("(?m)^dns_build_info\\{java=\"\\d+\",version=\"[^\"]+\"} 1(\\.0)?$");
      assertThat(Dig.dig(server.dnsPort, "alice.members.example.", "SOA").status())
          .isEqualTo("NXDOMAIN");

      ServerProcess.Result add = cli("member", "add", "alice");
      assertThat(add.exitCode()).as(add.output()).isZero();
      assertThat(add.output())
          .containsPattern(
              "(?m)^key: hmac-sha256:alice\\.key\\.members\\.example\\.:[A-Za-z0-9+/=]{44}$");
      long added = System.nanoTime();

      Await.until(() -> status(server.dnsPort, "alice.members.example.").equals("NOERROR"));
      // Issue 2 §5: a new member is served within a second, without restart.
      assertThat((System.nanoTime() - added) / 1_000_000).isLessThan(1500);
      Dig.Answer soa = Dig.dig(server.dnsPort, "alice.members.example.", "SOA");
      assertThat(soa.status()).isEqualTo("NOERROR");
      assertThat(soa.aa()).isTrue();
      assertThat(soa.answer())
          .singleElement()
          .asString()
          .contains("IN SOA dns.members.example. hostmaster.members.example.");

      Dig.Answer tcp =
          Dig.dig(server.dnsPort, "_dns-update-tls._tcp.alice.members.example.", "SRV", "+tcp");
      assertThat(tcp.status()).isEqualTo("NOERROR");
      assertThat(tcp.answer())
          .containsExactly(
              "_dns-update-tls._tcp.alice.members.example. 7200 IN SRV 0 0 "
                  + server.tlsPort
                  + " dns.members.example.");

      Dig.Answer tls = Dig.kdigTls(server.tlsPort, "_dns-llq._udp.alice.members.example.", "SRV");
      assertThat(tls.status()).as(tls.raw()).isEqualTo("NOERROR");
      assertThat(tls.answer())
          .containsExactly(
              "_dns-llq._udp.alice.members.example. 7200 IN SRV 0 0 "
                  + server.dnsPort
                  + " dns.members.example.");

      assertThat(Dig.dig(server.dnsPort, "dns.members.example.", "A").answer())
          .containsExactly("dns.members.example. 3600 IN A 127.0.0.1");
      assertThat(Dig.dig(server.dnsPort, "nothing.alice.members.example.", "A").status())
          .isEqualTo("NXDOMAIN");
      assertThat(Dig.dig(server.dnsPort, "www.example.org.", "A").status()).isEqualTo("REFUSED");

      String metrics = server.http("/metrics");
      assertThat(metrics)
          .contains(
              "dns_requests_seconds_count{kind=\"query\",rcode=\"noerror\",transport=\"udp\"}");
      assertThat(metrics).contains("transport=\"tls\"");
      assertThat(metrics).contains("hikaricp_connections");
      assertThat(metrics).contains("dns_zones");

      ServerProcess.Result remove = cli("member", "remove", "alice");
      assertThat(remove.exitCode()).as(remove.output()).isZero();
      Await.until(() -> !status(server.dnsPort, "alice.members.example.").equals("NOERROR"));
      assertThat(Dig.dig(server.dnsPort, "alice.members.example.", "SOA").status())
          .isEqualTo("NXDOMAIN");
    }
  }

  @Test
  void garbageAndTruncatedPacketsDoNotHurtTheServer() throws Exception {
    try (ServerProcess server = ServerProcess.start(work, dbArgs())) {
      Random random = new Random(2136);
      try (DatagramSocket socket = new DatagramSocket()) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int i = 0; i < 500; i++) {
          byte[] junk = new byte[random.nextInt(600)];
          random.nextBytes(junk);
          socket.send(new DatagramPacket(junk, junk.length, lo, server.dnsPort));
        }
        // A valid query cut short at every length.
        byte[] q =
            java.util.HexFormat.of()
                .parseHex(
                    "abcd01000001000000000000036e737307616c69636507657861" + "6d706c650000010001");
        for (int len = 0; len < q.length; len++) {
          socket.send(new DatagramPacket(q, len, lo, server.dnsPort));
        }
      }
      for (int i = 0; i < 20; i++) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.dnsPort)) {
          OutputStream out = s.getOutputStream();
          byte[] junk = new byte[random.nextInt(300) + 2];
          random.nextBytes(junk);
          out.write(junk);
          out.flush();
        } catch (java.io.IOException closedByServer) {
          // the server may close on garbage framing: that is the right reaction
        }
      }
      assertThat(server.alive()).isTrue();
      // +tries=2: the flood may have filled the socket buffer and the kernel drops what does not
      // fit; the server must answer, not necessarily the first packet after a burst.
      Dig.Answer after = Dig.dig(server.dnsPort, "members.example.", "SOA", "+tries=2");
      assertThat(after.status()).as(after.raw() + server.log()).isEqualTo("NOERROR");
      assertThat(Dig.dig(server.dnsPort, "members.example.", "SOA", "+tcp").status())
          .isEqualTo("NOERROR");
      assertThat(server.http("/metrics")).contains("dns_requests_dropped_total");
    }
  }

  @Test
  void membersSurviveARestart() throws Exception {
    assertThat(cli("member", "add", "carol").exitCode()).isZero();
    try (ServerProcess first = ServerProcess.start(work, dbArgs())) {
      assertThat(Dig.dig(first.dnsPort, "carol.members.example.", "NS").status())
          .isEqualTo("NOERROR");
    }
    try (ServerProcess second = ServerProcess.start(work, dbArgs())) {
      assertThat(Dig.dig(second.dnsPort, "carol.members.example.", "NS").status())
          .isEqualTo("NOERROR");
    }
  }

  @Test
  void badConfigurationExitsTwoNamingTheOption() throws Exception {
    ServerProcess.Result bad =
        ServerProcess.run(work, List.of("serve", "--listen", "localhost:53x"));
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.output()).contains("--listen");
    ServerProcess.Result threads =
        ServerProcess.run(work, List.of("serve", "--threads", "-3", "--check-config"));
    assertThat(threads.exitCode()).isEqualTo(2);
    assertThat(threads.output()).contains("--threads");
    ServerProcess.Result ok = ServerProcess.run(work, List.of("serve", "--check-config"));
    assertThat(ok.exitCode()).as(ok.output()).isZero();
  }

  /** The RCODE of an SOA query for {@code zone}, or the failure's text. */
  private static String status(int port, String zone) {
    try {
      return Dig.dig(port, zone, "SOA").status();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
