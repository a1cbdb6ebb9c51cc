package net.membersdns.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Tunnel#reconcile} against an in-memory device and link: only the difference is written.
 */
class TunnelReconcileTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final Inet6Address ULA_A = ula("fd6d:6474:6200::a");
  static final Inet6Address ULA_B = ula("fd6d:6474:6200::b");
  static final Inet6Address ULA_C = ula("fd6d:6474:6200::c");
  static final InetSocketAddress B_PUBLIC = IpText.endpoint("198.18.2.2:51820");
  static final InetSocketAddress B_LAN = IpText.endpoint("192.168.2.2:51820");

  private final KeyPair us = KeyPair.generate(RANDOM);
  private final WgKey keyB = KeyPair.generate(RANDOM).publicKey();
  private final WgKey keyC = KeyPair.generate(RANDOM).publicKey();
  private FakeDevice device;
  private FakeLink link;
  private Tunnel tunnel;

  @BeforeEach
  void open() throws IOException {
    device = new FakeDevice();
    link = new FakeLink();
    tunnel = tunnel(device, link);
    tunnel.configure(us.privateKey(), 51820);
    device.writes.clear();
    link.writes = 0;
  }

  private Tunnel tunnel(FakeDevice d, FakeLink l) {
    return new Tunnel(
        d,
        l,
        us.publicKey(),
        ULA_A,
        Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC),
        Optional.empty());
  }

  @Test
  void openSetsKeyPortAddressAndUpOnceAndNotAgain() throws IOException {
    FakeDevice d = new FakeDevice();
    FakeLink l = new FakeLink();
    Tunnel t = tunnel(d, l);
    t.configure(us.privateKey(), 51820);
    assertThat(d.writes).hasSize(1);
    assertThat(d.get().privateKey()).contains(us.privateKey());
    assertThat(d.get().listenPort()).isEqualTo(51820);
    assertThat(l.addresses).containsExactly(ULA_A);
    assertThat(l.up).isTrue();

    tunnel(d, l).configure(us.privateKey(), 51820); // a second run finds it all in place
    assertThat(d.writes).hasSize(1);
    assertThat(l.writes).isEqualTo(1);
  }

  @Test
  void addsPeersWithEndpointKeepaliveAllowedIpAndRoute() throws IOException {
    ReconcileResult r = tunnel.reconcile(List.of(peerB(B_PUBLIC), peerC()));
    assertThat(r.added()).containsExactly("mbp-b", "mbp-c");
    assertThat(r.deviceWrites()).isEqualTo(1);
    assertThat(r.routesAdded()).isEqualTo(2);
    assertThat(device.writes).hasSize(1);
    PeerState b = device.get().peersByKey().get(keyB);
    assertThat(b.endpoint()).contains(B_PUBLIC);
    assertThat(b.persistentKeepalive()).isEqualTo(25);
    assertThat(b.allowedIps()).containsExactly(IpPrefix.host(ULA_B));
    PeerState c = device.get().peersByKey().get(keyC);
    assertThat(c.endpoint()).as("configured without endpoint: no path yet").isEmpty();
    assertThat(link.routes).containsExactlyInAnyOrder(ULA_B, ULA_C);
  }

  @Test
  void unchangedDesiredStateWritesNothing() throws IOException {
    tunnel.reconcile(List.of(peerB(B_PUBLIC), peerC()));
    int linkWrites = link.writes;
    long deviceWrites = tunnel.deviceWrites();
    ReconcileResult again = tunnel.reconcile(List.of(peerB(B_PUBLIC), peerC()));
    assertThat(again.unchanged()).isTrue();
    assertThat(again.added()).isEmpty();
    assertThat(again.changed()).isEmpty();
    assertThat(device.writes).hasSize(1);
    assertThat(link.writes).isEqualTo(linkWrites);
    assertThat(tunnel.deviceWrites()).isEqualTo(deviceWrites);
  }

  @Test
  void aPeerWhoseRecordsVanishedIsRemovedWithItsRoute() throws IOException {
    tunnel.reconcile(List.of(peerB(B_PUBLIC), peerC()));
    ReconcileResult r = tunnel.reconcile(List.of(peerB(B_PUBLIC)));
    assertThat(r.removed()).containsExactly("mbp-c");
    assertThat(r.routesRemoved()).isEqualTo(1);
    assertThat(device.get().peersByKey()).containsOnlyKeys(keyB);
    assertThat(device.writes.get(1).peers()).containsExactly(PeerUpdate.removal(keyC));
    assertThat(link.routes).containsExactly(ULA_B);
  }

  @Test
  void aStaleDevicePeerAndItsRouteAreRemoved() throws IOException {
    WgKey stale = KeyPair.generate(RANDOM).publicKey();
    device.putPeer(
        new PeerState(
            stale, Optional.empty(), List.of(IpPrefix.host(ULA_C)), 25, Optional.empty(), 0, 0));
    link.routes.add(ULA_C);
    link.routes.add(ULA_A); // our own address is never a peer route to delete
    ReconcileResult r = tunnel.reconcile(List.of(peerB(B_PUBLIC)));
    assertThat(r.removed()).containsExactly(stale.toString());
    assertThat(r.added()).containsExactly("mbp-b");
    assertThat(r.deviceWrites()).as("removal and addition in one write").isEqualTo(1);
    assertThat(device.get().peersByKey()).containsOnlyKeys(keyB);
    assertThat(link.routes).containsExactlyInAnyOrder(ULA_A, ULA_B);
  }

  @Test
  void anEndpointMoveWritesOnlyTheEndpoint() throws IOException {
    tunnel.reconcile(List.of(peerB(B_PUBLIC)));
    ReconcileResult r = tunnel.reconcile(List.of(peerB(B_LAN)));
    assertThat(r.changed()).containsExactly("mbp-b: endpoint 198.18.2.2:51820 → 192.168.2.2:51820");
    PeerUpdate u = device.writes.get(1).peers().get(0);
    assertThat(u.updateOnly()).isTrue();
    assertThat(u.endpoint()).contains(B_LAN);
    assertThat(u.persistentKeepalive()).isEmpty();
    assertThat(u.allowedIps()).isEmpty();
    assertThat(r.routesAdded() + r.routesRemoved()).isZero();
    assertThat(device.get().peersByKey().get(keyB).endpoint()).contains(B_LAN);
  }

  @Test
  void aKeepaliveChangeWritesOnlyTheKeepalive() throws IOException {
    tunnel.reconcile(List.of(peerB(B_PUBLIC)));
    DesiredPeer quiet = new DesiredPeer("mbp-b", keyB, ULA_B, publicPath(B_PUBLIC), 0);
    ReconcileResult r = tunnel.reconcile(List.of(quiet));
    assertThat(r.changed()).containsExactly("mbp-b: keepalive 25 → 0 s");
    PeerUpdate u = device.writes.get(1).peers().get(0);
    assertThat(u.endpoint()).isEmpty();
    assertThat(u.persistentKeepalive()).hasValue(0);
    assertThat(device.get().peersByKey().get(keyB).persistentKeepalive()).isZero();
  }

  @Test
  void extraOrWrongAllowedIpsAreReplaced() throws IOException {
    tunnel.reconcile(List.of(peerB(B_PUBLIC)));
    // somebody widened it by hand
    device.set(
        DeviceUpdate.ofPeers(
            List.of(
                new PeerUpdate(
                    keyB,
                    false,
                    true,
                    Optional.empty(),
                    java.util.OptionalInt.empty(),
                    Optional.of(List.of(IpPrefix.host(ULA_B), IpPrefix.parse("10.0.0.0/8")))))));
    ReconcileResult r = tunnel.reconcile(List.of(peerB(B_PUBLIC)));
    assertThat(r.changed()).singleElement().asString().contains("allowed IPs");
    assertThat(device.get().peersByKey().get(keyB).allowedIps())
        .containsExactly(IpPrefix.host(ULA_B));
  }

  @Test
  void aRoamedEndpointIsLeftAloneUntilWeMove() throws IOException {
    tunnel.reconcile(List.of(peerB(B_PUBLIC)));
    InetSocketAddress roamed = IpText.endpoint("198.18.2.9:40001");
    device.roam(keyB, roamed);
    ReconcileResult r = tunnel.reconcile(List.of(peerB(B_PUBLIC)));
    assertThat(r.unchanged()).as("WireGuard followed the peer: do not fight it").isTrue();
    assertThat(device.get().peersByKey().get(keyB).endpoint()).contains(roamed);

    tunnel.networkChanged(); // we moved: what worked from the old place may not from here
    ReconcileResult after = tunnel.reconcile(List.of(peerB(B_PUBLIC)));
    assertThat(after.deviceWrites()).isEqualTo(1);
    assertThat(device.get().peersByKey().get(keyB).endpoint()).contains(B_PUBLIC);
  }

  @Test
  void aPeerWithoutEndpointKeepsTheOneWireGuardLearned() throws IOException {
    tunnel.reconcile(List.of(peerC()));
    device.roam(keyC, IpText.endpoint("198.18.3.2:51820"));
    assertThat(tunnel.reconcile(List.of(peerC())).unchanged()).isTrue();
  }

  @Test
  void aFreshRunComparesWithTheDeviceOnly() throws IOException {
    tunnel.reconcile(List.of(peerB(B_PUBLIC)));
    device.roam(keyB, IpText.endpoint("198.18.2.9:40001"));
    Tunnel restarted = tunnel(device, link);
    ReconcileResult r = restarted.reconcile(List.of(peerB(B_PUBLIC)));
    assertThat(r.changed()).singleElement().asString().startsWith("mbp-b: endpoint");
  }

  @Test
  void aFailedWriteIsRetriedByTheNextReconcile() throws IOException {
    device.failNextSet = new UapiException("UAPI set", -22);
    assertThatThrownBy(() -> tunnel.reconcile(List.of(peerB(B_PUBLIC))))
        .isInstanceOf(UapiException.class);
    assertThat(device.get().peers()).isEmpty();
    ReconcileResult r = tunnel.reconcile(List.of(peerB(B_PUBLIC)));
    assertThat(r.added()).containsExactly("mbp-b");
    assertThat(device.get().peersByKey()).containsOnlyKeys(keyB);
  }

  @Test
  void refusesOurselvesAndDuplicatesWithoutWriting() {
    DesiredPeer self = new DesiredPeer("me", us.publicKey(), ULA_B, publicPath(B_PUBLIC), 25);
    DesiredPeer ourUla = new DesiredPeer("me", keyB, ULA_A, publicPath(B_PUBLIC), 25);
    DesiredPeer sameUla = new DesiredPeer("mbp-c", keyC, ULA_B, publicPath(B_LAN), 25);
    assertThatThrownBy(() -> tunnel.reconcile(List.of(self)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tunnel.reconcile(List.of(ourUla)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tunnel.reconcile(List.of(peerB(B_PUBLIC), sameUla)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tunnel.reconcile(List.of(peerB(B_PUBLIC), peerB(B_LAN))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(device.writes).isEmpty();
    assertThat(link.writes).isZero();
  }

  @Test
  void listenPortChangesOnlyWhenDifferent() throws IOException {
    tunnel.changeListenPort(51820);
    assertThat(device.writes).isEmpty();
    tunnel.changeListenPort(51821);
    assertThat(device.get().listenPort()).isEqualTo(51821);
    assertThat(device.writes).hasSize(1);
  }

  @Test
  void closeRemovesRoutesAndTheAddressItAdded() throws IOException {
    tunnel.reconcile(List.of(peerB(B_PUBLIC), peerC()));
    tunnel.close();
    assertThat(link.routes).isEmpty();
    assertThat(link.addresses).isEmpty();
    tunnel.close(); // idempotent
    assertThatThrownBy(() -> tunnel.reconcile(List.of())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeLeavesAnAddressThatWasThereBefore() throws IOException {
    FakeDevice d = new FakeDevice();
    FakeLink l = new FakeLink();
    l.addresses.add(ULA_A);
    Tunnel t = tunnel(d, l);
    t.configure(us.privateKey(), 51820);
    t.close();
    assertThat(l.addresses).containsExactly(ULA_A);
  }

  private DesiredPeer peerB(InetSocketAddress endpoint) {
    return new DesiredPeer("mbp-b", keyB, ULA_B, publicPath(endpoint), 25);
  }

  private DesiredPeer peerC() {
    return new DesiredPeer(
        "mbp-c",
        keyC,
        ULA_C,
        new PathChoice(PathChoice.Kind.NONE, Optional.empty(), "mbp-c has no mapping: no path"),
        25);
  }

  static PathChoice publicPath(InetSocketAddress e) {
    return new PathChoice(PathChoice.Kind.PUBLIC, Optional.of(e), "public endpoint " + e);
  }

  static Inet6Address ula(String text) {
    return (Inet6Address) IpText.address(text);
  }
}
