package net.membersdns.server.llq;

import static net.membersdns.server.llq.PyLlqClient.bool;
import static net.membersdns.server.llq.PyLlqClient.num;
import static net.membersdns.server.llq.PyLlqClient.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.Dig;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.testing.Tool;
import net.membersdns.server.testing.Zones;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;

/**
 * LLQ end to end: the built server process, a real PostgreSQL, members enrolled with the CLI, and
 * python3-dnspython (e2e/llq_client.py) and kdig as independent clients. Changes are real commits:
 * rows written in one transaction with a generation bump and the NOTIFY, as a writer does; the
 * change feed reloads the zone and the diff reaches the notifier.
 */
class LlqIT {
  private static final Path WORK = Path.of("target", "llq-it");
  private static TestDatabase db;
  private static ServerProcess server;
  private static String aliceKey; // ALGORITHM:KEYNAME:SECRET, the key line
  private static String aliceSecret;
  private static final java.util.Map<String, String> SECRETS =
      new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Tool.present("python3") && Tool.present("kdig"), "python3 and kdig needed");
    db = TestDatabase.create();
    Files.createDirectories(WORK);
    aliceSecret = enrol("alice");
    aliceKey = "hmac-sha256:alice.key.members.example.:" + aliceSecret;
    server =
        ServerProcess.start(
            WORK, List.of("--db-url", db.url(), "--llq-ack-timeout", "300", "--threads", "2"));
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

  /** {@code member add NAME}; returns the key's secret. */
  private static String enrol(String member) throws Exception {
    ServerProcess.Result r =
        ServerProcess.run(WORK, List.of("member", "add", member, "--db-url", db.url()));
    assertThat(r.exitCode()).as(r.output()).isZero();
    Matcher m = Pattern.compile("key: hmac-sha256:[^:]+:(\\S+)").matcher(r.output());
    assertThat(m.find()).as(r.output()).isTrue();
    SECRETS.put(member, m.group(1));
    return m.group(1);
  }

  /**
   * Adds or deletes {@code rr} in zone {@code apex} the way a host does: a TSIG-signed DNS UPDATE
   * sent by nsupdate through the server, so the event comes from the real commit path.
   */
  private static void commit(String apex, String rr, boolean add) throws Exception {
    Record r = Zones.records(apex, rr).get(0);
    String member = apex.substring(0, apex.indexOf('.'));
    String secret = SECRETS.get(member);
    assertThat(secret).as("key of " + member).isNotNull();
    Tool.Output out =
        Tool.nsupdate(
            "hmac-sha256:" + member + ".key.members.example.:" + secret,
            server.dnsPort,
            "zone " + apex + "\nupdate " + (add ? "add " : "delete ") + r,
            false);
    assertThat(out.exitCode()).as(out.stdout()).isZero();
  }

  private static String metrics() throws Exception {
    return server.http("/metrics");
  }

  @Test
  void udpFourWayThenEventsForAnAddAndADeleteAckedThenRefreshAndCancel() throws Exception {
    String q = "_rfb._tcp.alice.members.example.";
    try (PyLlqClient c = new PyLlqClient("udp", server.dnsPort, aliceKey, q, "PTR", 7200)) {
      String challenge = c.next("challenge", 10);
      assertThat(num(challenge, "error")).isZero();
      assertThat(num(challenge, "answers")).isZero();
      assertThat(bool(challenge, "signed")).isTrue();
      String est = c.next("established", 10);
      assertThat(str(est, "id")).isEqualTo(str(challenge, "id"));
      assertThat(num(est, "lease")).isEqualTo(7200);
      assertThat(bool(est, "signed")).isTrue();

      commit("alice.members.example.", q + " 120 IN PTR mbp." + q, true);
      String added = c.next("event", 15);
      assertThat(num(added, "opcode")).isEqualTo(3);
      assertThat(str(added, "id")).isEqualTo(str(est, "id"));
      assertThat(added).contains("\"rr\": \"mbp._rfb._tcp.alice.members.example.\"");
      assertThat(num(added, "ttl")).isEqualTo(120);
      assertThat(bool(added, "signed")).isTrue(); // and dnspython verified the TSIG
      assertThat(num(added, "lease")).isBetween(7100L, 7200L);

      commit("alice.members.example.", q + " 120 IN PTR mbp." + q, false);
      String removed = c.next("event", 15);
      assertThat(num(removed, "ttl")).isEqualTo(0xFFFF_FFFFL);
      assertThat(num(removed, "dns_id")).isNotEqualTo(num(added, "dns_id"));

      c.command("refresh 3600");
      String refreshed = c.next("refresh", 10);
      assertThat(num(refreshed, "opcode")).isEqualTo(2);
      assertThat(num(refreshed, "error")).isZero();
      assertThat(num(refreshed, "lease")).isEqualTo(3600);
      assertThat(num(refreshed, "answers")).isZero();

      c.command("refresh 0");
      assertThat(num(c.next("refresh", 10), "lease")).isZero();
      c.command("refresh 3600");
      assertThat(num(c.next("refresh", 10), "error")).isEqualTo(4); // NO-SUCH-LLQ
    }
    String m = metrics();
    assertThat(m).contains("dns_llq_events_total{transport=\"udp\"}");
    assertThat(m).contains("dns_llq_deletions_total{reason=\"cancel\"}");
    assertThat(m).contains("dns_llq_push_latency_seconds_bucket");
    assertThat(m).contains("dns_llq_sessions{state=\"established\"}");
  }

  @Test
  void tlsTwoMessageSetupAndEventsOnTheConnection() throws Exception {
    String q = "_ssh._tcp.alice.members.example.";
    commit("alice.members.example.", q + " 120 IN PTR old." + q, true); // served when answered
    try (PyLlqClient c = new PyLlqClient("tls", server.tlsPort, aliceKey, q, "PTR", 7200)) {
      String est = c.next("established", 10);
      assertThat(num(est, "error")).isZero();
      assertThat(str(est, "id")).isNotEqualTo("0000000000000000");
      assertThat(est).contains("old._ssh._tcp.alice.members.example.");
      assertThat(bool(est, "signed")).isTrue();
      commit("alice.members.example.", q + " 120 IN PTR new." + q, true);
      String event = c.next("event", 15);
      assertThat(event).contains("new._ssh._tcp.alice.members.example.");
      assertThat(bool(event, "acked")).isFalse(); // no acks on streams
      c.command("refresh 1800");
      assertThat(num(c.next("refresh", 10), "lease")).isEqualTo(1800);
      c.none("event", 1500); // and no retransmission of the unacknowledged stream event
    }
  }

  @Test
  void withheldAcksGetThreeTransmissionsThenTheLlqIsDeleted() throws Exception {
    String q = "_smb._tcp.alice.members.example.";
    try (PyLlqClient c = new PyLlqClient("udp", server.dnsPort, aliceKey, q, "PTR", 7200)) {
      c.next("established", 10);
      c.command("ack off");
      c.next("ack", 5);
      commit("alice.members.example.", q + " 120 IN PTR nas." + q, true);
      String first = c.next("event", 15);
      String second = c.next("event", 5);
      String third = c.next("event", 5);
      assertThat(num(second, "dns_id")).isEqualTo(num(first, "dns_id"));
      assertThat(num(third, "dns_id")).isEqualTo(num(first, "dns_id"));
      c.none("event", 2500); // 300 + 600 + 1200 ms: given up
      c.command("refresh 3600");
      assertThat(num(c.next("refresh", 10), "error")).isEqualTo(4);
    }
    assertThat(metrics()).contains("dns_llq_deletions_total{reason=\"unacknowledged\"}");
    assertThat(metrics()).containsPattern("dns_llq_retransmits_total [2-9]");
  }

  @Test
  void removingAMemberSendsTheRemovalsThenEndsItsLlqs() throws Exception {
    String secret = enrol("bob");
    // The feed reloads keys, then the zone, from the notifications of the one enrolment commit.
    Await.until(() -> {
      try {
        return Dig.dig(server.dnsPort, "bob.members.example.", "SOA").status().equals("NOERROR");
      } catch (Exception e) {
        return false;
      }
    });
    String q = "mbp.bob.members.example.";
    commit("bob.members.example.", q + " 60 IN AAAA fd00::1", true);
    try (PyLlqClient c =
        new PyLlqClient(
            "udp",
            server.dnsPort,
            "hmac-sha256:bob.key.members.example.:" + secret,
            q,
            "AAAA",
            7200)) {
      assertThat(c.next("established", 10)).contains("fd00::1");
      ServerProcess.Result r =
          ServerProcess.run(WORK, List.of("member", "remove", "bob", "--db-url", db.url()));
      assertThat(r.exitCode()).as(r.output()).isZero();
      String event = c.next("event", 15);
      assertThat(event).contains("fd00::1");
      assertThat(num(event, "ttl")).isEqualTo(0xFFFF_FFFFL);
    }
  }

  @Test
  void kdigRawSetupIsChallengedAndUnsignedIsRefused() throws Exception {
    String opt = "+ednsopt=1:000100010000000000000000000000001c20";
    Tool.Output signed =
        Tool.run(
            List.of(
                "kdig",
                "@127.0.0.1",
                "-p",
                Integer.toString(server.dnsPort),
                "+nordflag",
                "+noadflag",
                "-y",
                "hmac-sha256:alice.key.members.example.:" + aliceSecret,
                opt,
                "_afp._tcp.alice.members.example.",
                "PTR"));
    assertThat(signed.stdout()).contains("status: NOERROR");
    // kdig prints the LLQ option raw; a challenge has opcode 1, error 0, a
    // fresh ID and the granted lease 7200 (0x1c20). kdig also checked the reply's TSIG.
    assertThat(signed.stdout()).containsPattern("Option \\(1\\): 000100010000[0-9A-F]{16}00001C20");
    assertThat(signed.stdout()).doesNotContain("0000000000000000" + "00001C20");
    Tool.Output unsigned =
        Tool.run(
            List.of(
                "kdig",
                "@127.0.0.1",
                "-p",
                Integer.toString(server.dnsPort),
                "+nordflag",
                "+noadflag",
                opt,
                "_afp._tcp.alice.members.example.",
                "PTR"));
    assertThat(unsigned.stdout()).contains("status: REFUSED");
  }
}
