package net.membersdns.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import net.membersdns.protocol.tsig.KeyLine;
import net.membersdns.server.store.postgres.RecordCodec;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.zone.Names;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** {@code host add/list/remove} against a real PostgreSQL, through the command line. */
class HostCliIT {
  private static final String ZONE = "alice.members.example.";
  private TestDatabase testDb;

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
    assertThat(run("member", "add", "alice").exit()).isZero();
  }

  @AfterEach
  void close() {
    testDb.close();
  }

  private CliRunner.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--db-url", testDb.url()));
    return CliRunner.run(all.toArray(String[]::new));
  }

  @Test
  void hostAddPrintsTheKeyOnceAndWritesAPrivateKeyFile(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("mbp.key");
    CliRunner.Result add = run("host", "add", "alice", "MBP", "--key-file", file.toString());
    assertThat(add.exit()).as(add.err()).isZero();
    assertThat(add.out())
        .contains("member: alice\n")
        .contains("host: mbp.alice.members.example.\n")
        .containsPattern(
            "key: hmac-sha256:mbp\\.alice\\.key\\.members\\.example\\.:[A-Za-z0-9+/]{43}=\n")
        .contains("grant: update alice.members.example. (host mbp)\n")
        .contains("grant: read alice.members.example.\n");
    KeyLine printed =
        KeyLine.parse(add.out().lines().filter(l -> l.startsWith("key: ")).findFirst().get());
    assertThat(printed.secret()).hasSize(32);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String content = Files.readString(file);
    assertThat(content).doesNotStartWith("key:").endsWith("\n");
    assertThat(KeyLine.parse(content)).isEqualTo(printed);

    assertThat(
            rows(
                "SELECT g.scope || ' ' || g.permission || ' ' || g.zone_pattern || ' '"
                    + " || coalesce(g.host, '-') FROM key_grants g JOIN tsig_keys k"
                    + " ON k.id = g.key_id WHERE k.name = 'mbp.alice.key.members.example.'"
                    + " AND k.host = 'mbp' ORDER BY g.id"))
        .containsExactly("host update " + ZONE + " mbp", "zone read " + ZONE + " -");
  }

  @Test
  void hostAddRefusesReadably(@TempDir Path tmp) throws Exception {
    assertThat(run("host", "add", "alice", "mbp").exit()).isZero();

    CliRunner.Result again = run("host", "add", "alice", "mbp");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err().strip())
        .isEqualTo("membersdns host add: member alice has a host named mbp already");

    CliRunner.Result nobody = run("host", "add", "zed", "mbp");
    assertThat(nobody.exit()).isEqualTo(1);
    assertThat(nobody.err().strip()).isEqualTo("membersdns host add: no member named zed");

    CliRunner.Result label = run("host", "add", "alice", "_mbp");
    assertThat(label.exit()).isEqualTo(2);
    assertThat(label.err()).contains("HOST: host name '_mbp' must be one DNS label");

    CliRunner.Result sha1 = run("host", "add", "alice", "mini", "--algorithm", "hmac-sha1");
    assertThat(sha1.exit()).isEqualTo(2);
    assertThat(sha1.err())
        .contains(
            "--algorithm: unknown algorithm 'hmac-sha1' (expected one of hmac-md5, hmac-sha256,"
                + " hmac-sha512)");

    Path existing = Files.writeString(tmp.resolve("taken"), "");
    CliRunner.Result taken = run("host", "add", "alice", "mini", "--key-file", existing.toString());
    assertThat(taken.exit()).isEqualTo(2);
    assertThat(taken.err()).contains("--key-file").contains("exists");
    assertThat(Files.readString(existing)).isEmpty();

    Path missingDir = tmp.resolve("no-such-dir").resolve("mini.key");
    assertThat(run("host", "add", "alice", "mini", "--key-file", missingDir.toString()).exit())
        .isEqualTo(2);

    Path unused = tmp.resolve("unused.key");
    assertThat(run("host", "add", "zed", "mini", "--key-file", unused.toString()).exit())
        .isEqualTo(1);
    assertThat(unused).as("no key, no key file").doesNotExist();
    assertThat(rows("SELECT name FROM tsig_keys WHERE host IS NOT NULL"))
        .containsExactly("mbp.alice.key.members.example.");
  }

  @Test
  void hostListShowsKeysAndGrantsAndMemberListShowsOnlyMemberKeys() {
    assertThat(run("host", "add", "alice", "mbp").exit()).isZero();
    assertThat(run("host", "add", "alice", "mini", "--algorithm", "hmac-md5").exit()).isZero();

    CliRunner.Result list = run("host", "list", "alice");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out().lines().toList())
        .hasSize(3)
        .anyMatch(l -> l.matches("HOST +KEY +ALGORITHM +CREATED +GRANTS"));
    assertThat(list.out())
        .containsPattern(
            "mbp +mbp\\.alice\\.key\\.members\\.example\\. +hmac-sha256 +\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z"
                + " +update alice\\.members\\.example\\. \\(host mbp\\), read"
                + " alice\\.members\\.example\\.")
        .containsPattern("mini +mini\\.alice\\.key\\.members\\.example\\. +hmac-md5 ");

    assertThat(run("key", "list").out())
        .containsPattern(
            "mbp\\.alice\\.key\\.members\\.example\\. +hmac-sha256\\. +alice +update"
                + " alice\\.members\\.example\\. \\(host mbp\\), read alice\\.members\\.example\\.");
    assertThat(run("member", "list").out().lines().filter(l -> l.startsWith("alice ")))
        .singleElement()
        .asString()
        .contains("alice.key.members.example.");

    CliRunner.Result nobody = run("host", "list", "zed");
    assertThat(nobody.exit()).isEqualTo(1);
    assertThat(nobody.err()).contains("no member named zed");
  }

  @Test
  void hostRemoveDeletesTheKeyAndWithdrawsOnlyThatHostsRecordsInOneJournaledCommit()
      throws Exception {
    assertThat(run("host", "add", "alice", "mbp").exit()).isZero();
    assertThat(run("host", "add", "alice", "mini").exit()).isZero();
    List<String> mbps =
        List.of(
            "mbp 120 IN AAAA fd12:3456:789a:1::1",
            "_autotunnel._udp.mbp 120 IN SRV 0 0 4500 _autotunnel.mbp",
            "_autotunnel.mbp 120 IN TXT \"wg=AAAA\"",
            "mbp._device-info._tcp 120 IN TXT \"model=MacBookPro18,1\"",
            "_autotunnel._udp 120 IN PTR _autotunnel._udp.mbp");
    List<String> others =
        List.of(
            "mini 120 IN AAAA fd12:3456:789a:1::2",
            "_autotunnel._udp 120 IN PTR _autotunnel._udp.mini",
            "mini._device-info._tcp 120 IN TXT \"model=Macmini9,1\"",
            "@ 300 IN TXT \"family\"");
    for (String rr : mbps) {
      store(rr);
    }
    for (String rr : others) {
      store(rr);
    }
    long serial0 = number("SELECT serial FROM zones WHERE apex = '" + ZONE + "'");
    long journal0 = number("SELECT count(*) FROM zone_changes WHERE apex = '" + ZONE + "'");

    CliRunner.Result removed = run("host", "remove", "alice", "mbp");
    assertThat(removed.exit()).as(removed.err()).isZero();
    assertThat(removed.out())
        .contains("removed: host mbp of alice (key mbp.alice.key.members.example.; 5 record(s)")
        .contains("zone serial " + (serial0 + 1));

    assertThat(rows("SELECT owner || ' ' || rtype FROM records ORDER BY owner, rtype"))
        .containsExactlyInAnyOrder(
            "_autotunnel._udp." + ZONE + " 12",
            ZONE + " 16",
            "mini." + ZONE + " 28",
            "mini._device-info._tcp." + ZONE + " 16");
    assertThat(number("SELECT count(*) FROM records WHERE owner LIKE '%mbp%'")).isZero();
    assertThat(number("SELECT serial FROM zones WHERE apex = '" + ZONE + "'"))
        .isEqualTo(serial0 + 1);
    assertThat(number("SELECT count(*) FROM zone_changes WHERE apex = '" + ZONE + "'"))
        .isEqualTo(journal0 + 1);
    String journal =
        rows("SELECT kind || ' ' || serial || E'\\n' || removed || E'\\n/' || added FROM"
                + " zone_changes WHERE apex = '"
                + ZONE
                + "' ORDER BY generation DESC LIMIT 1")
            .get(0);
    assertThat(journal).startsWith("update " + (serial0 + 1) + "\n").endsWith("\n/");
    List<Record> journaled =
        RecordCodec.parseJournalText(
            journal.substring(journal.indexOf('\n') + 1, journal.length() - 2));
    assertThat(journaled).hasSize(5).map(r -> r.getName().toString()).contains("mbp." + ZONE);
    assertThat(journaled).noneMatch(r -> r.rdataToString().contains("mini"));

    assertThat(rows("SELECT name FROM tsig_keys WHERE host IS NOT NULL"))
        .containsExactly("mini.alice.key.members.example.");
    assertThat(number("SELECT count(*) FROM key_grants WHERE host = 'mbp'")).isZero();

    CliRunner.Result again = run("host", "remove", "alice", "mbp");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err().strip())
        .isEqualTo("membersdns host remove: member alice has no host named mbp");
    assertThat(run("host", "remove", "zed", "mbp").err()).contains("no member named zed");
  }

  @Test
  void aHostWithoutRecordsIsRemovedWithoutAZoneCommit() throws Exception {
    assertThat(run("host", "add", "alice", "mbp").exit()).isZero();
    long journal0 = number("SELECT count(*) FROM zone_changes");
    CliRunner.Result removed = run("host", "remove", "alice", "mbp");
    assertThat(removed.exit()).as(removed.err()).isZero();
    assertThat(removed.out()).contains("0 record(s) withdrawn)");
    assertThat(number("SELECT count(*) FROM zone_changes")).isEqualTo(journal0);
    assertThat(number("SELECT count(*) FROM tsig_keys WHERE host IS NOT NULL")).isZero();
  }

  @Test
  void removingTheMemberRemovesItsHostKeys() throws Exception {
    assertThat(run("host", "add", "alice", "mbp").exit()).isZero();
    assertThat(run("member", "remove", "alice").exit()).isZero();
    assertThat(number("SELECT count(*) FROM tsig_keys")).isZero();
    assertThat(number("SELECT count(*) FROM key_grants")).isZero();
  }

  /** Stores {@code text} (relative to the zone) as a permanent record, as import would. */
  private void store(String text) throws Exception {
    String[] f = text.split(" ", 5);
    Name zone = Names.absolute(ZONE);
    Name owner = f[0].equals("@") ? zone : Names.absolute(f[0] + "." + ZONE);
    Record r =
        Record.fromString(
            owner,
            org.xbill.DNS.Type.value(f[3]),
            org.xbill.DNS.DClass.IN,
            Long.parseLong(f[1]),
            f[4],
            zone);
    try (Connection c = DriverManager.getConnection(testDb.url());
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO records (zone_id, owner, rtype, rclass, ttl, rdata, written_by)"
                    + " SELECT id, ?, ?, 1, ?, ?, 'test' FROM zones WHERE apex = ?")) {
      ps.setString(1, RecordCodec.owner(r));
      ps.setInt(2, r.getType());
      ps.setLong(3, r.getTTL());
      ps.setBytes(4, RecordCodec.rdata(r));
      ps.setString(5, ZONE);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private List<String> rows(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(testDb.url());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private long number(String sql) throws Exception {
    return Long.parseLong(rows(sql).get(0));
  }
}
