package net.membersdns.agent.portmap;

import static net.membersdns.agent.portmap.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.util.Optional;
import net.membersdns.agent.netwatch.Ipv4;
import org.junit.jupiter.api.Test;

/** What counts as an announcement on 224.0.0.1:5350 (RFC 6886 §3.2.1, RFC 6887 §14.1). */
class AnnouncementListenerTest {
  static final Inet4Address GATEWAY = Ipv4.parse("192.168.1.1");

  @Test
  void natPmpAnnouncesTheEpochAndTheExternalAddress() {
    assertThat(AnnouncementListener.parse(GATEWAY, bytes("0080 0000 0000002a c6120102")))
        .contains(
            new AnnouncementListener.Announcement(
                GATEWAY, MappingProtocol.NAT_PMP, 42, Optional.of(Ipv4.parse("198.18.1.2"))));
  }

  @Test
  void pcpAnnouncesTheEpoch() {
    assertThat(AnnouncementListener.parse(GATEWAY, bytes(PcpTest.ANNOUNCE_AT_START)))
        .contains(
            new AnnouncementListener.Announcement(
                GATEWAY, MappingProtocol.PCP, 0, Optional.empty()));
  }

  @Test
  void garbageErrorsAndOtherMessagesAreNoAnnouncement() {
    for (String wire :
        new String[] {
          "",
          "00",
          "0080 0003 0000002a 00000000", // an error
          "0080 0000 0000002a", // truncated
          NatPmpTest.GRANT_4500,
          PcpTest.GRANTED,
          "0280 0001 00000000 00000000 00000000 00000000 00000000", // PCP error
          "0200 0000 00000000 00000000 00000000 00000000 00000000" // a request
        }) {
      assertThat(AnnouncementListener.parse(GATEWAY, bytes(wire))).as(wire).isEmpty();
    }
  }
}
