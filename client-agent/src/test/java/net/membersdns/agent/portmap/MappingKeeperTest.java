package net.membersdns.agent.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;
import net.membersdns.agent.diagnosis.Diagnosis.Kind;
import net.membersdns.agent.netwatch.Ipv4;
import net.membersdns.agent.netwatch.NetworkState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapper's decisions against scripted gateways on a clock moved by hand. */
class MappingKeeperTest {
  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  static final Inet4Address GW_A = Ipv4.parse("192.168.1.1");
  static final Inet4Address HOST_A = Ipv4.parse("192.168.1.2");
  static final Inet4Address GW_B = Ipv4.parse("192.168.2.1");
  static final Inet4Address HOST_B = Ipv4.parse("192.168.2.3");
  static final NetworkState ON_A = NetworkState.of(GW_A, "eth0", HOST_A);
  static final NetworkState ON_B = NetworkState.of(GW_B, "eth0", HOST_B);

  @TempDir Path stateDir;
  MutableClock clock = new MutableClock(T0);
  Map<String, FakeGateway> gateways = new HashMap<>();
  List<Inet4Address> probes = new ArrayList<>();
  SecondHop hop = new SecondHop.Target(Ipv4.parse("198.18.0.53"));
  MappingKeeper keeper;

  @BeforeEach
  void gatewaysOnBothNetworks() {
    gateway(GW_A, HOST_A, "198.18.1.2");
    gateway(GW_B, HOST_B, "198.18.2.2");
  }

  FakeGateway gateway(Inet4Address gw, Inet4Address local, String external) {
    return gateways.computeIfAbsent(
        gw.getHostAddress() + "/" + local.getHostAddress(),
        k -> new FakeGateway(gw, local, Ipv4.parse(external)));
  }

  MappingKeeper keeper() {
    MappingKeeper.Config cfg =
        new MappingKeeper.Config(
            51820,
            TransportProtocol.UDP,
            Duration.ofHours(2),
            clock,
            Duration.ofMinutes(1),
            Duration.ofSeconds(5),
            fixedRandom(1234),
            () -> Optional.of(Ipv4.parse("198.18.0.53")),
            target -> {
              probes.add(target);
              return hop;
            });
    keeper =
        new MappingKeeper(
            cfg, new MappingLedger(stateDir), (local, gw) -> gateway(gw, local, "203.0.113.9"));
    return keeper;
  }

  @Test
  void mapsAtOnceAndChecksAgainAfterTheInterval() {
    keeper().network(ON_A);
    FakeGateway a = gateway(GW_A, HOST_A, "");
    assertThat(a.maps).hasSize(1);
    assertThat(a.maps.get(0).suggestedExternalPort()).isEqualTo(51820);
    assertThat(a.maps.get(0).lifetime()).isEqualTo(Duration.ofHours(2));
    MappingState s = keeper.state();
    assertThat(s.isMapped()).isTrue();
    assertThat(s.protocol()).isEqualTo(MappingProtocol.PCP);
    assertThat(s.external())
        .hasValueSatisfying(e -> assertThat(e).hasToString("/198.18.1.2:51820"));
    assertThat(s.expiry()).contains(T0.plusSeconds(7200));
    assertThat(s.epoch()).isEqualTo(OptionalLong.of(100));
    assertThat(s.diagnosis().kind()).isEqualTo(Kind.MAPPED);
    assertThat(s.diagnosis().words())
        .isEqualTo(
            "UDP port 51820 of 192.168.1.2 is reachable from the Internet at 198.18.1.2:51820"
                + " (PCP mapping on the gateway 192.168.1.1)");
    assertThat(keeper.nextDue()).contains(T0.plusSeconds(60));
    assertThat(new MappingLedger(stateDir).read()).hasSize(1);
  }

