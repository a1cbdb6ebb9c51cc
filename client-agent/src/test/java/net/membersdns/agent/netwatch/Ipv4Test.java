package net.membersdns.agent.netwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4Test {
  @Test
  void bitsRoundTrip() {
    assertThat(Ipv4.fromBits(0xC0A80101)).isEqualTo(Ipv4.parse("192.168.1.1"));
    assertThat(Ipv4.toBits(Ipv4.parse("255.0.128.1"))).isEqualTo(0xFF008001);
  }

  @Test
  void parsesOnlyDottedQuadsAndNeverLooksNamesUp() {
    for (String bad :
        new String[] {
          "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "a.b.c.d", "example.com", "1..2.3", "-1.2.3.4"
        }) {
      assertThatThrownBy(() -> Ipv4.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
