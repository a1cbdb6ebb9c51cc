package net.membersdns.agent.netwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The local address chosen for a gateway, and the state read from a routing table. */
class NetworkStateReaderTest {
  @Test
  void theAddressOnTheGatewaysSubnetIsChosen() {
    List<NetworkStateReader.Assigned> assigned =
        List.of(
            new NetworkStateReader.Assigned(Ipv4.parse("10.9.0.5"), 16),
            new NetworkStateReader.Assigned(Ipv4.parse("192.168.1.2"), 24));
    assertThat(NetworkStateReader.chooseLocal(assigned, Ipv4.parse("192.168.1.1")))
        .contains(Ipv4.parse("192.168.1.2"));
  }

  @Test
  void withoutOneTheFirstThatIsNotLinkLocal() {
    List<NetworkStateReader.Assigned> assigned =
        List.of(
            new NetworkStateReader.Assigned(Ipv4.parse("169.254.3.4"), 16),
            new NetworkStateReader.Assigned(Ipv4.parse("100.80.1.2"), 32));
    assertThat(NetworkStateReader.chooseLocal(assigned, Ipv4.parse("100.64.0.1")))
        .contains(Ipv4.parse("100.80.1.2"));
    assertThat(NetworkStateReader.chooseLocal(List.of(), Ipv4.parse("100.64.0.1"))).isEmpty();
  }

  @Test
  void prefixesFromZeroToThirtyTwo() {
    assertThat(
            new NetworkStateReader.Assigned(Ipv4.parse("10.0.0.1"), 0)
                .sameSubnet(Ipv4.parse("1.2.3.4")))
        .isTrue();
    assertThat(
            new NetworkStateReader.Assigned(Ipv4.parse("10.0.0.1"), 32)
                .sameSubnet(Ipv4.parse("10.0.0.2")))
        .isFalse();
    assertThat(
            new NetworkStateReader.Assigned(Ipv4.parse("10.0.0.1"), 31)
                .sameSubnet(Ipv4.parse("10.0.0.0")))
        .isTrue();
  }

  @Test
  void noDefaultRouteIsNoState() {
    NetworkStateReader reader =
        new NetworkStateReader(() -> RoutingTable.parse("", ByteOrder.LITTLE_ENDIAN));
    assertThat(reader.get()).isEqualTo(NetworkState.none());
  }

  @Test
  void aDefaultRouteThroughAMissingInterfaceHasNoLocalAddress() {
    String table =
        "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
            + "nosuch9\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\n";
    NetworkState s =
        new NetworkStateReader(() -> RoutingTable.parse(table, ByteOrder.LITTLE_ENDIAN)).get();
    assertThat(s.gateway()).contains(Ipv4.parse("192.168.1.1"));
    assertThat(s.interfaceName()).contains("nosuch9");
    assertThat(s.localAddress()).isEmpty();
    assertThat(s.canAskGateway()).isFalse();
  }

  @Test
  void describesItselfInWords() {
    assertThat(NetworkState.none().describe()).isEqualTo("no IPv4 default route");
    assertThat(
            NetworkState.of(Ipv4.parse("192.168.1.1"), "eth0", Ipv4.parse("192.168.1.2"))
                .describe())
        .isEqualTo("192.168.1.2 on eth0 via 192.168.1.1");
    assertThat(
            new NetworkState(
                    Optional.empty(), Optional.of("eth0"), Optional.of(Ipv4.parse("198.18.3.2")))
                .hasPublicAddress())
        .isTrue();
  }
}
