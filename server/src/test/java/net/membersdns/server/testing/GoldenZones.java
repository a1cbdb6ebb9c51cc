package net.membersdns.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The zones of the golden tests: every shape the zone model must keep answering byte for byte
 * whatever its in-memory layout (stored and synthesised data, mixed-case owners as an update hands
 * them, leases half expired, empty non-terminals, CNAME chains and loops, a delegation with glue,
 * types dnsjava does not know). Records are zone-file lines; a line {@code "+S line"} or {@code "-S
 * line"} carries a lease expiring S seconds after {@link #NOW}.
 *
 * <p>Golden files are compared byte for byte; re-record them from the implementation of the day
 * with {@code -Dgolden.record=true} (only when a change of answers is intended, and say why in the
 * commit).
 */
public final class GoldenZones {
  /** The tests' "now", epoch ms. */
  public static final long NOW = 1_800_000_000_000L;

  /** A second instant a day later, when more leases have run out. */
  public static final long LATER = NOW + 86_400_000L;

  private GoldenZones() {}

  /** The members domain zone (it holds the server's own name) and three member zones. */
  public static List<ZoneData> zones() {
    return List.of(
        build(
            "members.example.",
            null,
            3,
            "other NS ns.other",
            "other NS ns.elsewhere.example.",
            "ns.other A 192.0.2.99",
            "ns.other AAAA 2001:db8::99",
            "deep.below.other A 192.0.2.98",
            "www A 192.0.2.80",
            "dns A 192.0.2.54",
            "mail A 192.0.2.25",
            "mail AAAA 2001:db8::25",
            "@ MX 10 mail",
            "@ MX 20 mail.elsewhere.example.",
            "@ TXT \"v=spf1 -all\"",
            "alias CNAME mbp.alice",
            "alias2 CNAME ALIAS",
            "loop1 CNAME loop2",
            "loop2 CNAME loop1",
            "@ 86400 SOA ns.imported.example. root.imported.example. 99 1 1 1 1",
            "@ NS ns.imported.example."),
        build(
            "alice.members.example.",
            "alice",
            7,
            "mbp AAAA fd12:3456:789a:1::1",
            "_autotunnel._udp.mbp 120 SRV 0 0 4500 _autotunnel.mbp",
            "_autotunnel.mbp A 203.0.113.7",
            "_autotunnel.mbp 4500 TXT \"wg=abc\" \"second string\"",
            "www CNAME mbp",
            "off CNAME www.example.org.",
            "multi A 192.0.2.1",
            "multi A 192.0.2.2",
            "multi TXT \"x\"",
            "ttl 300 A 192.0.2.3",
            "ttl 60 A 192.0.2.4",
            "dup A 192.0.2.5",
            "dup A 192.0.2.5",
            "svc SRV 10 5 443 mbp",
            "svc SRV 0 0 80 dns.members.example.",
            "unknown TYPE65400 \\# 3 abcdef",
            "caa CAA 0 issue \"ca.example.net\"",
            "a.b.c.d.deep TXT \"five labels\""),
        build(
            "bob.members.example.",
            "bob",
            11,
            "-60 lease A 192.0.2.10",
            "+60 lease A 192.0.2.11",
            "-60 gone A 192.0.2.12",
            "-30 gone TXT \"old\"",
            "-60 half A 192.0.2.13",
            "+7200 half TXT \"live for a while\"",
            "+90000 late A 192.0.2.14",
            "-60 dupe A 192.0.2.15",
            "+60 dupe A 192.0.2.15",
            "+120 _sub._tcp.host SRV 0 0 1 host",
            "+120 host A 192.0.2.16"),
        mixedCase());
  }

  /** Records as an update hands them: owner and RDATA names in the client's case. */
  private static ZoneData mixedCase() {
    Name apex = Names.absolute("carol.members.example.");
    List<ZoneRecord> rs = new ArrayList<>();
    for (String line :
        List.of(
            "Laptop.Carol.Members.Example. 120 IN A 192.0.2.30",
            "laptop.carol.members.example. 120 IN A 192.0.2.31",
            "LAPTOP.carol.members.example. 120 IN AAAA 2001:db8::30",
            "Printer.carol.members.example. 120 IN CNAME Laptop.CAROL.members.example.",
            "_IPP._TCP.carol.members.example. 120 IN SRV 0 0 631 Printer.carol.members.example.",
            "Tv.carol.members.example. 120 IN TXT \"Mixed Case Text\"")) {
      rs.add(new ZoneRecord(parse(line, apex), NOW + 3_600_000));
    }
    return ZoneData.build(new ZoneContent(apex, "carol", 5, 2, rs), Zones.settings());
  }

  private static ZoneData build(String origin, String member, long serial, String... lines) {
    Name apex = Names.absolute(origin);
    List<ZoneRecord> rs = new ArrayList<>();
    for (String line : lines) {
      long expiry = ZoneRecord.PERMANENT;
      String text = line;
      if (line.startsWith("+") || line.startsWith("-")) {
        int space = line.indexOf(' ');
        expiry = NOW + Long.parseLong(line.substring(0, space)) * 1000;
        text = line.substring(space + 1);
      }
      for (Record r : Zones.records(origin, text)) {
        rs.add(new ZoneRecord(r, expiry));
      }
    }
    return ZoneData.build(new ZoneContent(apex, member, serial, 1, rs), Zones.settings());
  }

  private static Record parse(String line, Name origin) {
    String[] f = line.split("\\s+", 5);
    try {
      return Record.fromString(
          Name.fromString(f[0]),
          org.xbill.DNS.Type.value(f[3]),
          DClass.value(f[2]),
          Long.parseLong(f[1]),
          f[4],
          origin);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ServedZones served() {
    ServedZones s = new ServedZones();
    for (ZoneData z : zones()) {
      s.put(z);
    }
    return s;
  }

  /**
   * Every owner name of the zones, the names below them that do not exist and the case variants a
   * client may send: the names the golden tests ask about.
   */
  public static List<Name> names() {
    List<Name> out = new ArrayList<>();
    for (ZoneData z : zones()) {
      add(out, z.apex());
      add(out, Names.absolute("nothere." + z.apex()));
      for (ZoneRecord zr : z.storedRecords()) {
        Name n = zr.record().getName();
        add(out, n);
        for (int skip = 1; n.labels() - skip > z.apex().labels(); skip++) {
          add(out, new Name(n, skip));
        }
        add(out, Names.absolute(n.toString().toUpperCase(java.util.Locale.ROOT)));
        add(out, Names.absolute("nothere." + n));
      }
    }
    for (String s :
        List.of(
            "dns.members.example.",
            "DNS.Members.Example.",
            "_dns-update._udp.alice.members.example.",
            "_dns-llq._udp.alice.members.example.",
            "_dns-update-tls._tcp.alice.members.example.",
            "_dns-query-tls._tcp.alice.members.example.",
            "_dns-llq-tls._tcp.alice.members.example.",
            "_udp.alice.members.example.",
            "_tcp.alice.members.example.",
            "_DNS-LLQ._UDP.Bob.Members.Example.",
            "example.",
            "elsewhere.example.",
            "nosuchmember.members.example.")) {
      add(out, Names.absolute(s));
    }
    return out;
  }

  private static void add(List<Name> out, Name n) {
    for (Name have : out) {
      if (have.equals(n) && have.toString().equals(n.toString())) {
        return;
      }
    }
    out.add(n);
  }

  /** Compares {@code actual} with the golden file, or writes it under {@code -Dgolden.record}. */
  public static void compare(String resource, List<String> actual) {
    Path file = Path.of("src/test/resources/golden", resource);
    String text = String.join("\n", actual) + "\n";
    try {
      if (Boolean.getBoolean("golden.record")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return;
      }
      List<String> expected = Files.readAllLines(file, StandardCharsets.UTF_8);
      org.assertj.core.api.Assertions.assertThat(actual)
          .as("golden file %s (re-record with -Dgolden.record=true)", file)
          .containsExactlyElementsOf(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String hex(byte[] wire) {
    return HexFormat.of().formatHex(wire);
  }
}