  @Test
  void theCheckRenewsWithTheSameNonceAndTheGrantedPortAndAddress() {
    FakeGateway a = gateway(GW_A, HOST_A, "");
    a.mapAnswers.add(granted("198.18.1.2", 40000, 100));
    keeper().network(ON_A);
    clock.advance(Duration.ofSeconds(59));
    keeper.due();
    assertThat(a.maps).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    a.epoch = 160;
    keeper.due();
    assertThat(a.maps).hasSize(2);
    GatewayClient.Ask renewal = a.maps.get(1);
    assertThat(renewal.nonce()).isEqualTo(a.maps.get(0).nonce());
    assertThat(renewal.suggestedExternalPort()).isEqualTo(40000);
    assertThat(renewal.suggestedExternalAddress()).contains(Ipv4.parse("198.18.1.2"));
    assertThat(keeper.state().expiry()).contains(T0.plusSeconds(60 + 7200));
  }

  @Test
  void aPublicAddressOrNoGatewayMapsNothing() {
    keeper().network(NetworkState.of(Ipv4.parse("198.18.3.1"), "eth0", Ipv4.parse("198.18.3.2")));
    assertThat(keeper.state().diagnosis().kind()).isEqualTo(Kind.PUBLIC_ADDRESS);
    assertThat(keeper.state().diagnosis().words()).contains("198.18.3.2");
    assertThat(keeper.nextDue()).isEmpty();
    keeper.network(NetworkState.none());
    assertThat(keeper.state().diagnosis().kind()).isEqualTo(Kind.NO_GATEWAY);
    assertThat(gateways.values()).allSatisfy(g -> assertThat(g.maps).isEmpty());
  }

  @Test
  void theSameNetworkAgainChangesNothing() {
    keeper().network(ON_A);
    keeper.network(new NetworkState(ON_A.gateway(), Optional.of("eth1"), ON_A.localAddress()));
    assertThat(gateway(GW_A, HOST_A, "").maps).hasSize(1);
  }

  @Test
  void aMoveMapsOnTheNewGatewayAndKeepsTheUnreachableOldMappingInTheLedger() {
    keeper().network(ON_A);
    keeper.network(ON_B);
    assertThat(gateway(GW_B, HOST_B, "").maps).hasSize(1);
    assertThat(keeper.state().external().orElseThrow()).hasToString("/198.18.2.2:51820");
    assertThat(gateway(GW_A, HOST_A, "").deletes).isEmpty(); // 192.168.1.2 is gone: cannot ask
    assertThat(new MappingLedger(stateDir).read())
        .extracting(MappingLedger.Entry::gateway)
        .containsExactlyInAnyOrder(GW_A, GW_B);
    // back on A within the lifetime: the old one is released first, its port asked for again
    keeper.network(ON_A);
    FakeGateway a = gateway(GW_A, HOST_A, "");
    assertThat(a.deletes).hasSize(1);
    assertThat(a.deletes.get(0).nonce()).isEqualTo(a.maps.get(0).nonce());
    assertThat(a.maps).hasSize(2);
    assertThat(a.maps.get(1).nonce()).isNotEqualTo(a.maps.get(0).nonce());
  }

  @Test
  void aNewGatewayOnTheSameAddressDeletesTheOldMappingThere() {
    NetworkState otherRouter = NetworkState.of(Ipv4.parse("192.168.1.254"), "eth0", HOST_A);
    gateway(Ipv4.parse("192.168.1.254"), HOST_A, "198.18.9.9");
    keeper().network(ON_A);
    keeper.network(otherRouter);
    assertThat(gateway(GW_A, HOST_A, "").deletes).hasSize(1);
    assertThat(new MappingLedger(stateDir).read())
        .extracting(MappingLedger.Entry::gateway)
        .containsExactly(Ipv4.parse("192.168.1.254"));
  }

  @Test
  void aCrashedRunsMappingIsReleasedBeforeMappingAgain() {
    MappingLedger.Entry left =
        new MappingLedger.Entry(
            GW_A,
            HOST_A,
            MappingProtocol.PCP,
            TransportProtocol.UDP,
            51820,
            51999,
            Optional.of(PcpNonce.ofHex("0102030405060708090a0b0c")),
            T0.plusSeconds(3000));
    new MappingLedger(stateDir).write(List.of(left));
    keeper().network(ON_A);
    FakeGateway a = gateway(GW_A, HOST_A, "");
    assertThat(a.deletes)
        .singleElement()
        .satisfies(d -> assertThat(d.nonce()).isEqualTo(left.nonce().get()));
    assertThat(a.maps.get(0).suggestedExternalPort()).isEqualTo(51999);
    assertThat(new MappingLedger(stateDir).read())
        .singleElement()
        .satisfies(e -> assertThat(e.nonce()).isNotEqualTo(left.nonce()));
  }

