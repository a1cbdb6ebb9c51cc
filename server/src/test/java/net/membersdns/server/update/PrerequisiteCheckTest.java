package net.membersdns.server.update;

import static net.membersdns.server.update.Fixtures.NOW;
import static net.membersdns.server.update.Fixtures.rrs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import net.membersdns.server.zone.ZoneData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/** RFC 2136 §2.4 / §3.2, table-driven (RFC 2136 §3.2.5). */
class PrerequisiteCheckTest {
  static final ZoneData ZONE =
      Fixtures.zone(
          10,
          "+3600 mbp 120 IN AAAA fd12:3456:789a:1::1",
          "mbp 120 IN TXT \"model=MacBookPro11,1\"",
          "+3600 _autotunnel.mbp 60 IN A 192.0.2.1",
          "+3600 _autotunnel.mbp 60 IN A 192.0.2.2",
          "-10 old 120 IN AAAA fd12:3456:789a:1::2",
          "+10 mixed 120 IN TXT \"live\"",
          "-10 mixed 120 IN TXT \"expired\"");

  static Stream<Arguments> cases() {
    return Stream.of(
        // name is in use (ANY ANY) → NXDOMAIN
        ok("in use", "mbp 0 ANY ANY"),
        ok("apex in use (synthesised SOA)", "@ 0 ANY ANY"),
        ok("discovery name in use", "_dns-update._udp 0 ANY ANY"),
        fail("not in use", Rcode.NXDOMAIN, "nope 0 ANY ANY"),
        fail("only expired data is not in use", Rcode.NXDOMAIN, "old 0 ANY ANY"),
        fail("empty non-terminal is not in use", Rcode.NXDOMAIN, "_udp 0 ANY ANY"),
        // RRset exists, value independent (ANY t) → NXRRSET
        ok("RRset exists", "mbp 0 ANY AAAA"),
        fail("RRset absent", Rcode.NXRRSET, "mbp 0 ANY A"),
        fail("expired RRset absent", Rcode.NXRRSET, "old 0 ANY AAAA"),
        // name not in use (NONE ANY) → YXDOMAIN
        ok("name free", "nope 0 NONE ANY"),
        ok("name with only expired data is free", "old 0 NONE ANY"),
        fail("name taken", Rcode.YXDOMAIN, "mbp 0 NONE ANY"),
        // RRset does not exist (NONE t) → YXRRSET
        ok("RRset absent as required", "mbp 0 NONE A"),
        ok("expired RRset counts as absent", "old 0 NONE AAAA"),
        fail("RRset present", Rcode.YXRRSET, "mbp 0 NONE AAAA"),
        // RRset exists, value dependent (zone class) → NXRRSET; sets, TTL ignored
        ok("exact single RR", "mbp 0 IN AAAA fd12:3456:789a:1::1"),
        ok(
            "set in another order",
            "_autotunnel.mbp 0 IN A 192.0.2.2",
            "_autotunnel.mbp 0 IN A 192.0.2.1"),
        ok(
            "duplicates collapse",
            "_autotunnel.mbp 0 IN A 192.0.2.1",
            "_autotunnel.mbp 0 IN A 192.0.2.2",
            "_autotunnel.mbp 0 IN A 192.0.2.1"),
        ok("owner names compare case-insensitively", "MBP 0 IN AAAA fd12:3456:789a:1::1"),
        ok("expired members of a set are not part of it", "mixed 0 IN TXT \"live\""),
        fail("subset is not equal", Rcode.NXRRSET, "_autotunnel.mbp 0 IN A 192.0.2.1"),
        fail(
            "superset is not equal",
            Rcode.NXRRSET,
            "_autotunnel.mbp 0 IN A 192.0.2.1",
            "_autotunnel.mbp 0 IN A 192.0.2.2",
            "_autotunnel.mbp 0 IN A 192.0.2.3"),
        fail("other value", Rcode.NXRRSET, "mbp 0 IN AAAA fd12:3456:789a:1::9"),
        fail("absent RRset", Rcode.NXRRSET, "nope 0 IN A 192.0.2.1"),
        fail("expired RRset", Rcode.NXRRSET, "old 0 IN AAAA fd12:3456:789a:1::2"),
        // format and zone errors
        fail("TTL not 0", Rcode.FORMERR, "mbp 5 ANY ANY"),
        fail("value TTL not 0", Rcode.FORMERR, "mbp 120 IN AAAA fd12:3456:789a:1::1"),
        fail("outside the zone", Rcode.NOTZONE, "bob.members.example. 0 ANY ANY"),
        fail("parent of the zone", Rcode.NOTZONE, "members.example. 0 NONE ANY"),
        fail("class ANY with RDATA", Rcode.FORMERR, "mbp 0 ANY A 192.0.2.1"),
        fail("class NONE with RDATA", Rcode.FORMERR, "mbp 0 NONE A 192.0.2.1"),
        fail("class CH", Rcode.FORMERR, "mbp 0 CH TXT \"x\""),
        // order: the first failing prerequisite wins; value sets are compared last
        fail("first failure wins", Rcode.YXDOMAIN, "mbp 0 NONE ANY", "nope 0 ANY ANY"),
        fail(
            "value sets compared after the rest",
            Rcode.NXDOMAIN,
            "mbp 0 IN AAAA fd12:3456:789a:1::9",
            "nope 0 ANY ANY"),
        ok("empty prerequisite section"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void evaluates(String label, int rcode, List<Record> prerequisites) {
    UpdateVerdict verdict = PrerequisiteCheck.check(ZONE, prerequisites, NOW);
    if (rcode == Rcode.NOERROR) {
      assertThat(verdict).isEqualTo(UpdateVerdict.ACCEPTED);
    } else {
      assertThat(verdict).isInstanceOf(Rejection.class);
      assertThat(Rcode.string(((Rejection) verdict).rcode())).isEqualTo(Rcode.string(rcode));
    }
  }

  private static Arguments ok(String label, String... prerequisites) {
    return Arguments.of(label, Rcode.NOERROR, rrs(prerequisites));
  }

  private static Arguments fail(String label, int rcode, String... prerequisites) {
    return Arguments.of(label, rcode, rrs(prerequisites));
  }
}
