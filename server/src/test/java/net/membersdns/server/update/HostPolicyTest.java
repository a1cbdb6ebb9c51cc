package net.membersdns.server.update;

import static net.membersdns.server.update.Fixtures.APEX;
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

/**
 * Host keys under the RFC 2136 §3.3 permission check: host {@code mbp}'s key writes mbp's names
 * (HostNames.mayWrite) and nothing else of {@code alice.members.example.}; the member's own key is
 * not restricted.
 */
class HostPolicyTest {
  static final Name MBP_KEY = Names.absolute("mbp.alice.key.members.example.");
  static final Name ALICE_KEY = Names.absolute("alice.key.members.example.");
  static final Map<Name, List<Grant>> GRANTS =
      Map.of(
          MBP_KEY,
          List.of(Grant.hostNames(APEX, "mbp"), new Grant(APEX.toString(), Grant.Permission.READ)),
          ALICE_KEY,
          List.of(Grant.memberZone(APEX)));
  static final UpdatePolicy POLICY = new UpdatePolicy(k -> GRANTS.getOrDefault(k, List.of()));
  static final ZoneData ZONE = Fixtures.zone(1);

  static Stream<Arguments> hostKey() {
    return Stream.of(
        Arguments.of("its AAAA", "mbp 120 IN AAAA fd12:3456:789a:1::1", Rcode.NOERROR),
        Arguments.of("its name in capitals", "MBP 120 IN AAAA fd12::1", Rcode.NOERROR),
        Arguments.of(
            "its tunnel SRV",
            "_autotunnel._udp.mbp 120 IN SRV 0 0 4500 _autotunnel.mbp",
            Rcode.NOERROR),
        Arguments.of("its tunnel A", "_autotunnel.mbp 120 IN A 198.51.100.7", Rcode.NOERROR),
        Arguments.of("its LAN A", "_lan._autotunnel.mbp 120 IN A 192.168.1.7", Rcode.NOERROR),
        Arguments.of(
            "its device-info instance",
            "mbp._device-info._tcp 120 IN TXT \"model=MacBookPro18,1\"",
            Rcode.NOERROR),
        Arguments.of("delete of its whole name", "mbp 0 ANY ANY", Rcode.NOERROR),
        Arguments.of(
            "browse PTR add", "_autotunnel._udp 120 IN PTR _autotunnel._udp.mbp", Rcode.NOERROR),
        Arguments.of(
            "browse PTR delete of its one PTR",
            "_autotunnel._udp 0 NONE PTR _autotunnel._udp.mbp",
            Rcode.NOERROR),
        Arguments.of("another host's AAAA", "mini 120 IN AAAA fd12::2", Rcode.REFUSED),
        Arguments.of("delete of another host", "mini 0 ANY ANY", Rcode.REFUSED),
        Arguments.of(
            "another host's tunnel SRV",
            "_autotunnel._udp.mini 120 IN SRV 0 0 4500 _autotunnel.mini",
            Rcode.REFUSED),
        Arguments.of(
            "another host's instance", "mini._device-info._tcp 120 IN TXT \"x\"", Rcode.REFUSED),
        Arguments.of(
            "browse PTR to another host",
            "_autotunnel._udp 120 IN PTR _autotunnel._udp.mini",
            Rcode.REFUSED),
        Arguments.of(
            "delete of another host's browse PTR",
            "_autotunnel._udp 0 NONE PTR _autotunnel._udp.mini",
            Rcode.REFUSED),
        Arguments.of(
            "delete of the whole browse RRset", "_autotunnel._udp 0 ANY PTR", Rcode.REFUSED),
        Arguments.of("delete of the browse name", "_autotunnel._udp 0 ANY ANY", Rcode.REFUSED),
        Arguments.of("TXT at the browse name", "_autotunnel._udp 120 IN TXT \"x\"", Rcode.REFUSED),
        Arguments.of("apex TXT", "@ 300 IN TXT \"hi\"", Rcode.REFUSED),
        Arguments.of("delete all at the apex", "@ 0 ANY ANY", Rcode.REFUSED),
        Arguments.of("apex SOA", "@ 0 ANY SOA", Rcode.REFUSED),
        Arguments.of(
            "discovery name",
            "_dns-update._udp 120 IN SRV 0 0 53 mbp.alice.members.example.",
            Rcode.REFUSED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostKey")
  void hostKeyWritesOnlyItsHostsNames(String label, String update, int rcode) {
    UpdateVerdict verdict = POLICY.authorize(Optional.of(MBP_KEY), ZONE, rrs(update));
    if (rcode == Rcode.NOERROR) {
      assertThat(verdict).isEqualTo(UpdateVerdict.ACCEPTED);
    } else {
      assertThat(verdict).isInstanceOf(Rejection.class);
      assertThat(((Rejection) verdict).rcode()).isEqualTo(rcode);
    }
  }

  @Test
  void oneForeignRecordRefusesTheWholeUpdateAndSaysWhy() {
    UpdateVerdict verdict =
        POLICY.authorize(
            Optional.of(MBP_KEY),
            ZONE,
            rrs(
                "mbp 120 IN AAAA fd12::1",
                "_autotunnel._udp 120 IN PTR _autotunnel._udp.mbp",
                "mini 120 IN AAAA fd12::2"));
    assertThat(verdict)
        .isEqualTo(
            new Rejection(
                Rcode.REFUSED,
                "key mbp.alice.key.members.example. of host mbp may not write"
                    + " mini.alice.members.example. AAAA (IN)"));
  }

  @Test
  void theMembersKeyIsNotRestrictedToAnyHost() {
    for (String update :
        List.of(
            "mini 120 IN AAAA fd12::2",
            "_autotunnel._udp 0 ANY PTR",
            "_autotunnel._udp 120 IN PTR _autotunnel._udp.mini",
            "@ 300 IN TXT \"hi\"")) {
      assertThat(POLICY.authorize(Optional.of(ALICE_KEY), ZONE, rrs(update)))
          .as(update)
          .isEqualTo(UpdateVerdict.ACCEPTED);
    }
  }

  @Test
  void aWholeZoneGrantBesideAHostGrantIsNotRestricted() {
    UpdatePolicy both =
        new UpdatePolicy(k -> List.of(Grant.hostNames(APEX, "mbp"), Grant.memberZone(APEX)));
    assertThat(both.authorize(Optional.of(MBP_KEY), ZONE, rrs("mini 120 IN AAAA fd12::2")))
        .isEqualTo(UpdateVerdict.ACCEPTED);
  }

  @Test
  void hostKeyReadsItsMembersZoneOnly() {
    Name bob = Names.absolute("bob.members.example.");
    assertThat(POLICY.mayRead(Optional.of(MBP_KEY), APEX)).isTrue();
    assertThat(POLICY.mayUpdate(Optional.of(MBP_KEY), APEX)).isTrue();
    assertThat(POLICY.mayRead(Optional.of(MBP_KEY), bob)).isFalse();
    assertThat(POLICY.mayUpdate(Optional.of(MBP_KEY), bob)).isFalse();
  }

  @Test
  void namesOutsideTheZoneAreLeftToThePrescansNotzone() {
    // RFC 2136 §3.4.1.1 answers NOTZONE for them, whoever signs; the policy does not pre-empt it.
    assertThat(POLICY.authorize(Optional.of(MBP_KEY), ZONE, rrs("www.example. 120 IN A 192.0.2.1")))
        .isEqualTo(UpdateVerdict.ACCEPTED);
    assertThat(UpdatePrescan.check(APEX, rrs("www.example. 120 IN A 192.0.2.1")))
        .isEqualTo(new Rejection(Rcode.NOTZONE, "update outside the zone: www.example."));
  }

  @Test
  void aHostGrantNamesOneZoneAndOneLabel() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Grant("*.members.example.", Grant.Permission.UPDATE, "mbp"))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Grant.hostNames(APEX, "_svc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Grant.hostNames(APEX, "MBP").host()).isEqualTo("mbp");
  }
}
