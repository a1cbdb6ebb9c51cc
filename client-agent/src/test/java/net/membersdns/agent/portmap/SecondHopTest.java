package net.membersdns.agent.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import net.membersdns.agent.netwatch.Ipv4;
import org.junit.jupiter.api.Test;

/** iputils ping output, as printed in the test network. */
class SecondHopTest {
  @Test
  void aRouterTwoHopsAwaySaysTimeToLiveExceeded() {
    String fromHostD =
        """
        PING 198.18.0.53 (198.18.0.53) 56(84) bytes of data.
        From 192.168.1.1 icmp_seq=1 Time to live exceeded

        --- 198.18.0.53 ping statistics ---
        1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms
        """;
    assertThat(SecondHop.parsePing(fromHostD))
        .isEqualTo(new SecondHop.Router(Ipv4.parse("192.168.1.1")));
  }

  @Test
  void theTargetItselfAnswersWhenNothingStandsBetween() {
    String fromHostA =
        """
        PING 198.18.0.53 (198.18.0.53) 56(84) bytes of data.
        64 bytes from 198.18.0.53: icmp_seq=1 ttl=63 time=0.226 ms

        --- 198.18.0.53 ping statistics ---
        1 packets transmitted, 1 received, 0% packet loss, time 0ms
        """;
    assertThat(SecondHop.parsePing(fromHostA))
        .isEqualTo(new SecondHop.Target(Ipv4.parse("198.18.0.53")));
  }

  @Test
  void silenceUnreachableAndNonsenseAreSilent() {
    assertThat(SecondHop.parsePing("")).isInstanceOf(SecondHop.Silent.class);
    assertThat(
            SecondHop.parsePing(
                "From 192.168.1.2 icmp_seq=1 Destination Host Unreachable\n1 packets transmitted"))
        .isInstanceOf(SecondHop.Silent.class);
    assertThat(SecondHop.parsePing("ping: connect: Network is unreachable"))
        .isInstanceOf(SecondHop.Silent.class);
    assertThat(SecondHop.parsePing("From 999.1.1.1 icmp_seq=1 Time to live exceeded"))
        .isInstanceOf(SecondHop.Silent.class);
  }
}
