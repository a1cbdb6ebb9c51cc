package net.membersdns.server.update;

import static net.membersdns.server.update.Fixtures.rrs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ZoneData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

class UpdatePolicyTest {
  static final Name ALICE_KEY = Names.absolute("alice-key.members.example.");
  static final Name BOB_KEY = Names.absolute("bob-key.members.example.");
  static final Name ADMIN_KEY = Names.absolute("admin-key.members.example.");
  static final Name READER_KEY = Names.absolute("reader-key.members.example.");
  static final Map<Name, List<Grant>> GRANTS =
      Map.of(
          ALICE_KEY, List.of(Grant.memberZone(Fixtures.APEX)),
          BOB_KEY, List.of(Grant.memberZone(Names.absolute("bob.members.example."))),
          ADMIN_KEY, List.of(new Grant("*.members.example.", Grant.Permission.UPDATE)),
          READER_KEY, List.of(new Grant("alice.members.example.", Grant.Permission.READ)));
  static final UpdatePolicy POLICY = new UpdatePolicy(k -> GRANTS.getOrDefault(k, List.of()));
  static final ZoneData ZONE = Fixtures.zone(1);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("member key, own zone", ALICE_KEY, "mbp 120 IN AAAA fd12::1", Rcode.NOERROR),
        Arguments.of(
            "key name case does not matter",
            Names.absolute("ALICE-KEY.members.example."),
            "mbp 120 IN AAAA fd12::1",
            Rcode.NOERROR),
        Arguments.of("unsigned", null, "mbp 120 IN AAAA fd12::1", Rcode.REFUSED),
        Arguments.of("another member's key", BOB_KEY, "mbp 120 IN AAAA fd12::1", Rcode.REFUSED),
        Arguments.of("unknown key", Names.absolute("x.example."), "mbp 0 ANY ANY", Rcode.REFUSED),
        Arguments.of("read-only grant", READER_KEY, "mbp 120 IN AAAA fd12::1", Rcode.REFUSED),
        Arguments.of("admin wildcard grant", ADMIN_KEY, "mbp 120 IN AAAA fd12::1", Rcode.NOERROR),
        Arguments.of("apex SOA", ALICE_KEY, "@ 0 ANY SOA", Rcode.REFUSED),
        Arguments.of("apex NS add", ALICE_KEY, "@ 3600 IN NS evil.example.", Rcode.REFUSED),
        Arguments.of("apex NS delete by admin", ADMIN_KEY, "@ 0 ANY NS", Rcode.REFUSED),
        Arguments.of("other apex data", ALICE_KEY, "@ 300 IN TXT \"hi\"", Rcode.NOERROR),
        Arguments.of("delete all at apex (SOA/NS kept)", ALICE_KEY, "@ 0 ANY ANY", Rcode.NOERROR),
        Arguments.of(
            "discovery name", ALICE_KEY, "_dns-update._udp 120 IN SRV 0 0 53 evil.", Rcode.REFUSED),
        Arguments.of(
            "discovery name delete", ADMIN_KEY, "_dns-llq-tls._tcp 0 ANY ANY", Rcode.REFUSED),
        Arguments.of(
            "below a discovery name is ordinary",
            ALICE_KEY,
            "x._dns-llq._udp 120 IN TXT \"x\"",
            Rcode.NOERROR));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void authorizes(String label, Name key, String update, int rcode) {
    UpdateVerdict verdict = POLICY.authorize(Optional.ofNullable(key), ZONE, rrs(update));
    if (rcode == Rcode.NOERROR) {
      assertThat(verdict).isEqualTo(UpdateVerdict.ACCEPTED);
    } else {
      assertThat(verdict).isEqualTo(new Rejection(rcode, ((Rejection) verdict).reason()));
    }
  }

  @Test
  void oneForbiddenRecordRefusesTheWholeUpdate() {
    assertThat(
            POLICY.authorize(
                Optional.of(ALICE_KEY), ZONE, rrs("mbp 120 IN AAAA fd12::1", "@ 0 ANY NS")))
        .isInstanceOf(Rejection.class);
  }

  @Test
  void theServersOwnNameInTheDomainZoneIsProtected() {
    ZoneData domain = Fixtures.domainZone();
    assertThat(
            POLICY.authorize(
                Optional.of(ADMIN_KEY), domain, rrs("dns.members.example. 60 IN A 192.0.2.66")))
        .isInstanceOf(Rejection.class); // the wildcard does not cover the domain zone itself
    UpdatePolicy root =
        new UpdatePolicy(k -> List.of(new Grant("members.example.", Grant.Permission.UPDATE)));
    assertThat(
            root.authorize(
                Optional.of(ADMIN_KEY), domain, rrs("dns.members.example. 60 IN A 192.0.2.66")))
        .isInstanceOf(Rejection.class);
    assertThat(
            root.authorize(
                Optional.of(ADMIN_KEY), domain, rrs("www.members.example. 60 IN A 192.0.2.66")))
        .isEqualTo(UpdateVerdict.ACCEPTED);
  }

  @Test
  void readPermission() {
    assertThat(POLICY.mayRead(Optional.of(READER_KEY), Fixtures.APEX)).isTrue();
    assertThat(POLICY.mayRead(Optional.of(ALICE_KEY), Fixtures.APEX)).isTrue();
    assertThat(POLICY.mayRead(Optional.of(BOB_KEY), Fixtures.APEX)).isFalse();
    assertThat(POLICY.mayRead(Optional.empty(), Fixtures.APEX)).isFalse();
  }

  @Test
  void wildcardCoversZonesStrictlyBelow() {
    Grant g = new Grant("*.members.example.", Grant.Permission.UPDATE);
    assertThat(g.covers(Fixtures.APEX, Grant.Permission.UPDATE)).isTrue();
    assertThat(g.covers(Fixtures.DOMAIN, Grant.Permission.UPDATE)).isFalse();
    assertThat(g.covers(Names.absolute("alice.example."), Grant.Permission.UPDATE)).isFalse();
  }
}
