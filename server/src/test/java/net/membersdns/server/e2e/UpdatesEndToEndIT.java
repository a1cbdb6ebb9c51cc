package net.membersdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.testing.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 end to end: the server process with leases of 1..3600 s and a half-second reaper, three
 * members (alice and bob with hmac-sha256, carol with hmac-md5), updated by nsupdate and dnspython
 * over UDP, TCP and TLS, checked with dig and in PostgreSQL.
 */
class UpdatesEndToEndIT {
  static final Path WORK = Path.of("target", "e2e-updates");
  static TestDatabase db;
  static ServerProcess server;
  static String alice;
  static String bob;
  static String carol;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Tool.present("nsupdate") && Tool.present("dig") && Tool.present("python3"));
    db = TestDatabase.create();
    alice = enrol("alice", "hmac-sha256");
    bob = enrol("bob", "hmac-sha256");
    carol = enrol("carol", "hmac-md5");
    server = startServer();
  }

  static ServerProcess startServer() throws Exception {
    return ServerProcess.start(
        WORK,
        List.of(
            "--db-url",
            db.url(),
            "--lease-min",
            "1",
            "--lease-max",
            "3600",
            "--reaper-interval",
            "0.5"));
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

  static String enrol(String member, String algorithm) throws Exception {
    ServerProcess.Result r = cli("member", "add", member, "--algorithm", algorithm);
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.keyLine();
  }

  static ServerProcess.Result cli(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--db-url", db.url()));
    return ServerProcess.run(WORK, all);
  }

  static String dig(ServerProcess s, String name, String type) throws Exception {
    return Tool.run(
            List.of(
                "dig",
                "@127.0.0.1",
                "-p",
                String.valueOf(s.dnsPort),
                "+norecurse",
                "+short",
                name,
                type))
        .stdout()
        .strip();
  }

  static String nsupdate(String key, String commands, boolean tcp) throws Exception {
    Tool.Output out = Tool.nsupdate(key, server.dnsPort, commands, tcp);
    return out.exitCode() + "\n" + out.stdout();
  }

  /** Runs e2e/update.py and returns its one-line JSON. */
  static String python(int port, String transport, String... args) throws Exception {
    String script =
        Path.of(UpdatesEndToEndIT.class.getResource("/e2e/update.py").toURI()).toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/python3",
                script,
                "--port",
                String.valueOf(port),
                "--transport",
                transport));
    cmd.addAll(List.of(args));
    return Tool.run(cmd).stdout().strip();
  }

  static long sql(String query) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void nsupdateAddsAndDeletesWithPrerequisitesOverUdpAndTcp() throws Exception {
    String z = "alice.members.example.";
    String add =
        nsupdate(
            alice,
            "zone "
                + z
                + "\nprereq nxdomain web."
                + z
                + "\nupdate add web."
                + z
                + " 300 IN A 192.0.2.80\nupdate add web."
                + z
                + " 300 IN TXT \"v=1\"",
            false);
    assertThat(add).startsWith("0\n").contains("status: NOERROR").contains("TSIG");
    assertThat(dig(server, "web." + z, "A")).isEqualTo("192.0.2.80");

    String again =
        nsupdate(
            alice,
            "zone "
                + z
                + "\nprereq nxdomain web."
                + z
                + "\nupdate add web."
                + z
                + " 300 IN A 192.0.2.81",
            true);
    assertThat(again).doesNotStartWith("0\n").contains("YXDOMAIN");
    assertThat(dig(server, "web." + z, "A")).isEqualTo("192.0.2.80");

    String wrongSet =
        nsupdate(
            alice,
            "zone "
                + z
                + "\nprereq yxrrset web."
                + z
                + " IN A 192.0.2.99\nupdate delete web."
                + z
                + " A",
            false);
    assertThat(wrongSet).contains("NXRRSET");

    String delete =
        nsupdate(
            alice,
            "zone "
                + z
                + "\nprereq yxrrset web."
                + z
                + " IN A 192.0.2.80\nupdate delete web."
                + z
                + " A",
            true);
    assertThat(delete).startsWith("0\n").contains("status: NOERROR");
    assertThat(dig(server, "web." + z, "A")).isEmpty();
    assertThat(dig(server, "web." + z, "TXT")).isEqualTo("\"v=1\"");
    // nsupdate sends no lease option: the default lease (--lease-max) applies.
    assertThat(
            sql(
                "SELECT count(*) FROM records WHERE owner = 'web."
                    + z
                    + "' AND lease_expires > now() + interval '3500 seconds'"))
        .isEqualTo(1);
    ServerProcess.Result records = cli("records", "alice");
    assertThat(records.output())
        .containsPattern(
            "web\\.alice\\.members\\.example\\.\\t300\\tIN\\tTXT\\t\"?v=1\"?\\t; expires 20");
  }

  @Test
  void dnspythonLeasedUpdatesOverUdpTcpAndTls() throws Exception {
    String z = "alice.members.example.";
    for (String t : List.of("udp", "tcp", "tls")) {
      int port = t.equals("tls") ? server.tlsPort : server.dnsPort;
      String out =
          python(
              port,
              t,
              "--zone",
              z,
              "--key",
              alice,
              "--lease",
              "7200",
              "--replace",
              "host-" + t + "." + z + " 120 AAAA fd12:3456:789a:1::1");
      assertThat(out)
          .as(t)
          .contains("\"rcode\": \"NOERROR\"")
          .contains("\"lease\": [3600]")
          .contains("\"signed\": true");
      assertThat(dig(server, "host-" + t + "." + z, "AAAA")).isEqualTo("fd12:3456:789a:1::1");
    }
    // 8-byte form: LEASE and KEY-LEASE both clamped and echoed.
    assertThat(
            python(
                server.dnsPort,
                "udp",
                "--zone",
                z,
                "--key",
                alice,
                "--lease",
                "9999",
                "--key-lease",
                "5",
                "--add",
                "k." + z + " 120 A 192.0.2.7"))
        .contains("\"lease\": [3600, 5]");
  }

  @Test
  void negativeTsigMatrixAndMd5() throws Exception {
    String z = "alice.members.example.";
    String add = "--add";
    String rr = "neg." + z + " 120 A 192.0.2.1";
    String secret = alice.substring(alice.lastIndexOf(':') + 1);
    assertThat(python(server.dnsPort, "udp", "--zone", z, add, rr))
        .contains("\"rcode\": \"REFUSED\"");
    assertThat(
            python(
                server.dnsPort,
                "udp",
                "--zone",
                z,
                "--key",
                "hmac-sha256:nobody.key.members.example.:" + secret,
                add,
                rr))
        .contains("\"rcode\": \"NOTAUTH\"")
        .contains("\"tsig_error\": \"BADKEY\"");
    assertThat(
            python(
                server.dnsPort,
                "tcp",
                "--zone",
                z,
                "--key",
                "hmac-sha256:alice.key.members.example.:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                add,
                rr))
        .contains("\"tsig_error\": \"BADSIG\"");
    assertThat(
            python(
                server.dnsPort,
                "udp",
                "--zone",
                z,
                "--key",
                alice,
                "--time-offset",
                "-1000",
                add,
                rr))
        .contains("\"tsig_error\": \"BADTIME\"");
    assertThat(python(server.dnsPort, "udp", "--zone", z, "--key", bob, add, rr))
        .contains("\"rcode\": \"REFUSED\"");
    assertThat(dig(server, "neg." + z, "A")).isEmpty();

    String c = "carol.members.example.";
    assertThat(
            python(
                server.tlsPort,
                "tls",
                "--zone",
                c,
                "--key",
                carol,
                "--lease",
                "3600",
                add,
                "mac." + c + " 120 A 192.0.2.2"))
        .contains("\"rcode\": \"NOERROR\"")
        .contains("\"signed\": true");
    assertThat(dig(server, "mac." + c, "A")).isEqualTo("192.0.2.2");
  }

  @Test
  void aShortLeaseRecordDisappears() throws Exception {
    String z = "bob.members.example.";
    assertThat(
            python(
                server.dnsPort,
                "udp",
                "--zone",
                z,
                "--key",
                bob,
                "--lease",
                "2",
                "--add",
                "brief." + z + " 60 A 192.0.2.3"))
        .contains("\"lease\": [2]");
    assertThat(dig(server, "brief." + z, "A")).isEqualTo("192.0.2.3");
    long t0 = System.currentTimeMillis();
    Await.until(
        java.time.Duration.ofMillis(6000),
        () -> {
          try {
            return dig(server, "brief." + z, "A").isEmpty();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(System.currentTimeMillis() - t0).isGreaterThan(1000);
    Await.until(
        java.time.Duration.ofMillis(3000),
        () -> {
          try {
            return sql(
                    "SELECT count(*) FROM zone_changes WHERE apex = '"
                        + z
                        + "' AND kind = 'expire'")
                == 1;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(sql("SELECT count(*) FROM records WHERE owner = 'brief." + z + "'")).isZero();
    String metrics = server.http("/metrics");
    assertThat(metrics)
        .contains("dns_updates_total{rcode=\"noerror\",tsig=\"ok\"}")
        .contains("dns_update_commit_seconds_count")
        .contains("dns_update_batch_size_count")
        .contains("dns_lease_granted_seconds_count")
        .contains("dns_lease_expired_total")
        .contains("dns_update_queue");
  }

  @Test
  void hundredsOfParallelUpdatesToOneZoneAllCommitInSerialOrder() throws Exception {
    ServerProcess.Result made = cli("member", "add", "dave");
    String dave = made.keyLine();
    String z = "dave.members.example.";
    Await.until(
        java.time.Duration.ofMillis(3000),
        () -> {
          try {
            return !dig(server, z, "SOA").isEmpty();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    long serial0 = sql("SELECT serial FROM zones WHERE apex = '" + z + "'");
    int n = 300;
    ParallelUpdates.Result result = ParallelUpdates.run(server.dnsPort, dave, z, n, 64);
    assertThat(result.failures()).as(result.failures().toString()).isEmpty();
    assertThat(
            sql(
                "SELECT count(*) FROM records WHERE zone_id = (SELECT id FROM zones WHERE apex = '"
                    + z
                    + "')"))
        .isEqualTo(n);
    long journal =
        sql("SELECT count(*) FROM zone_changes WHERE apex = '" + z + "' AND kind = 'update'");
    long serial = sql("SELECT serial FROM zones WHERE apex = '" + z + "'");
    assertThat(serial).isEqualTo(serial0 + journal);
    assertThat(journal).as("batched: fewer transactions than updates").isLessThanOrEqualTo(n);
    assertThat(
            sql(
                "SELECT count(*) FROM (SELECT serial, lag(serial) OVER (ORDER BY generation) AS prev"
                    + " FROM zone_changes WHERE apex = '"
                    + z
                    + "') s WHERE prev IS NOT NULL AND serial <> prev + 1"))
        .as("serials strictly increasing, one per commit")
        .isZero();
    assertThat(ParallelUpdates.countPresent(server.dnsPort, z, n)).isEqualTo(n);
  }

  @Test
  void twoServersOnOneDatabaseAgreeAndRemovedKeysStopAtOnce() throws Exception {
    try (ServerProcess other = startServer()) {
      String z = "alice.members.example.";
      String out =
          python(
              server.dnsPort,
              "tcp",
              "--zone",
              z,
              "--key",
              alice,
              "--lease",
              "600",
              "--replace",
              "replica." + z + " 120 A 192.0.2.42");
      assertThat(out).contains("NOERROR");
      long t0 = System.currentTimeMillis();
      Await.until(
          java.time.Duration.ofMillis(1000),
          () -> {
            try {
              return dig(other, "replica." + z, "A").equals("192.0.2.42");
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      assertThat(System.currentTimeMillis() - t0).isLessThan(1000);
      // and back through B
      assertThat(
              python(
                  other.dnsPort,
                  "udp",
                  "--zone",
                  z,
                  "--key",
                  alice,
                  "--lease",
                  "600",
                  "--delete",
                  "replica." + z))
          .contains("NOERROR");
      Await.until(
          java.time.Duration.ofMillis(1000),
          () -> {
            try {
              return dig(server, "replica." + z, "A").isEmpty();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });

      // An operator key with a grant on every member zone, then removed.
      long keys = Math.max(keysHeld(server), keysHeld(other));
      ServerProcess.Result key = cli("key", "add", "ops", "--grant", "members");
      assertThat(key.exitCode()).as(key.output()).isZero();
      String ops = key.keyLine();
      assertThat(cli("key", "list").output())
          .containsPattern("ops\\. +hmac-sha256\\. +- +update members\\.example\\. \\(members\\)");
      // The keys notification reaches both servers.
      Await.until(() -> keysHeld(server) > keys && keysHeld(other) > keys);
      assertThat(
              python(
                  other.dnsPort,
                  "udp",
                  "--zone",
                  "bob.members.example.",
                  "--key",
                  ops,
                  "--add",
                  "op.bob.members.example. 60 A 192.0.2.5"))
          .contains("NOERROR");
      assertThat(cli("key", "remove", "ops").exitCode()).isZero();
      assertThat(
              python(
                  server.dnsPort,
                  "udp",
                  "--zone",
                  "bob.members.example.",
                  "--key",
                  ops,
                  "--add",
                  "op2.bob.members.example. 60 A 192.0.2.6"))
          .contains("\"tsig_error\": \"BADKEY\"");
      assertThat(dig(server, "op2.bob.members.example.", "A")).isEmpty();

      // A removed member's key stops at once, on both servers.
      long before = Math.max(keysHeld(server), keysHeld(other));
      String erin = enrol("erin", "hmac-md5");
      Await.until(() -> keysHeld(server) > before && keysHeld(other) > before);
      assertThat(
              python(
                  other.dnsPort,
                  "udp",
                  "--zone",
                  "erin.members.example.",
                  "--key",
                  erin,
                  "--add",
                  "early.erin.members.example. 60 A 192.0.2.8"))
          .contains("NOERROR");
      assertThat(cli("member", "remove", "erin").exitCode()).isZero();
      for (ServerProcess s : List.of(server, other)) {
        String late =
            python(
                s.dnsPort,
                "udp",
                "--zone",
                "erin.members.example.",
                "--key",
                erin,
                "--add",
                "late.erin.members.example. 60 A 192.0.2.9");
        assertThat(late).doesNotContain("NOERROR").contains("NOTAUTH");
      }
      assertThat(sql("SELECT count(*) FROM records WHERE owner LIKE '%erin.members.example.'"))
          .isZero();
    }
  }

  /** Signed updates from many threads with dnsjava (TCP), and a presence check. */
  static final class ParallelUpdates {
    record Result(List<String> failures) {}

    static Result run(int port, String key, String zone, int n, int threads) throws Exception {
      String[] k = key.split(":", 3);
      org.xbill.DNS.TSIG tsig =
          new org.xbill.DNS.TSIG(org.xbill.DNS.Name.fromString(k[0] + "."), k[1], k[2]);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int id = i;
        Callable<String> call =
            () -> {
              org.xbill.DNS.SimpleResolver r = new org.xbill.DNS.SimpleResolver("127.0.0.1");
              r.setPort(port);
              r.setTCP(true);
              r.setTSIGKey(tsig);
              r.setTimeout(java.time.Duration.ofSeconds(20));
              org.xbill.DNS.Name origin = org.xbill.DNS.Name.fromString(zone);
              org.xbill.DNS.Update u = new org.xbill.DNS.Update(origin);
              u.add(
                  org.xbill.DNS.Name.fromString("h" + id, origin),
                  org.xbill.DNS.Type.A,
                  120,
                  "10.0." + (id / 256) + "." + (id % 256));
              org.xbill.DNS.Message reply = r.send(u);
              if (reply.getRcode() != org.xbill.DNS.Rcode.NOERROR || !reply.isVerified()) {
                return "h"
                    + id
                    + ": "
                    + org.xbill.DNS.Rcode.string(reply.getRcode())
                    + " verified="
                    + reply.isVerified();
              }
              return null;
            };
        results.add(pool.submit(call));
      }
      List<String> failures = new ArrayList<>();
      for (Future<String> f : results) {
        String s = f.get();
        if (s != null) {
          failures.add(s);
        }
      }
      pool.shutdown();
      return new Result(failures);
    }

    static int countPresent(int port, String zone, int n) throws Exception {
      org.xbill.DNS.SimpleResolver r = new org.xbill.DNS.SimpleResolver("127.0.0.1");
      r.setPort(port);
      int present = 0;
      for (int i = 0; i < n; i++) {
        org.xbill.DNS.Message q =
            org.xbill.DNS.Message.newQuery(
                org.xbill.DNS.Record.newRecord(
                    org.xbill.DNS.Name.fromString("h" + i + "." + zone),
                    org.xbill.DNS.Type.A,
                    org.xbill.DNS.DClass.IN));
        if (!r.send(q).getSection(org.xbill.DNS.Section.ANSWER).isEmpty()) {
          present++;
        }
      }
      return present;
    }
  }

  /** The TSIG keys {@code s} holds now (its {@code dns_keys} gauge). */
  private static long keysHeld(ServerProcess s) {
    try {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(?m)^dns_keys (\\d+)").matcher(s.http("/metrics"));
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
