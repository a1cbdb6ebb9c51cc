package net.membersdns.agent.portmap;

import static net.membersdns.agent.portmap.Hex.bytes;
import static net.membersdns.agent.portmap.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import net.membersdns.agent.netwatch.Ipv4;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6887 MAP and ANNOUNCE against vectors captured from miniupnpd 2.3.1 (RFC 6887 §7, §11), byte
 * for byte, and against garbage.
 */
class PcpTest {
  static final PcpNonce NONCE = PcpNonce.ofHex("0102030405060708090a0b0c");
  static final String MAP_4500 =
      "0201000000001c2000000000000000000000ffff7f0000010102030405060708090a0b0c110000001194119400000000000000000000ffff00000000";
  static final String GRANTED =
      "0281000000001c20000000100000000000000000000000000102030405060708090a0b0c110000001194119400000000000000000000ffff0b16212c";
  static final String DELETED =
      "0281000000000000000000100000000000000000000000000102030405060708090a0b0c110000001194000000000000000000000000ffff0b16212c";
  static final String ADDRESS_MISMATCH =
      "0281000c00000000000000100000000000000000000000000102030405060708090a0b0c110000001195119500000000000000000000ffff00000000";
  static final String UNSUPP_VERSION =
      "0281000100000000000000100000000000000000000000000102030405060708090a0b0c110000000000000000000000000000000000ffff00000000";

  /** What miniupnpd 2.3.1 multicast when it started (captured in the test network). */
  static final String ANNOUNCE_AT_START = "0280 0000 00000000 00000000 00000000 00000000 00000000";

  static final Pcp.MapRequest REQUEST =
      new Pcp.MapRequest(
          NONCE,
          TransportProtocol.UDP,
          4500,
          4500,
          Optional.empty(),
          7200,
          Ipv4.parse("127.0.0.1"));

  @Test
  void buildsTheMapRequestVector() {
    assertThat(hex(Pcp.mapRequest(REQUEST))).isEqualTo(MAP_4500);
  }

  @Test
  void aDeletionIsTheSameRequestWithLifetimeAndPortZero() {
    assertThat(hex(Pcp.mapRequest(REQUEST.deletion())))
        .isEqualTo(
            "0201000000000000"
                + "00000000000000000000ffff7f000001"
                + "0102030405060708090a0b0c"
                + "11000000"
                + "11940000"
                + "00000000000000000000ffff00000000");
  }

  @Test
  void aRenewalSuggestsTheGrantedAddress() {
    Pcp.MapRequest renewal =
        new Pcp.MapRequest(
            NONCE,
            TransportProtocol.UDP,
            4500,
            4500,
            Optional.of(Ipv4.parse("11.22.33.44")),
            7200,
            Ipv4.parse("127.0.0.1"));
    assertThat(hex(Pcp.mapRequest(renewal))).endsWith("00000000000000000000ffff0b16212c");
  }

  @Test
  void parsesTheResponseVectors() {
    assertThat(parse(GRANTED))
        .isEqualTo(
            new Pcp.MapResponse(
                0, 7200, 16, NONCE, 17, 4500, 4500, Optional.of(Ipv4.parse("11.22.33.44"))));
    assertThat(parse(DELETED))
        .isEqualTo(
            new Pcp.MapResponse(
                0, 0, 16, NONCE, 17, 4500, 0, Optional.of(Ipv4.parse("11.22.33.44"))));
    assertThat(parse(ADDRESS_MISMATCH))
        .isEqualTo(new Pcp.MapResponse(12, 0, 16, NONCE, 17, 4501, 4501, Optional.empty()));
    assertThat(parse(UNSUPP_VERSION))
        .isEqualTo(new Pcp.MapResponse(1, 0, 16, NONCE, 17, 0, 0, Optional.empty()));
  }

  @Test
  void announceRequestAndResponse() {
    assertThat(hex(Pcp.announceRequest(Ipv4.parse("192.168.1.2"))))
        .isEqualTo("020000000000000000000000000000000000ffffc0a80102");
    assertThat(parse(ANNOUNCE_AT_START)).isEqualTo(new Pcp.AnnounceResponse(0, 0));
  }

  @Test
  void aNatPmpGatewaySaysUnsupportedVersionInItsOwnShape() {
    assertThat(parse("0081 0001 000003e8")).isEqualTo(new Pcp.UnsupportedVersion(0));
    assertThat(parse("0000 0001 000003e8")).isEqualTo(new Pcp.UnsupportedVersion(0));
    assertThat(parse("0081 0002 000003e8")).isInstanceOf(Pcp.Malformed.class);
  }

  static Stream<Arguments> garbage() {
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("three bytes", "028100"),
        Arguments.of("truncated header", GRANTED.substring(0, 46)),
        Arguments.of("not a multiple of four", GRANTED + "00"),
        Arguments.of("longer than 1100 bytes", GRANTED + "00".repeat(1044)),
        Arguments.of("response bit missing (our own request)", MAP_4500),
        Arguments.of("version 1", "01" + GRANTED.substring(2)),
        Arguments.of("version 3", "03" + GRANTED.substring(2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("garbage")
  void garbageIsMalformedNeverAnException(String label, String wire) {
    assertThat(parse(wire)).isInstanceOf(Pcp.Malformed.class);
  }

  @Test
  void aTruncatedMapBodyIsOnlyAHeader() {
    assertThat(parse(GRANTED.substring(0, 96)))
        .isEqualTo(new Pcp.HeaderOnly(Pcp.OP_MAP, 0, 7200, 16));
  }

  @Test
  void namesEveryResultCode() {
    assertThat(Pcp.resultName(0)).isEqualTo("SUCCESS");
    assertThat(Pcp.resultName(7)).isEqualTo("NETWORK_FAILURE");
    assertThat(Pcp.resultName(8)).isEqualTo("NO_RESOURCES");
    assertThat(Pcp.resultName(13)).isEqualTo("EXCESSIVE_REMOTE_PEERS");
    assertThat(Pcp.resultName(14)).isEqualTo("UNKNOWN");
    assertThat(Pcp.resultName(255)).isEqualTo("UNKNOWN");
  }

  static Pcp.Reply parse(String hex) {
    byte[] b = bytes(hex);
    return Pcp.parse(b, b.length);
  }
}
