package net.membersdns.server.llq;

import static net.membersdns.server.llq.PyLlqClient.num;
import static net.membersdns.server.llq.PyLlqClient.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.testing.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LLQ events that do not come from the subscriber's own server's update path (issue 4): an update
 * made through another server process sharing the database, and a lease running out (the reaper's
 * removal, at the expiry: issue 9). Both servers run with 1–3 s update leases and the default
 * reaper interval (60 s), so only the expiry alarm can be in time.
 */
class LlqReplicaIT {
  private static final Path WORK = Path.of("target", "llq-replica-it");
  private static final String ZONE = "dana.members.example.";
  private static TestDatabase db;
  private static ServerProcess a;
  private static ServerProcess b;
  private static String secret;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Tool.present("python3") && Tool.present("nsupdate"), "python3, nsupdate needed");
    db = TestDatabase.create();
    Files.createDirectories(WORK);
    ServerProcess.Result r =
        ServerProcess.run(WORK, List.of("member", "add", "dana", "--db-url", db.url()));
    assertThat(r.exitCode()).as(r.output()).isZero();
    Matcher m = Pattern.compile("key: hmac-sha256:[^:]+:(\\S+)").matcher(r.output());
    assertThat(m.find()).as(r.output()).isTrue();
    secret = m.group(1);
    List<String> args =
        List.of(
            "--db-url", db.url(),
            "--lease-min", "1",
            "--lease-max", "3",
            "--llq-ack-timeout", "300");
    a = ServerProcess.start(WORK, args);
    b = ServerProcess.start(WORK, args);
  }

  @AfterAll
  static void stop() {
    for (ServerProcess s : new ServerProcess[] {a, b}) {
      if (s != null) {
        s.close();
      }
    }
    if (db != null) {
      db.close();
    }
  }

  private static String key() {
    return "hmac-sha256:dana.key.members.example.:" + secret;
  }

  /** A signed UPDATE through {@code server} (no lease option: the default lease, 3 s, applies). */
  private static void update(ServerProcess server, String line) throws Exception {
    Tool.Output out =
        Tool.nsupdate(
            "hmac-sha256:dana.key.members.example.:" + secret,
            server.dnsPort,
            "zone " + ZONE + "\n" + line,
            false);
    assertThat(out.exitCode()).as(out.stdout()).isZero();
  }

  @Test
  void updateThroughOneServerReachesASubscriberOfTheOtherAndTheLeaseRunsOut() throws Exception {
    String q = "mbp." + ZONE;
    try (PyLlqClient onB = new PyLlqClient("udp", b.dnsPort, key(), q, "AAAA", 3600)) {
      onB.next("established", 10);

      long t0 = System.nanoTime();
      update(a, "update add " + q + " 120 IN AAAA fd12:3456:789a:1::1");
      String added = onB.next("event", 10);
      assertThat(added)
          .contains("\"name\": \"" + q + "\"")
          .contains("\"rr\": \"fd12:3456:789a:1::1\"");
      assertThat(num(added, "ttl")).isEqualTo(120);
      // Issue 3/4: another replica applies a commit within a second (LISTEN/NOTIFY + journal).
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);

      // The record was granted a 3 s lease and nobody refreshes it: the reaper (on either
      // server) removes it through the writer path at its expiry, and B's subscriber is told
      // within about a second of it: within 5 s of the update, not at the next 60 s round.
      String expired = onB.next("event", 15);
      assertThat((System.nanoTime() - t0) / 1_000_000).as("remove event after").isLessThan(5_000);
      assertThat(expired).contains("\"rr\": \"fd12:3456:789a:1::1\"");
      assertThat(num(expired, "ttl")).isEqualTo(0xFFFF_FFFFL);
      assertThat(str(expired, "id")).isEqualTo(str(added, "id"));
    }
    assertThat(b.http("/metrics")).contains("dns_llq_events_total{transport=\"udp\"}");
    assertThat(a.http("/metrics") + b.http("/metrics"))
        .containsPattern("dns_lease_expired_total [1-9]");
  }
}
