package net.membersdns.agent.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.util.Optional;
import java.util.stream.Stream;
import net.membersdns.agent.diagnosis.Diagnosis;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EndpointChoiceTest {
  static Stream<Arguments> table() {
    return Stream.of(
        // our public, peer public, peer LAN, peer's problem → kind, endpoint, reason
        Arguments.of(
            "198.18.2.2",
            "198.18.2.2:51821",
            "192.168.2.2:51820",
            null,
            PathChoice.Kind.LAN,
            "192.168.2.2:51820",
            "mbp-b shares our public address 198.18.2.2: using its LAN address 192.168.2.2:51820"
                + " (home NATs rarely hairpin)"),
        Arguments.of(
            "198.18.1.2",
            "198.18.2.2:51821",
            "192.168.2.2:51820",
            null,
            PathChoice.Kind.PUBLIC,
            "198.18.2.2:51821",
            "public endpoint 198.18.2.2:51821"),
        Arguments.of(
            null,
            "198.18.2.2:51821",
            "192.168.2.2:51820",
            null,
            PathChoice.Kind.PUBLIC,
            "198.18.2.2:51821",
            "public endpoint 198.18.2.2:51821"),
        Arguments.of(
            "198.18.2.2",
            "198.18.2.2:51821",
            null,
            null,
            PathChoice.Kind.PUBLIC_HAIRPIN,
            "198.18.2.2:51821",
            "mbp-b shares our public address but published no LAN address: trying public endpoint"
                + " 198.18.2.2:51821 (works only if the router hairpins)"),
        Arguments.of(
            "198.18.1.2",
            null,
            "192.168.4.2:51820",
            Diagnosis.Kind.DOUBLE_NAT,
            PathChoice.Kind.NONE,
            null,
            "mbp-b has no mapping: no path — it is behind a double NAT"),
        Arguments.of(
            "198.18.1.2",
            null,
            null,
            Diagnosis.Kind.CARRIER_GRADE_NAT,
            PathChoice.Kind.NONE,
            null,
            "mbp-b has no mapping: no path — it is behind its ISP's carrier-grade NAT"),
        Arguments.of(
            null,
            null,
            null,
            Diagnosis.Kind.NO_PORT_MAPPING_PROTOCOL,
            PathChoice.Kind.NONE,
            null,
            "mbp-b has no mapping: no path — its router speaks neither PCP nor NAT-PMP"),
        Arguments.of(
            "198.18.1.2",
            null,
            null,
            null,
            PathChoice.Kind.NONE,
            null,
            "mbp-b has no mapping: no path — it published no public endpoint"));
  }

  @ParameterizedTest
  @MethodSource("table")
  void choosesTheEndpointAndSaysWhy(
      String ourPublic,
      String peerPublic,
      String peerLan,
      Diagnosis.Kind problem,
      PathChoice.Kind kind,
      String endpoint,
      String why) {
    PathChoice c =
        EndpointChoice.choose(
            "mbp-b",
            Optional.ofNullable(ourPublic).map(a -> (Inet4Address) IpText.address(a)),
            new PeerEndpoints(
                Optional.ofNullable(peerPublic).map(IpText::endpoint),
                Optional.ofNullable(peerLan).map(IpText::endpoint),
                Optional.ofNullable(problem)));
    assertThat(c.kind()).isEqualTo(kind);
    assertThat(c.endpoint().map(IpText::endpoint)).isEqualTo(Optional.ofNullable(endpoint));
    assertThat(c.why()).isEqualTo(why);
  }
}
