package net.membersdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.testing.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Replayed updates end to end (RFC 8945 §5.2.3 accepts them within the fudge; we refuse them): two
 * server processes on one PostgreSQL, a signed UPDATE captured as dnspython sent it
 * (e2e/replay.py), and those exact bytes sent again over UDP, over TCP, to the other process, and
 * with a new message ID; the owner's delete (nsupdate) is never undone, every replay is REFUSED,
 * signed, with Extended DNS Error 0 and the reason. The same bytes retransmitted while nothing
 * changed (a lost reply) get the first answer, and are applied once.
 */
class ReplayEndToEndIT {
  static final Path WORK = Path.of("target", "e2e-replay");
  static final String ZONE = "alice.members.example.";
  static final String REPLAYED = "replayed update: its TSIG signature was used before";
  static TestDatabase db;
  static ServerProcess one;
  static ServerProcess two;
  static String alice;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        Tool.present("nsupdate") && Tool.present("dig") && Tool.present("python3"),
        "nsupdate, dig (Debian: bind9-dnsutils) and python3-dnspython");
    db = TestDatabase.create();
    ServerProcess.Result r =
        ServerProcess.run(WORK, List.of("member", "add", "alice", "--db-url", db.url()));
    assertThat(r.exitCode()).as(r.output()).isZero();
    alice = r.keyLine();
    one = ServerProcess.start(WORK, List.of("--db-url", db.url()));
    two = ServerProcess.start(WORK, List.of("--db-url", db.url()));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {one, two, db}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  /** Runs e2e/replay.py; returns its JSON line as a map. */
  static Map<String, Object> replayPy(String... args) throws Exception {
    String script =
        Path.of(ReplayEndToEndIT.class.getResource("/e2e/replay.py").toURI()).toString();
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script));
    cmd.addAll(List.of(args));
    Tool.Output out = Tool.run(cmd);
    assertThat(out.exitCode()).as(out.stdout()).isZero();
    return new Yaml().load(out.stdout().strip());
  }

  /** A signed update adding NAME A 192.0.2.1, as dnspython put it on the wire. */
  static String capture(String label) throws Exception {
    return (String)
        replayPy(
                "capture",
                "--zone",
                ZONE,
                "--key",
                alice,
                "--add",
                label + "." + ZONE + " 60 A 192.0.2.1")
            .get("wire");
  }

  static Map<String, Object> send(ServerProcess s, String transport, String wire, Integer id)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "send",
                "--port",
                String.valueOf(s.dnsPort),
                "--transport",
                transport,
                "--key",
                alice,
                "--wire",
                wire));
    if (id != null) {
      args.addAll(List.of("--id", String.valueOf(id)));
    }
    Map<String, Object> out = replayPy(args.toArray(String[]::new));
    assertThat(out.get("error")).as(out.toString()).isNull();
    return out;
  }

  static void assertAccepted(Map<String, Object> reply) {
    assertThat(reply)
        .as(reply.toString())
        .containsEntry("rcode", "NOERROR")
        .containsEntry("verified", true)
        .containsEntry("lease", List.of(3600));
  }

  /** REFUSED, signed with a MAC dnspython verified, Extended DNS Error 0 with the reason. */
  static void assertRefusedAsReplay(Map<String, Object> reply) {
    assertThat(reply)
        .as(reply.toString())
        .containsEntry("rcode", "REFUSED")
        .containsEntry("verified", true)
        .containsEntry("ede", List.of(List.of(0, REPLAYED)));
  }

  static void delete(ServerProcess s, String label, boolean tcp) throws Exception {
    Tool.Output out =
        Tool.nsupdate(
            alice, s.dnsPort, "zone " + ZONE + "\nupdate delete " + label + "." + ZONE + " A", tcp);
    assertThat(out.stdout()).as(out.stdout()).contains("status: NOERROR");
  }

  static String dig(ServerProcess s, String label) throws Exception {
    return Tool.run(
            List.of(
                "dig",
                "@127.0.0.1",
                "-p",
                String.valueOf(s.dnsPort),
                "+norecurse",
                "+short",
                label + "." + ZONE,
                "A"))
        .stdout()
        .strip();
  }

  static double counter(ServerProcess s, String name) throws Exception {
    Matcher m =
        Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+]+)$")
            .matcher(s.http("/metrics"));
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static long sql(String query) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Waits until {@code s} serves {@code label} as {@code expected} (the feed: within a second). */
  static void awaitServed(ServerProcess s, String label, String expected) throws Exception {
    Await.until(
        Duration.ofSeconds(10), label + " on " + s.dnsPort, () -> dig(s, label).equals(expected));
  }

  @Test
  void aCapturedUpdateReplayedOverUdpAfterTheOwnersDeleteIsRefused() throws Exception {
    String u = capture("udp");
    assertAccepted(send(one, "udp", u, null));
    assertThat(dig(one, "udp")).isEqualTo("192.0.2.1");
    delete(one, "udp", false);
    double before = counter(one, "dns_update_replays_total");

    assertRefusedAsReplay(send(one, "udp", u, null));
    assertThat(dig(one, "udp")).as("the delete is not undone").isEmpty();
    assertThat(counter(one, "dns_update_replays_total")).isEqualTo(before + 1);
  }

  @Test
  void aCapturedUpdateReplayedOverTcpAfterTheOwnersDeleteIsRefused() throws Exception {
    String u = capture("tcp");
    assertAccepted(send(one, "tcp", u, null));
    delete(one, "tcp", true);

    assertRefusedAsReplay(send(one, "tcp", u, null));
    assertRefusedAsReplay(send(one, "udp", u, null));
    assertThat(dig(one, "tcp")).isEmpty();
  }

  @Test
  void theOtherProcessOnTheDatabaseRefusesTheReplayToo() throws Exception {
    String u = capture("other");
    assertAccepted(send(one, "udp", u, null));
    awaitServed(two, "other", "192.0.2.1");
    // The second process never saw it: no answer of its own, the store refuses it.
    double before = counter(two, "dns_update_replays_total");
    assertRefusedAsReplay(send(two, "udp", u, null));
    assertThat(counter(two, "dns_update_replays_total")).isEqualTo(before + 1);

    delete(two, "other", false);
    awaitServed(one, "other", "");
    assertRefusedAsReplay(send(two, "tcp", u, null));
    assertRefusedAsReplay(send(one, "udp", u, null));
    assertThat(dig(one, "other")).isEmpty();
    assertThat(dig(two, "other")).isEmpty();
  }

  @Test
  void aNewMessageIdKeepsTheMacValidAndIsRefusedAsAReplay() throws Exception {
    String u = capture("newid");
    int id = Integer.parseInt(u.substring(0, 4), 16);
    int other = (id + 1) & 0xFFFF;
    assertAccepted(send(one, "udp", u, null));
    delete(one, "newid", false);

    Map<String, Object> reply = send(one, "udp", u, other);
    // Signed and verified: the changed ID did not break the MAC (RFC 8945 §4.3.1), so only the
    // record of used signatures stops it.
    assertRefusedAsReplay(reply);
    assertThat(reply).containsEntry("id", other);
    assertRefusedAsReplay(send(two, "tcp", u, (id + 2) & 0xFFFF));
    assertThat(dig(one, "newid")).isEmpty();
  }

  @Test
  void aRetransmissionOfALostReplyGetsTheFirstAnswerAndIsAppliedOnce() throws Exception {
    String u = capture("retry");
    double before = counter(one, "dns_update_retransmissions_total");
    assertAccepted(send(one, "udp", u, null));
    assertAccepted(send(one, "udp", u, null)); // the client did not get the first reply
    assertAccepted(send(one, "tcp", u, null)); // nor the second: it tries TCP
    assertThat(counter(one, "dns_update_retransmissions_total")).isEqualTo(before + 2);
    assertThat(dig(one, "retry")).isEqualTo("192.0.2.1");
    assertThat(sql("SELECT count(*) FROM zone_changes WHERE added LIKE '%retry." + ZONE + "%'"))
        .as("one commit")
        .isEqualTo(1);
    assertThat(sql("SELECT count(*) FROM update_signatures")).isPositive();
  }
}
