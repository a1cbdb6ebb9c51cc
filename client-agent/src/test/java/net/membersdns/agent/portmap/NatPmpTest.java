package net.membersdns.agent.portmap;

import static net.membersdns.agent.portmap.Hex.bytes;
import static net.membersdns.agent.portmap.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import net.membersdns.agent.netwatch.Ipv4;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6886 messages against vectors captured from natpmpc and miniupnpd 2.3.1 (RFC 6886 §3.2,
 * §3.3), byte for byte, and against garbage.
 */
class NatPmpTest {
  static final String ADDRESS_REQUEST = "0000";
  static final String ADDRESS_RESPONSE = "0080 0000 000003e8 c6336407";
  static final String MAP_4500 = "0001 0000 1194 1194 00001c20";
  static final String GRANT_4500 = "0081 0000 000003e8 1194 1194 00000e10";
  static final String DELETE_4500 = "0001 0000 1194 0000 00000000";
  static final String DELETED_4500 = "0081 0000 000003e8 1194 0000 00000000";
  static final String MINIUPNPD_UNSUPPORTED_OPCODE = "0083 0005 00000012";

  @Test
  void buildsTheRequestVectors() {
    assertThat(hex(NatPmp.externalAddressRequest())).isEqualTo(hex(bytes(ADDRESS_REQUEST)));
    assertThat(hex(NatPmp.mapRequest(TransportProtocol.UDP, 4500, 4500, 7200)))
        .isEqualTo(hex(bytes(MAP_4500)));
    assertThat(hex(NatPmp.deleteRequest(TransportProtocol.UDP, 4500)))
        .isEqualTo(hex(bytes(DELETE_4500)));
  }

  @Test
  void tcpMappingsUseOpcodeTwo() {
    assertThat(hex(NatPmp.mapRequest(TransportProtocol.TCP, 80, 8080, 60)))
        .isEqualTo("0002000000501f900000003c");
  }

  @Test
  void parsesTheResponseVectors() {
    assertThat(parse(ADDRESS_RESPONSE))
        .isEqualTo(new NatPmp.AddressReply(0, 1000, Ipv4.parse("198.51.100.7")));
    assertThat(parse(GRANT_4500))
        .isEqualTo(new NatPmp.MapReply(TransportProtocol.UDP, 0, 1000, 4500, 4500, 3600));
    assertThat(parse(DELETED_4500))
        .isEqualTo(new NatPmp.MapReply(TransportProtocol.UDP, 0, 1000, 4500, 0, 0));
    assertThat(parse(MINIUPNPD_UNSUPPORTED_OPCODE)).isEqualTo(new NatPmp.ErrorReply(3, 5, 18));
  }

  @Test
  void theRfcUnsupportedVersionFigureHasOpcodeZero() {
    assertThat(parse("0000 0001 000003e8")).isEqualTo(new NatPmp.ErrorReply(0, 1, 1000));
  }

  @Test
  void epochsAndLifetimesAreUnsigned() {
    assertThat(parse("0081 0000 ffffffff 1194 ffff ffffffff"))
        .isEqualTo(
            new NatPmp.MapReply(TransportProtocol.UDP, 0, 0xFFFF_FFFFL, 4500, 65535, 0xFFFF_FFFFL));
  }

  static Stream<Arguments> garbage() {
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("one byte", "00"),
        Arguments.of("three bytes", "008000"),
        Arguments.of("header without epoch", "0080 0000"),
        Arguments.of("version 1", "0180 0000 000003e8 c6336407"),
        Arguments.of("version 2 (PCP)", "0281 0000 000003e8 c6336407"),
        Arguments.of("a request, not a response", "0001 0000 1194 1194 00001c20"),
        Arguments.of("truncated success for a mapping", "0081 0000 000003e8 1194"),
        Arguments.of("truncated success for the address", "0080 0000 000003e8"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("garbage")
  void garbageIsMalformedNeverAnException(String label, String wire) {
    assertThat(parse(wire)).isInstanceOf(NatPmp.Malformed.class);
  }

  @Test
  void unknownResultCodesParse() {
    assertThat(parse("0081 0009 000003e8 1194 0000 00000000"))
        .isEqualTo(new NatPmp.MapReply(TransportProtocol.UDP, 9, 1000, 4500, 0, 0));
  }

  @Test
  void namesEveryResultCode() {
    assertThat(Stream.of(0, 1, 2, 3, 4, 5, 6).map(NatPmp::resultName))
        .containsExactly(
            "SUCCESS",
            "UNSUPPORTED_VERSION",
            "NOT_AUTHORIZED",
            "NETWORK_FAILURE",
            "OUT_OF_RESOURCES",
            "UNSUPPORTED_OPCODE",
            "UNKNOWN");
  }

  private static NatPmp.Reply parse(String hex) {
    byte[] b = bytes(hex);
    return NatPmp.parse(b, b.length);
  }
}
