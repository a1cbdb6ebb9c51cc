package net.membersdns.agent.netwatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressScopeTest {
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "10.0.0.1, PRIVATE",
    "10.255.255.255, PRIVATE",
    "172.15.255.255, PUBLIC",
    "172.16.0.0, PRIVATE",
    "172.31.255.255, PRIVATE",
    "172.32.0.0, PUBLIC",
    "192.168.0.1, PRIVATE",
    "192.169.0.1, PUBLIC",
    "100.63.255.255, PUBLIC",
    "100.64.0.0, SHARED",
    "100.127.255.255, SHARED",
    "100.128.0.0, PUBLIC",
    "169.254.1.1, LINK_LOCAL",
    "127.0.0.1, LOOPBACK",
    "0.0.0.0, UNUSABLE",
    "224.0.0.1, UNUSABLE",
    "255.255.255.255, UNUSABLE",
    "198.18.1.2, PUBLIC",
    "8.8.8.8, PUBLIC"
  })
  void classifies(String address, AddressScope scope) {
    assertThat(AddressScope.of(Ipv4.parse(address))).isEqualTo(scope);
    assertThat(AddressScope.isPublic(Ipv4.parse(address))).isEqualTo(scope == AddressScope.PUBLIC);
  }
}
