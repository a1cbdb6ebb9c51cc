package net.membersdns.agent.hostid;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UniqueLocalAddressTest {
  @Test
  void globalIdIsTheLow40BitsOfSha1OverNtpTimeAndNodeId() throws Exception {
    // Computed independently (Python hashlib): SHA-1(NTP(2026-11-30T00:00Z) ‖ node id)[-5:]
    var ula =
        UniqueLocalAddress.of(
            Instant.parse("2026-11-30T00:00:00Z"),
            "membersdns-test-node".getBytes(StandardCharsets.US_ASCII),
            0,
            HexFormat.of().parseHex("0123456789abcdef"));
    assertThat(ula).isEqualTo(InetAddress.getByName("fdbd:5686:dad9:0:123:4567:89ab:cdef"));
    assertThat(UniqueLocalAddress.isUla(ula)).isTrue();
  }

  @Test
  void ntpTimestampCountsFrom1900WithAFraction() {
    long ntp = UniqueLocalAddress.ntp(Instant.parse("1970-01-01T00:00:00.5Z"));
    assertThat(ntp >>> 32).isEqualTo(2_208_988_800L);
    assertThat(ntp & 0xFFFF_FFFFL).isEqualTo(1L << 31);
  }

  @Test
  void onlyFd00Slash8IsLocallyAssigned() throws Exception {
    assertThat(UniqueLocalAddress.isUla(InetAddress.getByName("fc00::1"))).isFalse();
    assertThat(UniqueLocalAddress.isUla(InetAddress.getByName("2001:db8::1"))).isFalse();
    assertThat(UniqueLocalAddress.isUla(InetAddress.getByName("10.0.0.1"))).isFalse();
  }
}
