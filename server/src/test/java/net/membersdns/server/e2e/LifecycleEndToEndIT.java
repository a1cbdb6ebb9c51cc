package net.membersdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.protocol.tsig.KeyLine;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.testing.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 10 end to end, on the server process as operators run it (JSON logs): audit lines of
 * updates and enrolments; SIGHUP reloads the TLS pair without dropping a connection; SIGTERM under
 * load drains (503 on /ready, every query and update still answered), stops cleanly, exits 0, and
 * every acknowledged update is in PostgreSQL. The tests run in order: the last one stops the
 * server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleEndToEndIT {
  static final Path WORK = Path.of("target", "e2e-lifecycle");
  static final Duration DRAIN = Duration.ofSeconds(3);
  static final Name ZONE = Name.fromConstantString("alice.members.example.");
  static TestDatabase db;
  static ServerProcess server;
  static KeyLine alice;
  static String aliceOutput;
  static Path cert;
  static Path key;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Tool.present("openssl"), "openssl (Debian: openssl) makes the TLS pairs");
    Files.createDirectories(WORK);
    cert = WORK.resolve("tls.crt").toAbsolutePath();
    key = WORK.resolve("tls.key").toAbsolutePath();
    makePair("one", cert, key);
    db = TestDatabase.create();
    ServerProcess.Result r =
        ServerProcess.run(
            WORK,
            List.of("member", "add", "alice", "--db-url", db.url()),
            Map.of("MEMBERSDNS_LOG_FORMAT", "json"));
    assertThat(r.exitCode()).as(r.output()).isZero();
    aliceOutput = r.output();
    alice = KeyLine.parse(aliceOutput.lines().filter(l -> l.startsWith("key: ")).findFirst().get());
    server =
        ServerProcess.start(
            WORK,
            List.of(
                "--db-url", db.url(),
                "--tls-cert", cert.toString(),
                "--tls-key", key.toString(),
                "--drain", String.valueOf(DRAIN.toSeconds()),
                "--tcp-idle-timeout", "120"),
            Map.of("MEMBERSDNS_LOG_FORMAT", "json"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (db != null) {
      db.close();
    }
  }

  /** A self-signed pair made by openssl, an independent tool, at {@code crt} and {@code pem}. */
  static void makePair(String cn, Path crt, Path pem) throws Exception {
    Path c = Files.createTempFile(WORK, cn, ".crt");
    Path k = Files.createTempFile(WORK, cn, ".key");
    Tool.Output out =
        Tool.run(
            List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + cn,
                "-keyout",
                k.toString(),
                "-out",
                c.toString()));
    assertThat(out.exitCode()).as(out.stdout()).isZero();
    // Renewals replace the files whole (certbot writes new ones and moves links), as here.
    Files.move(c, crt, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(k, pem, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static List<Map<String, Object>> jsonLines(String log) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : log.lines().toList()) {
      if (line.startsWith("{")) {
        out.add(new Yaml().load(line));
      }
    }
    return out;
  }

  static Message update(String name, int lease) throws Exception {
    Update u = new Update(ZONE);
    u.add(Name.fromString(name), Type.A, 60, "192.0.2.1");
    if (lease > 0) {
      u.addRecord(
          new OPTRecord(1232, 0, 0, 0, UpdateLeaseOption.of(lease).toOption()), Section.ADDITIONAL);
    }
    return u;
  }

  static SimpleResolver resolver(boolean tcp) throws Exception {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", server.dnsPort));
    r.setTCP(tcp);
    r.setTimeout(Duration.ofSeconds(3));
    r.setTSIGKey(new TSIG(alice.algorithm().wireName(), alice.name(), alice.secret()));
    return r;
  }

  @Test
  @Order(1)
  void updatesAndEnrolmentsAreAuditedAsJsonLinesWithoutSecrets() throws Exception {
    String secret = java.util.Base64.getEncoder().encodeToString(alice.secret());
    Map<String, Object> enrol =
        jsonLines(aliceOutput).stream()
            .filter(l -> "member.add".equals(l.get("event")))
            .findFirst()
            .orElseThrow();
    assertThat(enrol)
        .containsEntry("member", "alice")
        .containsEntry("zone", "alice.members.example.")
        .containsEntry("key", "alice.key.members.example.")
        .containsKey("by");

    Message ok = resolver(true).send(update("mbp.alice.members.example.", 3600));
    assertThat(ok.getRcode()).isEqualTo(Rcode.NOERROR);
    Update foreign = new Update(Name.fromString("bob.members.example."));
    foreign.add(Name.fromString("x.bob.members.example."), Type.A, 60, "192.0.2.2");
    assertThat(resolver(false).send(foreign).getRcode()).isIn(Rcode.REFUSED, Rcode.NOTAUTH);

    Await.until(
        Duration.ofSeconds(10),
        "audit lines of both updates",
        () ->
            jsonLines(server.log()).stream().filter(l -> "update".equals(l.get("event"))).count()
                >= 2);
    List<Map<String, Object>> updates =
        jsonLines(server.log()).stream().filter(l -> "update".equals(l.get("event"))).toList();
    assertThat(updates.get(0))
        .containsEntry("key", "alice.key.members.example.")
        .containsEntry("zone", "alice.members.example.")
        .containsEntry("rcode", "NOERROR")
        .containsEntry("tsig", "ok")
        .containsEntry("lease", 3600)
        .containsEntry("records", 1)
        .containsEntry("transport", "tcp")
        .containsEntry("peer", "127.0.0.1")
        .containsEntry("logger", "net.membersdns.server.audit");
    assertThat(updates.get(1))
        .containsEntry("zone", "bob.members.example.")
        .containsEntry("transport", "udp")
        .doesNotContainEntry("rcode", "NOERROR");

    // A member enrolled while serving: every server says which key it now accepts.
    ServerProcess.Result bob =
        ServerProcess.run(WORK, List.of("member", "add", "bob", "--db-url", db.url()));
    assertThat(bob.exitCode()).as(bob.output()).isZero();
    Await.until(
        Duration.ofSeconds(15),
        "key.accepted for bob",
        () ->
            jsonLines(server.log()).stream()
                .anyMatch(l ->
                    "key.accepted".equals(l.get("event"))
                        && "bob.key.members.example.".equals(l.get("key"))));
    assertThat(server.log()).doesNotContain(secret);
    assertThat(jsonLines(aliceOutput).toString()).doesNotContain(secret);
  }

  @Test
  @Order(2)
  void sighupReloadsTheCertificateWithoutDroppingConnections() throws Exception {
    try (SSLSocket before = tls()) {
      String first = fingerprint(before);
      assertThat(query(before).getRcode()).isEqualTo(Rcode.NOERROR);

      makePair("two", cert, key);
      server.signal("HUP");
      Await.until(
          Duration.ofSeconds(15),
          "a new TLS connection presents the renewed certificate",
          () -> {
            try (SSLSocket after = tls()) {
              return !fingerprint(after).equals(first);
            }
          });
      // The connection made before the reload still answers.
      assertThat(query(before).getRcode()).isEqualTo(Rcode.NOERROR);
    }
    assertThat(server.log()).contains("tls: reloaded");
    assertThat(server.alive()).isTrue();
  }

  @Test
  @Order(3)
  void sigtermUnderLoadDrainsAnswersEverythingUntilTheDrainEndsAndLosesNoAcknowledgedUpdate()
      throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<String> unverifiedResponses = new CopyOnWriteArrayList<>();
    List<Long> unansweredAt = new CopyOnWriteArrayList<>();
    List<Long> answeredAfterTerm = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    long[] term = {Long.MAX_VALUE};
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      int thread = t;
      load.add(
          Thread.ofPlatform()
              .start(() -> {
                for (int i = 0; running.get() && i < 100_000; i++) {
                  String name = "u" + thread + "-" + i + ".alice.members.example.";
                  try {
                    Message reply = resolver(thread == 0).send(update(name, 0));
                    if (!isResponse(reply)) {
                      continue; // our own request read back: not an answer (see isResponse)
                    }
                    if (!reply.isVerified()) {
                      unverifiedResponses.add(name + " " + Rcode.string(reply.getRcode()));
                    } else if (reply.getRcode() == Rcode.NOERROR) {
                      acknowledged.add(name);
                      if (System.nanoTime() > term[0]) {
                        answeredAfterTerm.add(System.nanoTime());
                      }
                    }
                  } catch (Exception e) {
                    if (!server.alive()) {
                      return;
                    }
                  }
                }
              }));
    }
    load.add(
        Thread.ofPlatform()
            .start(() -> {
              while (running.get()) {
                long sent = System.nanoTime();
                try {
                  Message q = Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN));
                  Message a = resolver(false).send(q);
                  if (!isResponse(a) || a.getRcode() != Rcode.NOERROR) {
                    unansweredAt.add(sent);
                  }
                } catch (Exception e) {
                  unansweredAt.add(sent);
                  if (!server.alive()) {
                    return;
                  }
                }
              }
            }));
    try (Socket idleTcp = new Socket("127.0.0.1", server.dnsPort);
        SSLSocket idleTls = tls()) {
      Await.until(Duration.ofSeconds(30), "updates flowing", () -> acknowledged.size() >= 20);
      term[0] = System.nanoTime();
      server.signal("TERM");
      Await.until(
          Duration.ofSeconds(2), "/ready answers 503", () -> server.httpStatus("/ready") == 503);
      assertThat(server.awaitExit(DRAIN.plusSeconds(30))).as(server.log()).isZero();
      running.set(false);
      for (Thread t : load) {
        t.join(10_000);
      }
      // Closed, not reset: the peer of an idle connection reads end-of-stream.
      idleTcp.setSoTimeout(5_000);
      assertThat(idleTcp.getInputStream().read()).isEqualTo(-1);
      idleTls.setSoTimeout(5_000);
      assertThat(idleTls.getInputStream().read()).isEqualTo(-1);
    }
    long drainEnd = term[0] + DRAIN.toNanos() - Duration.ofMillis(300).toNanos();
    assertThat(unansweredAt.stream().filter(t -> t < drainEnd).toList())
        .as("queries sent before the drain ended that went unanswered")
        .isEmpty();
    assertThat(answeredAfterTerm).as("updates acknowledged during the drain").isNotEmpty();
    Set<String> stored = ConcurrentHashMap.newKeySet();
    try (Connection c = DriverManager.getConnection(db.url());
        ResultSet rs = c.createStatement().executeQuery("SELECT owner FROM records")) {
      while (rs.next()) {
        stored.add(rs.getString(1));
      }
    }
    assertThat(unverifiedResponses)
        .as("responses to signed updates whose TSIG did not verify (RFC 8945 §5.3)")
        .isEmpty();
    assertThat(stored).containsAll(acknowledged);
    assertThat(server.log()).contains("lifecycle: draining").contains("membersdns stopped");
  }

  /**
   * Whether {@code m}, which dnsjava's SimpleResolver returned as the reply, is a response at all.
   * SimpleResolver matches a UDP reply to an UPDATE by ID and opcode only, never looks at QR, and
   * only logs a TSIG that does not verify. It sends each request from a socket bound to a random
   * port of 32768-60999 and connected to the server, and the server's port comes from the same
   * range: once the server has closed its UDP sockets, a request that happens to be sent from the
   * server's own port number is delivered to its own socket and read back as its "reply" (same ID,
   * opcode UPDATE, RCODE 0). The load threads send as fast as the ICMP errors come back until the
   * process exits, so on a loaded machine this happened in about one stop in five. Such a message
   * has QR clear and carries our request's TSIG, which does not verify as a response's: only a
   * verified response (RFC 8945 §5.3: its MAC covers the request's) counts as an answer here.
   */
  static boolean isResponse(Message m) {
    return m.getHeader().getFlag(Flags.QR);
  }

  // ---- DNS over TLS with a client that takes any certificate and shows which it got ----

  static SSLSocket tls() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.tlsPort);
    s.setSoTimeout(5_000);
    s.startHandshake();
    return s;
  }

  static String fingerprint(SSLSocket s) throws Exception {
    X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
  }

  /** One SOA query on an open stream (RFC 7766 framing). */
  static Message query(Socket s) throws IOException {
    byte[] q = Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN)).toWire();
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    out.writeShort(q.length);
    out.write(q);
    out.flush();
    DataInputStream in = new DataInputStream(s.getInputStream());
    byte[] a = new byte[in.readUnsignedShort()];
    in.readFully(a);
    return new Message(a);
  }

  static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
