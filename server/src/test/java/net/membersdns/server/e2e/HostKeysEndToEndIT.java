package net.membersdns.server.e2e;

import static net.membersdns.server.e2e.UpdatesEndToEndIT.dig;
import static net.membersdns.server.e2e.UpdatesEndToEndIT.python;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.membersdns.protocol.tsig.KeyLine;
import net.membersdns.server.llq.PyLlqClient;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.testing.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-host keys end to end: the built server process on a real PostgreSQL, {@code host add} and
 * {@code host remove} run as commands while it serves, and clients nobody here wrote: nsupdate,
 * dnspython over TLS with an update lease (e2e/update.py), dig, and the dnspython LLQ client.
 */
class HostKeysEndToEndIT {
  static final Path WORK = Path.of("target", "e2e-hosts");
  static final String ZONE = "alice.members.example.";
  static final String BROWSE = "_autotunnel._udp." + ZONE;
  static TestDatabase db;
  static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Tool.present("nsupdate") && Tool.present("dig") && Tool.present("python3"));
    db = TestDatabase.create();
    ServerProcess.Result member = cli("member", "add", "alice");
    assertThat(member.exitCode()).as(member.output()).isZero();
    server = ServerProcess.start(WORK, List.of("--db-url", db.url()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (db != null) {
      db.close();
    }
  }

  static ServerProcess.Result cli(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--db-url", db.url()));
    return ServerProcess.run(WORK, all);
  }

  /** {@code host add alice HOST --key-file F} while the server runs; the key line from F. */
  static String hostAdd(String host) throws Exception {
    Path file = WORK.resolve(host + "-" + UUID.randomUUID() + ".key").toAbsolutePath();
    ServerProcess.Result r = cli("host", "add", "alice", host, "--key-file", file.toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    return KeyLine.parse(Files.readString(file)).format();
  }

  /** nsupdate signed with {@code key}: exit code, then its output (the reply, by "answer"). */
  static String nsupdate(String key, String... updates) throws Exception {
    Tool.Output out =
        Tool.nsupdate(
            key,
            server.dnsPort,
            "zone " + ZONE + "\nupdate " + String.join("\nupdate ", updates),
            false);
    return out.exitCode() + "\n" + out.stdout();
  }

  /** nsupdate once the new key has reached the server's keyring (the keys NOTIFY). */
  static String firstNsupdate(String key, String... updates) throws Exception {
    String[] last = new String[1];
    Await.until(
        java.time.Duration.ofMillis(3000),
        () -> {
          try {
            last[0] = nsupdate(key, updates);
            return !last[0].contains("BADKEY");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    return last[0];
  }

  static long serial() throws Exception {
    try (Connection c = DriverManager.getConnection(db.url());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT serial FROM zones WHERE apex = '" + ZONE + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aHostKeyWritesItsOwnNamesAndIsRefusedAnotherHostsWithNothingChanged() throws Exception {
    String mbp = hostAdd("mbp");
    assertThat(mbp).startsWith("hmac-sha256:mbp.alice.key.members.example.:");
    String added =
        firstNsupdate(
            mbp,
            "add mbp." + ZONE + " 120 IN AAAA fd12:3456:789a:1::1",
            "add " + BROWSE + " 120 IN PTR _autotunnel._udp.mbp." + ZONE);
    assertThat(added).startsWith("0\n").contains("status: NOERROR");
    assertThat(dig(server, "mbp." + ZONE, "AAAA")).isEqualTo("fd12:3456:789a:1::1");
    assertThat(dig(server, BROWSE, "PTR")).contains("_autotunnel._udp.mbp." + ZONE);

    // dnspython over DNS-over-TLS with an update lease (RFC 9664), as the host agent sends them.
    assertThat(
            python(
                server.tlsPort,
                "tls",
                "--zone",
                ZONE,
                "--key",
                mbp,
                "--lease",
                "3600",
                "--add",
                "_autotunnel._udp.mbp." + ZONE + " 120 SRV 0 0 4500 _autotunnel.mbp." + ZONE))
        .contains("\"rcode\": \"NOERROR\"")
        .contains("\"lease\": [3600]")
        .contains("\"signed\": true");
    assertThat(dig(server, "_autotunnel._udp.mbp." + ZONE, "SRV"))
        .isEqualTo("0 0 4500 _autotunnel.mbp." + ZONE);

    long serial = serial();
    String foreign =
        nsupdate(
            mbp,
            "add mbp." + ZONE + " 120 IN TXT \"mine\"",
            "add imac." + ZONE + " 120 IN AAAA fd12:3456:789a:1::4");
    assertThat(foreign).doesNotStartWith("0\n").contains("REFUSED");
    String wholeBrowseSet = nsupdate(mbp, "delete " + BROWSE + " PTR");
    assertThat(wholeBrowseSet).doesNotStartWith("0\n").contains("REFUSED");
    assertThat(dig(server, "imac." + ZONE, "AAAA")).isEmpty();
    assertThat(dig(server, "mbp." + ZONE, "TXT")).as("nothing of the update applied").isEmpty();
    assertThat(dig(server, BROWSE, "PTR")).contains("_autotunnel._udp.mbp." + ZONE);
    assertThat(serial()).isEqualTo(serial);
    assertThat(server.log())
        .contains(
            "REFUSED: key mbp.alice.key.members.example. of host mbp may not write imac." + ZONE);

    // Its own browse PTR, one RR (class NONE, RFC 2136 §2.5.4), it may delete.
    assertThat(nsupdate(mbp, "delete " + BROWSE + " IN PTR _autotunnel._udp.mbp." + ZONE))
        .startsWith("0\n")
        .contains("status: NOERROR");
    assertThat(dig(server, BROWSE, "PTR")).doesNotContain("_autotunnel._udp.mbp.");
  }

  @Test
  void hostRemoveRefusesTheKeyAtOnceWithdrawsItsRecordsAndTellsLlqSubscribers() throws Exception {
    String ipad = hostAdd("ipad");
    String mini = hostAdd("mini");
    assertThat(
            firstNsupdate(
                ipad,
                "add ipad." + ZONE + " 120 IN AAAA fd12:3456:789a:1::3",
                "add " + BROWSE + " 120 IN PTR _autotunnel._udp.ipad." + ZONE))
        .startsWith("0\n");
    assertThat(
            firstNsupdate(
                mini,
                "add mini." + ZONE + " 120 IN AAAA fd12:3456:789a:1::2",
                "add " + BROWSE + " 120 IN PTR _autotunnel._udp.mini." + ZONE))
        .startsWith("0\n");

    // The mini host's key reads the whole member zone: it watches the browse PTRs. The ipad
    // watches its own name with its own key, until that key goes.
    try (PyLlqClient watcher = new PyLlqClient("udp", server.dnsPort, mini, BROWSE, "PTR", 3600);
        PyLlqClient revoked =
            new PyLlqClient("tls", server.tlsPort, ipad, "ipad." + ZONE, "AAAA", 3600)) {
      assertThat(revoked.next("established", 10)).contains("fd12:3456:789a:1::3");
      assertThat(watcher.next("established", 10))
          .contains("_autotunnel._udp.ipad." + ZONE)
          .contains("_autotunnel._udp.mini." + ZONE);
      long serial = serial();

      ServerProcess.Result removed = cli("host", "remove", "alice", "ipad");
      assertThat(removed.exitCode()).as(removed.output()).isZero();
      assertThat(removed.output()).contains("removed: host ipad of alice").contains("2 record(s)");

      String event = watcher.next("event", 10);
      assertThat(event)
          .contains("\"rr\": \"_autotunnel._udp.ipad." + ZONE + "\"")
          .contains("\"ttl\": 4294967295")
          .doesNotContain("_autotunnel._udp.mini.");
      assertThat(serial()).isEqualTo(serial + 1);
      // The revoked key's LLQ ends with it, rather than living on until its lease runs out.
      Await.until(
          java.time.Duration.ofMillis(2000),
          () -> {
            try {
              return server
                  .http("/metrics")
                  .contains("dns_llq_deletions_total{reason=\"key-revoked\"} 1.0");
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    }

    Await.until(
        java.time.Duration.ofMillis(2000),
        () -> {
          try {
            return python(
                    server.dnsPort,
                    "udp",
                    "--zone",
                    ZONE,
                    "--key",
                    ipad,
                    "--add",
                    "ipad." + ZONE + " 120 A 192.0.2.3")
                .contains("\"tsig_error\": \"BADKEY\"");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(dig(server, "ipad." + ZONE, "AAAA")).isEmpty();
    assertThat(dig(server, "ipad." + ZONE, "A")).isEmpty();
    assertThat(dig(server, BROWSE, "PTR"))
        .doesNotContain("_autotunnel._udp.ipad.")
        .contains("_autotunnel._udp.mini." + ZONE);
    assertThat(dig(server, "mini." + ZONE, "AAAA")).isEqualTo("fd12:3456:789a:1::2");
    assertThat(cli("host", "list", "alice").output()).doesNotContain("ipad").contains("mini");
  }
}
