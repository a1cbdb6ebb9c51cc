package net.membersdns.agent.netwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a change is reported, its words, and what kind of kernel message a monitor line is. */
class NetworkChangeTest {
  static final NetworkState ON_A =
      NetworkState.of(Ipv4.parse("192.168.1.1"), "eth0", Ipv4.parse("192.168.1.2"));
  static final NetworkState ON_B =
      NetworkState.of(Ipv4.parse("192.168.2.1"), "eth0", Ipv4.parse("192.168.2.3"));

  @Test
  void namesWhatChanged() {
    assertThat(NetworkChange.differences(ON_A, ON_B))
        .isEqualTo("gateway 192.168.1.1 → 192.168.2.1, local address 192.168.1.2 → 192.168.2.3");
    assertThat(NetworkChange.differences(ON_A, NetworkState.none()))
        .isEqualTo("gateway 192.168.1.1 gone, local address 192.168.1.2 gone, interface eth0 gone");
    assertThat(NetworkChange.differences(NetworkState.none(), ON_A))
        .startsWith("gateway 192.168.1.1 appeared");
    assertThat(
            NetworkChange.differences(
                ON_A, new NetworkState(ON_A.gateway(), Optional.of("wlan0"), ON_A.localAddress())))
        .isEqualTo("interface eth0 → wlan0");
  }

  @Test
  void onlyADifferentStateOrAClockJumpIsReported() {
    java.time.Instant t = java.time.Instant.EPOCH;
    assertThat(NetworkChange.between(ON_A, ON_A, NetworkChange.Trigger.NETLINK, "netlink: link", t))
        .isEmpty();
    assertThat(
            NetworkChange.between(ON_A, ON_A, NetworkChange.Trigger.POLL, "the periodic check", t))
        .isEmpty();
    assertThat(NetworkChange.between(ON_A, ON_A, NetworkChange.Trigger.CLOCK_JUMP, "clock jump", t))
        .hasValueSatisfying(
            c -> assertThat(c.reason()).isEqualTo("network unchanged (clock jump)"));
    assertThat(
            NetworkChange.between(ON_A, ON_B, NetworkChange.Trigger.NETLINK, "netlink: route", t))
        .hasValueSatisfying(c -> {
          assertThat(c.previous()).isEqualTo(ON_A);
          assertThat(c.current()).isEqualTo(ON_B);
          assertThat(c.reason())
              .isEqualTo(
                  "gateway 192.168.1.1 → 192.168.2.1, local address 192.168.1.2 → 192.168.2.3"
                      + " (netlink: route)");
        });
  }

  @Test
  void aChangeKnowsWhetherTheMappingIsAffected() {
    java.time.Instant t = java.time.Instant.EPOCH;
    assertThat(
            new NetworkChange(ON_A, ON_B, NetworkChange.Trigger.NETLINK, "x", t)
                .gatewayOrAddressChanged())
        .isTrue();
    assertThat(
            new NetworkChange(ON_A, ON_A, NetworkChange.Trigger.CLOCK_JUMP, "x", t)
                .gatewayOrAddressChanged())
        .isFalse();
  }

  @Test
  void classifiesMonitorLines() {
    // lines of `ip -4 -o monitor link address route` during a move (test network)
    assertThat(
            IpMonitor.kindOf(
                "2: eth0@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue state DOWN group default \\    link/ether 0e:74:9c:9d:d8:fe brd ff:ff:ff:ff:ff:ff"))
        .isEqualTo("link");
    assertThat(
            IpMonitor.kindOf(
                "Deleted 2: eth0@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN"))
        .isEqualTo("link");
    assertThat(
            IpMonitor.kindOf(
                "Deleted 2: eth0    inet 192.168.1.2/24 scope global eth0\\       valid_lft forever preferred_lft forever"))
        .isEqualTo("address");
    assertThat(
            IpMonitor.kindOf(
                "3: eth0    inet 192.168.2.3/24 scope global eth0\\       valid_lft forever"))
        .isEqualTo("address");
    assertThat(IpMonitor.kindOf("default via 192.168.2.1 dev eth0 ")).isEqualTo("route");
    assertThat(
            IpMonitor.kindOf(
                "Deleted local 192.168.2.3 dev eth0 table local proto kernel scope host src 192.168.2.3 "))
        .isEqualTo("route");
  }
}
