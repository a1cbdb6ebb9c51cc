package net.membersdns.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpTextTest {
  @ParameterizedTest
  @CsvSource({
    "fd6d:6474:6200:0:0:0:0:b, fd6d:6474:6200::b",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", // RFC 5952 §4.2.3: the first of equal runs
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1", // the longest run
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // §4.2.2: never one group
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "FE80:0:0:0:0:0:0:0, fe80::",
    "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1"
  })
  void ipv6IsWrittenInRfc5952Form(String in, String out) {
    assertThat(IpText.address(IpText.address(in))).isEqualTo(out);
  }

  @ParameterizedTest
  @CsvSource({
    "198.18.2.2:51820, 198.18.2.2:51820",
    "'[2001:db8::1]:4500', '[2001:db8::1]:4500'",
    "'[fe80::1%eth0]:51820', '[fe80::1]:51820'",
    "'[2001:db8:0:0:0:0:0:1]:1', '[2001:db8::1]:1'"
  })
  void endpointsRoundTrip(String in, String out) {
    InetSocketAddress e = IpText.endpoint(in);
    assertThat(IpText.endpoint(e)).isEqualTo(out);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.com:1",
        "1.2.3:1",
        "256.1.1.1:1",
        "2001:db8::1:4500",
        "1.2.3.4",
        "1.2.3.4:0",
        "1.2.3.4:65536",
        "1.2.3.4:x",
        "[zz::1]:1"
      })
  void onlyLiteralEndpointsParse(String text) {
    assertThatThrownBy(() -> IpText.endpoint(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "example.com", "", "01.2.3.4", "fd6d::g"})
  void namesAreNeverResolved(String text) {
    assertThatThrownBy(() -> IpText.address(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "10.9.0.0/24, 24",
    "fd6d:6474:6200::b/128, 128",
    "fd6d:6474:6200::b, 128",
    "1.2.3.4, 32"
  })
  void prefixesParse(String text, int length) {
    IpPrefix p = IpPrefix.parse(text);
    assertThat(p.length()).isEqualTo(length);
    assertThat(p.address())
        .isInstanceOf(text.contains(":") ? Inet6Address.class : Inet4Address.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4/33", "fd00::/129", "1.2.3.4/x", "1.2.3.4/-1"})
  void badPrefixesAreRefused(String text) {
    assertThatThrownBy(() -> IpPrefix.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
