package net.membersdns.agent.portmap;

import static net.membersdns.agent.portmap.PcpTest.NONCE;
import static net.membersdns.agent.portmap.PcpTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import net.membersdns.agent.netwatch.Ipv4;
import org.junit.jupiter.api.Test;

/** Which PCP answers belong to a MAP request (RFC 6887 §11.3), and what they mean. */
class PcpMatchTest {
  @Test
  void aResponseWithOurNonceProtocolAndPortIsOurs() {
    Pcp.Reply granted = parse(PcpTest.GRANTED);
    assertThat(PcpMatch.accept(granted, ask(NONCE, 4500))).contains(granted);
    assertThat(PcpMatch.outcome(granted, false))
        .isEqualTo(
            new MapOutcome.Granted(
                MappingProtocol.PCP, Ipv4.parse("11.22.33.44"), 4500, Duration.ofHours(2), 16));
  }

  @Test
  void anotherNonceIsNotOurs() {
    assertThat(PcpMatch.accept(parse(PcpTest.GRANTED), ask(PcpNonce.random(), 4500))).isEmpty();
    assertThat(PcpMatch.accept(parse(PcpTest.UNSUPP_VERSION), ask(PcpNonce.random(), 4500)))
        .isEmpty();
  }

  @Test
  void anotherInternalPortIsNotOursUnlessItIsAnError() {
    assertThat(PcpMatch.accept(parse(PcpTest.GRANTED), ask(NONCE, 4501))).isEmpty();
    // error responses may carry zero ports (RFC 6887 §7.4; as miniupnpd 2.3.1 answers): the nonce
    // decides
    assertThat(PcpMatch.accept(parse(PcpTest.UNSUPP_VERSION), ask(NONCE, 4500))).isPresent();
  }

  @Test
  void announcementsAndOtherOpcodesDoNotAnswerAMap() {
    assertThat(PcpMatch.accept(parse(PcpTest.ANNOUNCE_AT_START), ask(NONCE, 4500))).isEmpty();
    assertThat(PcpMatch.accept(new Pcp.HeaderOnly(2, 0, 0, 16), ask(NONCE, 4500))).isEmpty();
    assertThat(PcpMatch.accept(new Pcp.HeaderOnly(Pcp.OP_MAP, 0, 0, 16), ask(NONCE, 4500)))
        .isEmpty();
    assertThat(PcpMatch.accept(new Pcp.Malformed("x"), ask(NONCE, 4500))).isEmpty();
  }

  @Test
  void refusalsCarryTheirNameLifetimeAndAddress() {
    MapOutcome o = PcpMatch.outcome(parse(PcpTest.ADDRESS_MISMATCH), false);
    assertThat(o)
        .isEqualTo(
            new MapOutcome.Refused(
                MappingProtocol.PCP,
                12,
                "ADDRESS_MISMATCH",
                OptionalLong.of(16),
                Duration.ZERO,
                Optional.empty()));
    assertThat(((MapOutcome.Refused) o).named()).isEqualTo("ADDRESS_MISMATCH (12)");
  }

  @Test
  void theRefusalOfARouterBehindARouterNamesItsPrivateAddress() {
    // miniupnpd 2.3.1 behind another NAT, captured in the test network: NO_RESOURCES for 30 s
    Pcp.Reply reply =
        parse(
            "02810008 0000001e 00000004 000000000000000000000000"
                + "0102030405060708090a0b0c 11000000 cb2ccb2c 00000000000000000000ffffc0a8010a");
    MapOutcome.Refused r = (MapOutcome.Refused) PcpMatch.outcome(reply, false);
    assertThat(r.named()).isEqualTo("NO_RESOURCES (8)");
    assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.externalAddress()).contains(Ipv4.parse("192.168.1.10"));
  }

  @Test
  void unsupportedVersionInEitherShapeIsARefusalWithResultOne() {
    assertThat(
            ((MapOutcome.Refused) PcpMatch.outcome(new Pcp.UnsupportedVersion(0), false))
                .resultCode())
        .isEqualTo(Pcp.UNSUPP_VERSION);
    assertThat(
            ((MapOutcome.Refused) PcpMatch.outcome(parse(PcpTest.UNSUPP_VERSION), false))
                .resultName())
        .isEqualTo("UNSUPP_VERSION");
  }

  @Test
  void deletionAndSuccessWithoutAnAddress() {
    assertThat(PcpMatch.outcome(parse(PcpTest.DELETED), true))
        .isEqualTo(new MapOutcome.Deleted(MappingProtocol.PCP, 16));
    assertThat(((MapOutcome.Refused) PcpMatch.outcome(parse(PcpTest.DELETED), false)).named())
        .isEqualTo("NETWORK_FAILURE (7)");
  }

  @Test
  void unknownResultCodesAreFatal() {
    Pcp.Reply reply = parse("0281000e" + PcpTest.GRANTED.substring(8));
    assertThat(((MapOutcome.Refused) PcpMatch.outcome(reply, false)).named())
        .isEqualTo("UNKNOWN (14)");
  }

  static GatewayClient.Ask ask(PcpNonce nonce, int internalPort) {
    return new GatewayClient.Ask(
        TransportProtocol.UDP,
        internalPort,
        internalPort,
        Optional.empty(),
        Duration.ofHours(2),
        nonce);
  }
}
