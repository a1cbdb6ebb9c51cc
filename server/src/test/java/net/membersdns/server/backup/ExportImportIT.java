package net.membersdns.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.membersdns.protocol.tsig.KeyLine;
import net.membersdns.server.cli.CliRunner;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * {@code import(export(x)) = x}: a domain with members (one with a password-derived key), a host
 * key, operator keys with wide and read-only grants, permanent records and leased ones is exported,
 * imported into an empty database and exported again: both exports are the same but for their time
 * stamp. On the restored database the host key still writes its own names and nothing else.
 */
class ExportImportIT {
  @Test
  void importOfAnExportRestoresTheDomainKeysGrantsAndLeases(@TempDir Path tmp) throws Exception {
    try (TestDatabase a = TestDatabase.create();
        TestDatabase b = TestDatabase.create()) {
      Path password = tmp.resolve("carol.password");
      Files.writeString(password, "correct horse battery staple\n");
      cli(a, "member", "add", "alice");
      cli(a, "member", "add", "carol", "--password-file", password.toString());
      cli(a, "member", "add", "dave"); // no records at all: only the keys file knows him
      String hostOut = cli(a, "host", "add", "alice", "mbp");
      KeyLine mbp =
          KeyLine.parse(hostOut.lines().filter(l -> l.startsWith("key: ")).findFirst().get());
      cli(a, "key", "add", "ops", "--grant", "members");
      cli(
          a,
          "key",
          "add",
          "audit-reader",
          "--grant",
          "alice.members.example.",
          "--permission",
          "read");
      Path source = tmp.resolve("source.zone");
      Files.writeString(
          source,
          """
          $ORIGIN members.example.
          ns1 3600 IN A 192.0.2.53
          mbp.alice 120 IN AAAA fd12:3456:789a:1::1
          iphone.alice 120 IN AAAA fd12:3456:789a:1::2
          old.alice 120 IN AAAA fd12:3456:789a:1::3
          _device-info._tcp.carol 3600 IN TXT "model=MacBookPro18,1" "name=Carol's \\"Mac\\" Pro"
          """);
      cli(a, "import", source.toString());
      try (Connection c = DriverManager.getConnection(a.url())) {
        // As the update path stores leased records (RFC 9664): one live, one run out.
        c.createStatement()
            .executeUpdate(
                "UPDATE records SET lease_expires = now() + interval '1 hour'"
                    + " WHERE owner = 'iphone.alice.members.example.'");
        c.createStatement()
            .executeUpdate(
                "UPDATE records SET lease_expires = now() - interval '1 minute'"
                    + " WHERE owner = 'old.alice.members.example.'");
      }

      Path zone1 = tmp.resolve("backup.zone");
      Path keys1 = tmp.resolve("backup.keys");
      assertThat(cli(a, "export", zone1.toString(), "--keys-file", keys1.toString()))
          .contains("exported 4 zones, 4 records (1 leased), 6 keys");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys1)))
          .isEqualTo("rw-------");
      String zoneText = Files.readString(zone1);
      assertThat(zoneText)
          .contains(
              "iphone.alice.members.example.\t120\tIN\tAAAA\tfd12:3456:789a:1:0:0:0:2 ; lease-expires=")
          .contains("; zone dave.members.example. (member dave)")
          .doesNotContain("old.alice");
      String keysText = Files.readString(keys1);
      assertThat(keysText)
          .contains(
              " member=alice host=mbp grant=update:host:alice.members.example.:mbp"
                  + " grant=read:zone:alice.members.example.")
          .contains("key: hmac-sha256:ops.:")
          .contains(" grant=update:members:members.example.")
          .contains(" grant=read:zone:alice.members.example.")
          .containsPattern("member=carol kdf=pbkdf2-hmac-sha256:\\d+:");

      String restored = cli(b, "import", zone1.toString(), "--keys-file", keys1.toString());
      assertThat(restored).contains("6 keys (6 restored)");
      Path zone2 = tmp.resolve("again.zone");
      Path keys2 = tmp.resolve("again.keys");
      cli(b, "export", zone2.toString(), "--keys-file", keys2.toString());
      assertThat(body(zone2)).isEqualTo(body(zone1));
      assertThat(body(keys2)).isEqualTo(body(keys1));

      // A second restore finds everything there and changes nothing.
      assertThat(cli(b, "import", zone1.toString(), "--keys-file", keys1.toString()))
          .contains("4 records (0 new")
          .contains("6 keys (0 restored)");
      cli(b, "export", zone2.toString(), "--keys-file", keys2.toString());
      assertThat(body(zone2)).isEqualTo(body(zone1));
      assertThat(body(keys2)).isEqualTo(body(keys1));

      hostKeyStillWorks(b, mbp, tmp);
    }
  }

  /** The restored host key writes its own names, and is refused another host's. */
  private static void hostKeyStillWorks(TestDatabase db, KeyLine key, Path tmp) throws Exception {
    try (ServerProcess server = ServerProcess.start(tmp, List.of("--db-url", db.url()), Map.of())) {
      SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", server.dnsPort));
      r.setTCP(true);
      r.setTimeout(Duration.ofSeconds(5));
      r.setTSIGKey(new TSIG(key.algorithm().wireName(), key.name(), key.secret()));
      Name zone = Name.fromString("alice.members.example.");
      Update own = new Update(zone);
      own.add(Name.fromString("mbp.alice.members.example."), Type.A, 120, "192.0.2.7");
      Message ok = r.send(own);
      assertThat(Rcode.string(ok.getRcode())).isEqualTo("NOERROR");
      Update other = new Update(zone);
      other.add(Name.fromString("iphone.alice.members.example."), Type.A, 120, "192.0.2.8");
      assertThat(Rcode.string(r.send(other).getRcode())).isEqualTo("REFUSED");
    }
  }

  /** A file without its first line (the time stamp of the export). */
  private static List<String> body(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    return lines.subList(1, lines.size());
  }

  private static String cli(TestDatabase db, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--db-url";
    all[args.length + 1] = db.url();
    CliRunner.Result r = CliRunner.run(all);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
    return r.out();
  }
}