  @Test
  void aRefusalIsNamedAndRetriedAfterAQuarterSecond() {
    FakeGateway a = gateway(GW_A, HOST_A, "");
    a.mapAnswers.add(refused(MappingProtocol.PCP, 2, "NOT_AUTHORIZED", Optional.empty()));
    keeper().network(ON_A);
    MappingState s = keeper.state();
    assertThat(s.isMapped()).isFalse();
    assertThat(s.diagnosis().kind()).isEqualTo(Kind.MAPPING_REFUSED);
    assertThat(s.diagnosis().words())
        .startsWith("the gateway 192.168.1.1 refused the mapping: NOT_AUTHORIZED (2)");
    assertThat(s.lastError()).contains("PCP NOT_AUTHORIZED (2)");
    assertThat(keeper.nextDue()).contains(T0.plusMillis(250));
    assertThat(probes).isEmpty(); // a plain refusal says nothing about the path
  }

  @Test
  void silenceWithAPrivateSecondHopIsDoubleNatProbedOncePerNetwork() {
    hop = new SecondHop.Router(Ipv4.parse("10.0.0.1"));
    FakeGateway a = gateway(GW_A, HOST_A, "");
    a.mapAnswers.add(new MapOutcome.NoAnswer("PCP and NAT-PMP"));
    a.mapAnswers.add(new MapOutcome.NoAnswer("PCP and NAT-PMP"));
    keeper().network(ON_A);
    clock.advance(Duration.ofMillis(250));
    keeper.due();
    assertThat(a.maps).hasSize(2);
    assertThat(probes).hasSize(1);
    assertThat(keeper.state().diagnosis().kind()).isEqualTo(Kind.DOUBLE_NAT);
    assertThat(keeper.state().diagnosis().words()).contains("192.168.1.1").contains("10.0.0.1");
  }

  @Test
  void silenceWithAPublicPathIsNoPortMappingProtocol() {
    FakeGateway a = gateway(GW_A, HOST_A, "");
    a.mapAnswers.add(new MapOutcome.NoAnswer("PCP and NAT-PMP"));
    keeper().network(ON_A);
    assertThat(keeper.state().diagnosis().kind()).isEqualTo(Kind.NO_PORT_MAPPING_PROTOCOL);
    assertThat(keeper.state().diagnosis().words())
        .contains("192.168.1.1")
        .contains("no answer to PCP and NAT-PMP")
        .contains("to 192.168.1.2");
  }

  @Test
  void aRouterBehindARouterRefusingWithItsPrivateAddressIsDoubleNat() {
    hop = new SecondHop.Router(Ipv4.parse("192.168.1.1"));
    Inet4Address gwD = Ipv4.parse("192.168.4.1");
    Inet4Address hostD = Ipv4.parse("192.168.4.2");
    FakeGateway d = gateway(gwD, hostD, "0.0.0.0");
    d.mapAnswers.add(
        refused(MappingProtocol.PCP, 8, "NO_RESOURCES", Optional.of(Ipv4.parse("192.168.1.10"))));
    keeper().network(NetworkState.of(gwD, "eth0", hostD));
    assertThat(keeper.state().diagnosis().kind()).isEqualTo(Kind.DOUBLE_NAT);
    assertThat(keeper.state().diagnosis().words())
        .contains("192.168.4.1")
        .contains("192.168.1.1")
        .contains("192.168.1.10");
  }

  @Test
  void anUnansweredRenewalKeepsTheMappingUntilItExpires() {
    FakeGateway a = gateway(GW_A, HOST_A, "");
    a.mapAnswers.add(granted("198.18.1.2", 51820, 100, Duration.ofSeconds(120)));
    keeper().network(ON_A);
    for (int i = 0; i < 30; i++) {
      a.mapAnswers.add(new MapOutcome.NoAnswer("PCP"));
    }
    clock.advance(Duration.ofSeconds(60));
    keeper.due();
    assertThat(keeper.state().isMapped()).isTrue();
    assertThat(keeper.state().diagnosis().kind()).isEqualTo(Kind.MAPPED);
    assertThat(keeper.state().lastError()).contains("no answer to PCP");
    clock.advance(Duration.ofSeconds(60));
    keeper.due();
    assertThat(keeper.state().isMapped()).isFalse();
    assertThat(keeper.state().diagnosis().kind()).isEqualTo(Kind.NO_PORT_MAPPING_PROTOCOL);
    assertThat(new MappingLedger(stateDir).read()).isEmpty();
  }

