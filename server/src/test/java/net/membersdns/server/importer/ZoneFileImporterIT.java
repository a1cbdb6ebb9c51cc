package net.membersdns.server.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import net.membersdns.server.cli.CliRunner;
import net.membersdns.server.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code import} through the CLI, on the benchmark generator's zone shape. */
class ZoneFileImporterIT {
  private TestDatabase testDb;

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
  }

  @AfterEach
  void close() {
    testDb.close();
  }

  private long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(testDb.url());
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void importsTheBenchmarkShapeAndReRunsIdempotently(@TempDir Path tmp) throws Exception {
    Path zone = Path.of("src/test/resources/import/bench-20-users.zone");
    Path keys = tmp.resolve("keys.txt");
    var first = ImportCli.run(zone, testDb.url(), "--keys-file", keys.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("imported 20 members (20 new), 163 records (161 new, 2 skipped)");
    assertThat(first.err()).contains("import: 161/161 records");
    assertThat(Files.readAllLines(keys))
        .hasSize(20)
        .allMatch(l -> l.startsWith("key: hmac-sha256:user"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)))
        .isEqualTo("rw-------");
    assertThat(count("SELECT count(*) FROM records")).isEqualTo(161);
    assertThat(count("SELECT count(*) FROM members")).isEqualTo(20);
    assertThat(
            count(
                "SELECT count(*) FROM records r JOIN zones z ON z.id = r.zone_id WHERE z.member_id IS NULL"))
        .isEqualTo(1); // ns1.members.example. A
    long serials = count("SELECT sum(serial) FROM zones");
    long journal = count("SELECT count(*) FROM zone_changes");

    var second = ImportCli.run(zone, testDb.url());
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.out())
        .contains("imported 20 members (0 new), 163 records (0 new, 2 skipped)");
    assertThat(count("SELECT count(*) FROM records")).isEqualTo(161);
    assertThat(count("SELECT sum(serial) FROM zones")).isEqualTo(serials);
    assertThat(count("SELECT count(*) FROM zone_changes")).isEqualTo(journal);
  }

  @Test
  void importsTwentyFiveThousandRecordsQuickly(@TempDir Path tmp) throws Exception {
    Path zone = tmp.resolve("big.zone");
    try (BufferedWriter w = Files.newBufferedWriter(zone)) {
      w.write("$ORIGIN members.example.\n$TTL 3600\n");
      for (int u = 0; u < 3125; u++) {
        for (int h = 0; h < 2; h++) {
          String t = "AutoTunnel-" + h + ".user" + u;
          w.write("_autotunnel._udp.host" + h + ".user" + u + " 60 IN SRV 0 0 4500 " + t + "\n");
          w.write(t + " 60 IN A 198.19." + (u % 250) + "." + h + "\n");
          w.write(t + " 60 IN AAAA fd00::" + Integer.toHexString(u) + ":" + h + "\n");
          w.write(t + " 60 IN TXT \"txtvers=1\" \"port=4500\"\n");
        }
      }
    }
    long t0 = System.nanoTime();
    var r = ImportCli.run(zone, testDb.url());
    long millis = (System.nanoTime() - t0) / 1_000_000;
    System.out.println(
        "import of 25000 records / 3125 members: " + millis + " ms; " + r.out().strip());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(count("SELECT count(*) FROM records")).isEqualTo(25_000);
    assertThat(millis).isLessThan(60_000); // a few seconds here; generous for shared CI cores
  }

  /** Runs {@code import} through the CLI test harness. */
  static final class ImportCli {
    static CliRunner.Result run(Path zone, String url, String... extra) {
      String[] args = new String[4 + extra.length];
      args[0] = "import";
      args[1] = zone.toString();
      args[2] = "--db-url";
      args[3] = url;
      System.arraycopy(extra, 0, args, 4, extra.length);
      return CliRunner.run(args);
    }
  }
}
