package net.membersdns.protocol.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class HostNamesTest {
  private static final Name D = Name.fromConstantString("alice.members.example.");

  private static Name n(String s) {
    return Name.fromConstantString(s);
  }

  @Test
  void theRecordNamesOfAHost() {
    assertThat(HostNames.host(D, "MBP")).isEqualTo(n("mbp.alice.members.example."));
    assertThat(HostNames.tunnelService(D, "mbp"))
        .isEqualTo(n("_autotunnel._udp.mbp.alice.members.example."));
    assertThat(HostNames.tunnelTarget(D, "mbp"))
        .isEqualTo(n("_autotunnel.mbp.alice.members.example."));
    assertThat(HostNames.lanTarget(D, "mbp"))
        .isEqualTo(n("_lan._autotunnel.mbp.alice.members.example."));
    assertThat(HostNames.deviceInfo(D, "mbp"))
        .isEqualTo(n("mbp._device-info._tcp.alice.members.example."));
    assertThat(HostNames.browse(D)).isEqualTo(n("_autotunnel._udp.alice.members.example."));
    assertThat(DiscoveryNames.in(DiscoveryNames.UPDATE_TLS, D))
        .isEqualTo(n("_dns-update-tls._tcp.alice.members.example."));
  }

  @ParameterizedTest
  @CsvSource({
    "mbp.alice.members.example.,mbp",
    "_autotunnel._udp.mbp.alice.members.example.,mbp",
    "_lan._autotunnel.MBP.alice.members.example.,mbp",
    "alice.members.example.,",
    "_autotunnel._udp.alice.members.example.,",
    "mbp._device-info._tcp.alice.members.example.,",
    "mbp.bob.members.example.,",
  })
  void hostOfAName(String owner, String host) {
    assertThat(HostNames.hostOf(D, n(owner)).orElse(null)).isEqualTo(host);
  }

  @Test
  void instancesAndServiceTypes() {
    assertThat(HostNames.instanceOf(D, n("MBP._device-info._tcp.alice.members.example.")))
        .contains("mbp");
    assertThat(HostNames.instanceOf(D, n("_autotunnel._udp.mbp.alice.members.example."))).isEmpty();
    assertThat(HostNames.isServiceType(D, n("_autotunnel._udp.alice.members.example."))).isTrue();
    assertThat(HostNames.isServiceType(D, n("mbp._udp.alice.members.example."))).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    // owner, type, class, ptr target (for PTR), allowed for host mbp
    "mbp.alice.members.example.,AAAA,IN,,true",
    "mbp.alice.members.example.,ANY,ANY,,true",
    "_autotunnel._udp.mbp.alice.members.example.,SRV,ANY,,true",
    "deep.below._autotunnel.mbp.alice.members.example.,A,IN,,true",
    "mbp._device-info._tcp.alice.members.example.,TXT,IN,,true",
    "mbp._rfb._tcp.alice.members.example.,SRV,IN,,true",
    "mini.alice.members.example.,AAAA,IN,,false",
    "_autotunnel._udp.mini.alice.members.example.,SRV,ANY,,false",
    "mini._device-info._tcp.alice.members.example.,TXT,IN,,false",
    "alice.members.example.,TXT,IN,,false",
    "mbpx.alice.members.example.,AAAA,IN,,false",
    "_autotunnel._udp.alice.members.example.,PTR,IN,_autotunnel._udp.mbp.alice.members.example.,true",
    "_autotunnel._udp.alice.members.example.,PTR,NONE,_autotunnel._udp.mbp.alice.members.example.,true",
    "_rfb._tcp.alice.members.example.,PTR,IN,mbp._rfb._tcp.alice.members.example.,true",
    "_autotunnel._udp.alice.members.example.,PTR,IN,_autotunnel._udp.mini.alice.members.example.,false",
    "_autotunnel._udp.alice.members.example.,PTR,ANY,,false",
    "_autotunnel._udp.alice.members.example.,ANY,ANY,,false",
    "_autotunnel._udp.alice.members.example.,TXT,IN,,false",
  })
  void theSelfsubRule(String owner, String type, String dclass, String target, boolean allowed)
      throws Exception {
    Record rr;
    if (target != null && !target.isEmpty()) {
      rr = new PTRRecord(n(owner), DClass.value(dclass), 0, n(target));
    } else {
      rr = Record.newRecord(n(owner), Type.value(type), DClass.value(dclass), 0);
    }
    assertThat(HostNames.mayWrite(D, "mbp", rr)).isEqualTo(allowed);
  }

  @Test
  void hostLabels() {
    assertThat(HostNames.label("Mbp-2")).isEqualTo("mbp-2");
    assertThatThrownBy(() -> HostNames.label("_autotunnel")).hasMessageContaining("one DNS label");
    assertThatThrownBy(() -> HostNames.label("a.b")).hasMessageContaining("one DNS label");
    assertThat(HostNames.fromHostname("Alice's MacBook Pro.local"))
        .isEqualTo("alice-s-macbook-pro");
    assertThat(HostNames.fromHostname("___")).isEqualTo("host");
    assertThat(HostNames.fromHostname("x".repeat(70))).hasSize(63);
  }
}
