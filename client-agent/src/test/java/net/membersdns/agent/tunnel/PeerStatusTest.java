package net.membersdns.agent.tunnel;

import static net.membersdns.agent.tunnel.TunnelReconcileTest.ULA_B;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerStatusTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final WgKey KEY = KeyPair.generate(new SecureRandom()).publicKey();
  private static final InetSocketAddress PUB = IpText.endpoint("198.18.2.2:51821");
  private static final PathChoice PUBLIC =
      new PathChoice(PathChoice.Kind.PUBLIC, Optional.of(PUB), "public endpoint 198.18.2.2:51821");
  private static final PathChoice NONE =
      new PathChoice(
          PathChoice.Kind.NONE,
          Optional.empty(),
          "mbp-b has no mapping: no path — it is behind a double NAT");

  @Test
  void aRecentHandshakeIsADirectPath() {
    PeerStatus s = status(PUBLIC, Optional.of(PUB), Optional.of(NOW.minusSeconds(12)));
    assertThat(s.path()).isEqualTo(PeerStatus.Path.DIRECT);
    assertThat(s.reason()).isEqualTo("handshake 12 s ago");
    assertThat(s.endpoint()).contains(PUB);
    assertThat(s.endpointWhy()).isEqualTo("public endpoint 198.18.2.2:51821");
    assertThat(s.lastHandshake()).contains(Duration.ofSeconds(12));
    assertThat(s.rxBytes()).isEqualTo(1000);
    assertThat(s.txBytes()).isEqualTo(2000);
    assertThat(s.toString())
        .isEqualTo(
            "mbp-b fd6d:6474:6200::b endpoint 198.18.2.2:51821 (public endpoint 198.18.2.2:51821),"
                + " handshake 12 s ago, rx 1000 B, tx 2000 B: direct — handshake 12 s ago");
  }

  @Test
  void noEndpointAndNoHandshakeSaysWhyInPlainWords() {
    PeerStatus s = status(NONE, Optional.empty(), Optional.empty());
    assertThat(s.path()).isEqualTo(PeerStatus.Path.NO_PATH);
    assertThat(s.reason()).isEqualTo("mbp-b has no mapping: no path — it is behind a double NAT");
    assertThat(s.lastHandshake()).isEmpty();
  }

  @Test
  void anEndpointThatNeverAnswered() {
    PeerStatus s = status(PUBLIC, Optional.of(PUB), Optional.empty());
    assertThat(s.path()).isEqualTo(PeerStatus.Path.NO_PATH);
    assertThat(s.reason()).isEqualTo("no handshake yet with 198.18.2.2:51821");
  }

  @Test
  void aSessionOlderThanRejectAfterTimeIsNoPath() {
    PeerStatus s = status(PUBLIC, Optional.of(PUB), Optional.of(NOW.minusSeconds(600)));
    assertThat(s.path()).isEqualTo(PeerStatus.Path.NO_PATH);
    assertThat(s.reason()).isEqualTo("no handshake for 10 min: 198.18.2.2:51821 does not answer");
    PeerStatus edge = status(PUBLIC, Optional.of(PUB), Optional.of(NOW.minusSeconds(179)));
    assertThat(edge.path()).isEqualTo(PeerStatus.Path.DIRECT);
  }

  @Test
  void aPeerThatReachedUsWithoutAnEndpointOfOurs() {
    InetSocketAddress learned = IpText.endpoint("198.18.1.2:51820");
    PeerStatus s = status(NONE, Optional.of(learned), Optional.of(NOW.minusSeconds(3)));
    assertThat(s.path()).isEqualTo(PeerStatus.Path.DIRECT);
    assertThat(s.endpoint()).contains(learned);
    assertThat(s.endpointWhy()).isEqualTo("learned from its packets (it reached us)");
  }

  @Test
  void aRoamedEndpointSaysWhatTheRecordsSay() {
    InetSocketAddress roamed = IpText.endpoint("198.18.2.9:40001");
    PeerStatus s = status(PUBLIC, Optional.of(roamed), Optional.of(NOW.minusSeconds(3)));
    assertThat(s.endpointWhy())
        .isEqualTo("learned from its packets (it roamed); its records say 198.18.2.2:51821");
  }

  @Test
  void aPeerTheDeviceLacksHasNoPathAndZeroCounters() {
    PeerStatus s = PeerStatus.of(peer(PUBLIC), Optional.empty(), NOW);
    assertThat(s.path()).isEqualTo(PeerStatus.Path.NO_PATH);
    assertThat(s.rxBytes()).isZero();
    assertThat(s.endpointWhy()).isEqualTo("public endpoint 198.18.2.2:51821");
  }

  @Test
  void agesReadLikeAPersonWouldSayThem() {
    assertThat(PeerStatus.words(Duration.ofSeconds(0))).isEqualTo("0 s");
    assertThat(PeerStatus.words(Duration.ofSeconds(119))).isEqualTo("119 s");
    assertThat(PeerStatus.words(Duration.ofSeconds(120))).isEqualTo("2 min");
    assertThat(PeerStatus.words(Duration.ofHours(2))).isEqualTo("2 h");
    assertThat(PeerStatus.words(Duration.ofDays(3))).isEqualTo("3 d");
  }

  private static PeerStatus status(
      PathChoice path, Optional<InetSocketAddress> endpoint, Optional<Instant> handshake) {
    PeerState device =
        new PeerState(KEY, endpoint, List.of(IpPrefix.host(ULA_B)), 25, handshake, 1000, 2000);
    return PeerStatus.of(peer(path), Optional.of(device), NOW);
  }

  private static DesiredPeer peer(PathChoice path) {
    return new DesiredPeer("mbp-b", KEY, ULA_B, path, 25);
  }
}
