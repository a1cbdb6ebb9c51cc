package net.membersdns.agent.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.membersdns.agent.diagnosis.Diagnosis;
import net.membersdns.agent.netwatch.Ipv4;
import org.junit.jupiter.api.Test;

/** Addresses → double NAT, carrier-grade NAT, or nothing. */
class NatTopologyTest {
  static final String GATEWAY = "192.168.4.1";

  @Test
  void aPrivateReportedAddressAndAPrivateSecondHopNameBothRouters() {
    Diagnosis d = classify(Optional.of("192.168.1.10"), router("192.168.1.1")).orElseThrow();
    assertThat(d.kind()).isEqualTo(Diagnosis.Kind.DOUBLE_NAT);
    assertThat(d.words())
        .contains("192.168.4.1")
        .contains("192.168.1.1")
        .contains("192.168.1.10")
        .contains("bridge mode")
        .contains("UDP port 51820");
  }

  @Test
  void aPrivateSecondHopAloneIsDoubleNat() {
    Diagnosis d = classify(Optional.empty(), router("10.0.0.1")).orElseThrow();
    assertThat(d.kind()).isEqualTo(Diagnosis.Kind.DOUBLE_NAT);
    assertThat(d.words()).contains("192.168.4.1").contains("10.0.0.1");
  }

  @Test
  void aPrivateReportedAddressAloneIsDoubleNatWithoutNamingTheOuterRouter() {
    Diagnosis d = classify(Optional.of("172.20.0.5"), Optional.empty()).orElseThrow();
    assertThat(d.kind()).isEqualTo(Diagnosis.Kind.DOUBLE_NAT);
    assertThat(d.words()).contains("172.20.0.5").contains("outer router");
  }

  @Test
  void sharedAddressSpaceIsCarrierGradeNat() {
    Diagnosis byAddress = classify(Optional.of("100.64.3.4"), Optional.empty()).orElseThrow();
    assertThat(byAddress.kind()).isEqualTo(Diagnosis.Kind.CARRIER_GRADE_NAT);
    assertThat(byAddress.words()).contains("100.64.3.4").contains("100.64.0.0/10");
    Diagnosis byHop = classify(Optional.empty(), router("100.127.255.254")).orElseThrow();
    assertThat(byHop.kind()).isEqualTo(Diagnosis.Kind.CARRIER_GRADE_NAT);
    assertThat(byHop.words()).contains("100.127.255.254");
  }

  @Test
  void publicEvidenceOrNoneSaysNothing() {
    assertThat(classify(Optional.of("198.18.1.2"), router("198.18.1.1"))).isEmpty();
    assertThat(
            classify(
                Optional.empty(), Optional.of(new SecondHop.Target(Ipv4.parse("198.18.0.53")))))
        .isEmpty();
    assertThat(classify(Optional.empty(), Optional.of(new SecondHop.Silent()))).isEmpty();
    assertThat(classify(Optional.empty(), Optional.empty())).isEmpty();
    assertThat(classify(Optional.of("100.63.255.255"), Optional.empty())).isEmpty();
  }

  @Test
  void theGatewaysOwnAddressOutranksTheSecondHop() {
    assertThat(classify(Optional.of("100.64.0.9"), router("192.168.1.1")).orElseThrow().kind())
        .isEqualTo(Diagnosis.Kind.CARRIER_GRADE_NAT);
  }

  private static Optional<SecondHop> router(String a) {
    return Optional.of(new SecondHop.Router(Ipv4.parse(a)));
  }

  private static Optional<Diagnosis> classify(Optional<String> reported, Optional<SecondHop> hop) {
    return NatTopology.classify(
        new NatTopology.Evidence(
            Ipv4.parse(GATEWAY), reported.map(Ipv4::parse), hop, TransportProtocol.UDP, 51820));
  }
}