  @Test
  void anAnnouncementReChecksTheMappingAfterTheJitter() {
    FakeGateway a = gateway(GW_A, HOST_A, "");
    keeper().network(ON_A);
    clock.advance(Duration.ofSeconds(10));
    keeper.announcement(announcement(GW_A, 0)); // the gateway restarted
    Instant due = keeper.nextDue().orElseThrow();
    assertThat(due).isBetween(clock.instant(), clock.instant().plusSeconds(5));
    clock.advance(Duration.between(clock.instant(), due));
    keeper.due();
    assertThat(a.maps).hasSize(2);
    assertThat(a.maps.get(1).nonce()).isEqualTo(a.maps.get(0).nonce());
    assertThat(keeper.nextDue()).contains(clock.instant().plusSeconds(60));
  }

  @Test
  void aNewExternalAddressInAnAnnouncementIsCheckedAtOnce() {
    keeper().network(ON_A);
    keeper.announcement(
        new AnnouncementListener.Announcement(
            GW_A, MappingProtocol.NAT_PMP, 500, Optional.of(Ipv4.parse("198.18.1.3"))));
    assertThat(keeper.nextDue()).contains(T0);
  }

  @Test
  void anAnnouncementFromAnotherAddressIsIgnored() {
    keeper().network(ON_A);
    keeper.announcement(announcement(Ipv4.parse("192.168.1.50"), 0));
    assertThat(keeper.nextDue()).contains(T0.plusSeconds(60));
  }

  @Test
  void closeDeletesTheMappingAndEmptiesTheLedger() {
    keeper().network(ON_A);
    keeper.close();
    FakeGateway a = gateway(GW_A, HOST_A, "");
    assertThat(a.deletes)
        .singleElement()
        .satisfies(d -> {
          assertThat(d.nonce()).isEqualTo(a.maps.get(0).nonce());
          assertThat(d.lifetime()).isZero();
        });
    assertThat(a.closed).isTrue();
    assertThat(new MappingLedger(stateDir).read()).isEmpty();
    assertThat(keeper.state().isMapped()).isFalse();
    assertThat(keeper.state().diagnosis().kind()).isEqualTo(Kind.UNKNOWN);
    assertThat(keeper.state().diagnosis().words())
        .isEqualTo("the port mapper stopped and deleted its mapping 198.18.1.2:51820");
  }

  @Test
  void anUnansweredDeletionOnCloseStaysInTheLedger() {
    gateway(GW_A, HOST_A, "").deleteAnswers.add(new MapOutcome.NoAnswer("PCP"));
    keeper().network(ON_A);
    keeper.close();
    assertThat(new MappingLedger(stateDir).read()).hasSize(1);
    assertThat(keeper.state().diagnosis().words())
        .contains("could not be deleted and ends at " + T0.plusSeconds(7200));
  }

  static MapOutcome.Granted granted(String external, int port, long epoch) {
    return granted(external, port, epoch, Duration.ofHours(2));
  }

  static MapOutcome.Granted granted(String external, int port, long epoch, Duration lifetime) {
    return new MapOutcome.Granted(MappingProtocol.PCP, Ipv4.parse(external), port, lifetime, epoch);
  }

  static MapOutcome.Refused refused(
      MappingProtocol p, int code, String name, Optional<Inet4Address> external) {
    return new MapOutcome.Refused(p, code, name, OptionalLong.of(5), Duration.ZERO, external);
  }

  static AnnouncementListener.Announcement announcement(Inet4Address from, long epoch) {
    return new AnnouncementListener.Announcement(
        from, MappingProtocol.PCP, epoch, Optional.empty());
  }

  static RandomGenerator fixedRandom(long seed) {
    return new java.util.SplittableRandom(seed);
  }
}
