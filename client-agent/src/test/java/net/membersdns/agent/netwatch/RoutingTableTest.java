package net.membersdns.agent.netwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** {@code /proc/net/route} as Linux prints it (captured in the test network's host-a). */
class RoutingTableTest {
  static final String HOST_A =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT    \n"
          + "eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0                                                                               \n"
          + "eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0                                                                               \n";

  @Test
  void readsLittleEndianAddresses() {
    RoutingTable t = RoutingTable.parse(HOST_A, ByteOrder.LITTLE_ENDIAN);
    assertThat(t.routes()).hasSize(2);
    RoutingTable.Route d = t.defaultRoute().orElseThrow();
    assertThat(d.interfaceName()).isEqualTo("eth0");
    assertThat(d.gateway()).isEqualTo(Ipv4.parse("192.168.1.1"));
    RoutingTable.Route lan = t.routes().get(1);
    assertThat(lan.destination()).isEqualTo(Ipv4.parse("192.168.1.0"));
    assertThat(lan.mask()).isEqualTo(Ipv4.parse("255.255.255.0"));
    assertThat(lan.isDefaultViaGateway()).isFalse();
  }

  @Test
  void aBigEndianHostPrintsNetworkOrder() {
    String text =
        "Iface Destination Gateway Flags RefCnt Use Metric Mask\nwan 00000000 C0A80101 0003 0 0 0 00000000\n";
    assertThat(
            RoutingTable.parse(text, ByteOrder.BIG_ENDIAN).defaultRoute().orElseThrow().gateway())
        .isEqualTo(Ipv4.parse("192.168.1.1"));
  }

  @Test
  void theLowestMetricWins() {
    String text =
        "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
            + "wlan0\t00000000\t0102A8C0\t0003\t0\t0\t600\t00000000\n"
            + "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\n";
    RoutingTable.Route d =
        RoutingTable.parse(text, ByteOrder.LITTLE_ENDIAN).defaultRoute().orElseThrow();
    assertThat(d.interfaceName()).isEqualTo("eth0");
    assertThat(d.metric()).isEqualTo(100);
  }

  @Test
  void routesThatAreDownOrHaveNoGatewayAreNoDefault() {
    String text =
        "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
            + "eth0\t00000000\t0101A8C0\t0002\t0\t0\t0\t00000000\n" // not up
            + "wg0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\n"; // on-link default
    assertThat(RoutingTable.parse(text, ByteOrder.LITTLE_ENDIAN).defaultRoute()).isEmpty();
  }

  @Test
  void malformedLinesAreSkipped() {
    String text =
        "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
            + "eth0\t0000\t0101A8C0\t0003\t0\t0\t0\t00000000\n"
            + "eth0\tzzzzzzzz\t0101A8C0\t0003\t0\t0\t0\t00000000\n"
            + "short line\n"
            + "\n";
    assertThat(RoutingTable.parse(text, ByteOrder.LITTLE_ENDIAN).routes()).isEmpty();
    assertThat(RoutingTable.parse("", ByteOrder.LITTLE_ENDIAN).defaultRoute()).isEmpty();
  }
}
