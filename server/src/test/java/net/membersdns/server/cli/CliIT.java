package net.membersdns.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.Base64;
import net.membersdns.server.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliIT {
  private TestDatabase testDb;

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
  }

  @AfterEach
  void close() {
    testDb.close();
  }

  private CliRunner.Result run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--db-url";
    all[args.length + 1] = testDb.url();
    return CliRunner.run(all);
  }

  @Test
  void operatorKeyTakesAGivenSecret(@TempDir Path tmp) throws Exception {
    String secret = "aSLJHGj7hB0aHKBvppzDDUrUsP2hUSeUf1cchVOq5Ec=";
    Path file = Files.writeString(tmp.resolve("secret"), secret + "\n");
    CliRunner.Result add =
        run("key", "add", "bench", "--grant", "members", "--secret-file", file.toString());
    assertThat(add.exit()).as(add.err()).isZero();
    assertThat(add.out()).contains("key: hmac-sha256:bench.:" + secret);
    assertThat(run("key", "list").out()).contains("bench.");

    Path shortOne = Files.writeString(tmp.resolve("short"), "AAECAw==");
    CliRunner.Result refused =
        run("key", "add", "tiny", "--grant", "members", "--secret-file", shortOne.toString());
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("--secret-file").contains("too short");
  }

  @Test
  void memberLifecycle(@TempDir Path tmp) throws Exception {
    CliRunner.Result add = run("member", "add", "alice");
    assertThat(add.exit()).as(add.err()).isZero();
    String keyLine = add.out().lines().filter(l -> l.startsWith("key: ")).findFirst().orElseThrow();
    assertThat(keyLine)
        .matches("key: hmac-sha256:alice\\.key\\.members\\.example\\.:[A-Za-z0-9+/]{43}=");
    assertThat(Base64.getDecoder().decode(keyLine.substring(keyLine.lastIndexOf(':') + 1)))
        .hasSize(32);

    CliRunner.Result again = run("member", "add", "alice");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err().strip()).isEqualTo("membersdns member add: member alice already exists");

    Path pw = Files.writeString(tmp.resolve("pw"), "s3cret\n");
    CliRunner.Result carol =
        run("member", "add", "carol", "--algorithm", "hmac-md5", "--password-file", pw.toString());
    assertThat(carol.exit()).as(carol.err()).isZero();
    assertThat(carol.out())
        .containsPattern("key: hmac-md5:carol\\.key\\.members\\.example\\.:[A-Za-z0-9+/]{22}==");

    CliRunner.Result list = run("member", "list");
    assertThat(list.exit()).isZero();
    assertThat(list.out())
        .containsPattern(
            "alice +alice\\.members\\.example\\. +alice\\.key\\.members\\.example\\. +hmac-sha256 +\\d{4}-")
        .contains("carol.key.members.example.")
        .contains("hmac-md5");

    addRecord(
        "alice.members.example.", "mbp.alice.members.example.", new Timestamp(1_900_000_000_000L));
    addRecord("alice.members.example.", "imac.alice.members.example.", null);
    CliRunner.Result records = run("records", "alice");
    assertThat(records.exit()).as(records.err()).isZero();
    assertThat(records.out())
        .contains(
            "mbp.alice.members.example.\t60\tIN\tA\t192.0.2.1\t; expires 2030-03-17T17:46:40Z")
        .contains("imac.alice.members.example.\t60\tIN\tA\t192.0.2.1\t; permanent");

    assertThat(run("member", "remove", "alice").out()).contains("removed: alice");
    assertThat(run("member", "remove", "alice").exit()).isEqualTo(1);
    assertThat(run("records", "alice").err()).contains("no member named alice");
  }

  private void addRecord(String zone, String owner, Timestamp lease) throws Exception {
    try (Connection c = DriverManager.getConnection(testDb.url());
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO records (zone_id, owner, rtype, rclass, ttl, rdata, lease_expires,"
                    + " written_by) SELECT id, ?, 1, 1, 60, '\\xc0000201'::bytea, ?, 'test'"
                    + " FROM zones WHERE apex = ?")) {
      ps.setString(1, owner);
      ps.setTimestamp(2, lease);
      ps.setString(3, zone);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }
}
