package net.membersdns.agent.portmap;

import static net.membersdns.agent.portmap.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import net.membersdns.agent.netwatch.Ipv4;
import org.junit.jupiter.api.Test;

/** Which NAT-PMP answers belong to which request, and what they mean (RFC 6886 §3.3–3.5). */
class NatPmpMatchTest {
  static final GatewayClient.Ask ASK_4500 =
      new GatewayClient.Ask(
          TransportProtocol.UDP,
          4500,
          4500,
          Optional.empty(),
          Duration.ofHours(2),
          PcpNonce.random());

  @Test
  void aGrantForTheSameOpcodeAndInternalPortAnswersTheRequest() {
    NatPmp.Reply grant = parse(NatPmpTest.GRANT_4500);
    assertThat(NatPmpMatch.acceptMap(grant, ASK_4500)).contains(grant);
    MapOutcome.Granted g = (MapOutcome.Granted) NatPmpMatch.outcome(grant, false);
    assertThat(g.externalPort()).isEqualTo(4500);
    assertThat(g.lifetime()).isEqualTo(Duration.ofSeconds(3600));
    assertThat(g.epochSeconds()).isEqualTo(1000);
  }

  @Test
  void anotherInternalPortOrTransportIsNotOurs() {
    assertThat(NatPmpMatch.acceptMap(parse("0081 0000 000003e8 1195 1195 00000e10"), ASK_4500))
        .isEmpty();
    assertThat(NatPmpMatch.acceptMap(parse("0082 0000 000003e8 1194 1194 00000e10"), ASK_4500))
        .isEmpty();
    assertThat(NatPmpMatch.acceptMap(parse(NatPmpTest.ADDRESS_RESPONSE), ASK_4500)).isEmpty();
  }

  @Test
  void shortErrorRepliesForOurOpcodeAreRefusals() {
    NatPmp.Reply error = parse("0081 0002 000003e8");
    assertThat(NatPmpMatch.acceptMap(error, ASK_4500)).contains(error);
    assertThat(((MapOutcome.Refused) NatPmpMatch.outcome(error, false)).named())
        .isEqualTo("NOT_AUTHORIZED (2)");
    assertThat(NatPmpMatch.acceptMap(parse(NatPmpTest.MINIUPNPD_UNSUPPORTED_OPCODE), ASK_4500))
        .isEmpty();
  }

  @Test
  void aDeletionResponseIsDeleted() {
    assertThat(NatPmpMatch.outcome(parse(NatPmpTest.DELETED_4500), true))
        .isEqualTo(new MapOutcome.Deleted(MappingProtocol.NAT_PMP, 1000));
  }

  @Test
  void successWithoutAPortIsANetworkFailure() {
    MapOutcome o = NatPmpMatch.outcome(parse(NatPmpTest.DELETED_4500), false);
    assertThat(((MapOutcome.Refused) o).named()).isEqualTo("NETWORK_FAILURE (3)");
  }

  @Test
  void theAddressResponseCompletesAGrant() {
    MapOutcome.Granted g =
        (MapOutcome.Granted) NatPmpMatch.outcome(parse(NatPmpTest.GRANT_4500), false);
    NatPmp.Reply address = parse(NatPmpTest.ADDRESS_RESPONSE);
    assertThat(NatPmpMatch.acceptAddress(address)).contains(address);
    assertThat(NatPmpMatch.address(address, g))
        .isEqualTo(
            new MapOutcome.Granted(
                MappingProtocol.NAT_PMP,
                Ipv4.parse("198.51.100.7"),
                4500,
                Duration.ofSeconds(3600),
                1000));
  }

  @Test
  void anAddressOfZeroOrAnErrorIsNoGrant() {
    MapOutcome.Granted g =
        (MapOutcome.Granted) NatPmpMatch.outcome(parse(NatPmpTest.GRANT_4500), false);
    assertThat(NatPmpMatch.address(parse("0080 0003 000003e8 00000000"), g))
        .isInstanceOf(MapOutcome.Refused.class);
    assertThat(NatPmpMatch.address(parse("0080 0000 000003e8 00000000"), g))
        .isInstanceOf(MapOutcome.Refused.class);
    assertThat(NatPmpMatch.acceptAddress(parse(NatPmpTest.GRANT_4500))).isEmpty();
  }

  private static NatPmp.Reply parse(String hex) {
    byte[] b = bytes(hex);
    return NatPmp.parse(b, b.length);
  }

  @Test
  void unknownResultCodesAreFatalForTheRequest() {
    assertThat(NatPmpMatch.outcome(parse("0081 0009 000003e8 1194 0000 00000000"), false))
        .isEqualTo(
            new MapOutcome.Refused(
                MappingProtocol.NAT_PMP,
                9,
                "UNKNOWN",
                OptionalLong.of(1000),
                Duration.ZERO,
                Optional.empty()));
  }
}
