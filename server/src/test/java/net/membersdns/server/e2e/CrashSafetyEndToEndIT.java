package net.membersdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.membersdns.protocol.tsig.KeyLine;
import net.membersdns.server.llq.PyLlqClient;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.testing.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Crash safety (architecture.md, Invariants 1): the server process killed with SIGKILL in the
 * middle of an update load loses no acknowledged update, because the reply follows the commit; and
 * a replacement started on the same database serves every one of them and pushes new changes to its
 * LLQ subscribers (python3-dnspython, e2e/llq_client.py).
 */
class CrashSafetyEndToEndIT {
  static final Path WORK = Path.of("target", "e2e-crash");
  static final Name ZONE = Name.fromConstantString("alice.members.example.");
  static TestDatabase db;
  static ServerProcess server;
  static ServerProcess replacement;
  static String aliceLine;
  static KeyLine alice;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        Tool.present("nsupdate") && Tool.present("python3"),
        "nsupdate (Debian: bind9-dnsutils) and python3-dnspython");
    db = TestDatabase.create();
    ServerProcess.Result r =
        ServerProcess.run(WORK, List.of("member", "add", "alice", "--db-url", db.url()));
    assertThat(r.exitCode()).as(r.output()).isZero();
    aliceLine = r.keyLine();
    alice = KeyLine.parse(aliceLine);
    server = ServerProcess.start(WORK, List.of("--db-url", db.url()));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {server, replacement, db}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  static SimpleResolver resolver(ServerProcess s, boolean tcp, boolean signed) throws Exception {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", s.dnsPort));
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(3));
    if (signed) {
      r.setTSIGKey(new TSIG(alice.algorithm().wireName(), alice.name(), alice.secret()));
    }
    return r;
  }

  /**
   * Whether {@code reply} acknowledges the update: a response (QR set; see LifecycleEndToEndIT
   * #isResponse for the request a dying server's port can echo back) whose TSIG verified as the
   * answer to ours (RFC 8945 §5.3), NOERROR.
   */
  static boolean acknowledges(Message reply) {
    return reply.getHeader().getFlag(Flags.QR)
        && reply.isVerified()
        && reply.getRcode() == Rcode.NOERROR;
  }

  @Test
  void sigkillMidLoadLosesNoAcknowledgedUpdateAndTheReplacementServesAndPushes() throws Exception {
    assertThat(server.commandLine()).as("the JVM itself, not a shell").contains("java");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger sent = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int client = t;
      clients.add(
          Thread.ofPlatform()
              .start(() -> {
                for (int i = 0; running.get(); i++) {
                  String name = "c" + client + "-" + i + "." + ZONE;
                  try {
                    Update u = new Update(ZONE);
                    u.add(Name.fromString(name), Type.A, 60, "192.0.2." + (1 + client));
                    sent.incrementAndGet();
                    if (acknowledges(resolver(server, client % 2 == 1, true).send(u))) {
                      acknowledged.add(name);
                    }
                  } catch (Exception e) {
                    // unanswered: not acknowledged (a dead server answers nothing)
                  }
                }
              }));
    }
    Await.until(Duration.ofSeconds(60), "updates flowing", () -> acknowledged.size() >= 200);
    int exit = server.kill();
    running.set(false);
    for (Thread t : clients) {
      t.join(10_000);
    }
    assertThat(exit).as("killed by SIGKILL (128 + 9)").isEqualTo(137);
    System.out.printf(
        "crash: %d updates sent, %d acknowledged before SIGKILL%n",
        sent.get(), acknowledged.size());
    assertThat(sent.get()).as("updates were in flight").isGreaterThan(acknowledged.size());

    Set<String> stored = new HashSet<>();
    try (Connection c = DriverManager.getConnection(db.url());
        ResultSet rs = c.createStatement().executeQuery("SELECT owner FROM records")) {
      while (rs.next()) {
        stored.add(rs.getString(1));
      }
    }
    assertThat(stored).as("every acknowledged update is committed").containsAll(acknowledged);

    replacement = ServerProcess.start(WORK, List.of("--db-url", db.url()));
    SimpleResolver query = resolver(replacement, true, false);
    List<String> missing = new ArrayList<>();
    for (String name : acknowledged) {
      Message a =
          query.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
      if (a.getRcode() != Rcode.NOERROR || a.getSection(Section.ANSWER).isEmpty()) {
        missing.add(name + " " + Rcode.string(a.getRcode()));
      }
    }
    assertThat(missing).as("acknowledged updates the replacement does not serve").isEmpty();

    // An LLQ on the replacement starts from the database's state and hears of new changes.
    String watched = acknowledged.iterator().next();
    try (PyLlqClient llq =
        new PyLlqClient("udp", replacement.dnsPort, aliceLine, watched, "A", 3600)) {
      assertThat(llq.next("established", 10)).contains("192.0.2.");
      Tool.Output out =
          Tool.nsupdate(
              aliceLine,
              replacement.dnsPort,
              "zone " + ZONE + "\nupdate add " + watched + " 60 A 198.51.100.7",
              false);
      assertThat(out.stdout()).contains("status: NOERROR");
      assertThat(llq.next("event", 10)).contains("198.51.100.7");
    }
  }
}
