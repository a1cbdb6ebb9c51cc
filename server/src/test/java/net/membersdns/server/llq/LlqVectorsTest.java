package net.membersdns.server.llq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.server.feed.ZoneChange;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The LLQ test vectors L1–L11 (docs/architecture.md, Test vectors) through the dispatcher. The
 * vectors carry no TSIG, so the zone is served as public data here (no member). Two deliberate
 * differences are normalised before byte comparison: our replies copy RD from the request (RFC 1035
 * §4.1.1; the vectors show 0x8400 for an RD=1 request) and advertise our UDP size 1232 (0x04d0)
 * where the vectors have 1440 (0x05a0). Replies with answers are compressed by dnsjava, so L4 is
 * compared record by record.
 */
class LlqVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final long ID = 0x0123456789abcdefL;

  static final String L1 =
      "4c5101000001000000000001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c000100002905a000000000001600010012000100010000000000000000000000001c20";
  static final String L2 =
      "4c5184000001000000000001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c000100002905a0000000000016000100120001000100000123456789abcdef00000e10";
  static final String L3 =
      "4c5101000001000000000001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c000100002905a0000000000016000100120001000100000123456789abcdef00000e10";
  static final String L4 =
      "4c5184000001000100000001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c0001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c00010000119400310f416c6963652773204d6163426f6f6b045f726662045f74637005616c696365076d656d62657273076578616d706c650000002905a0000000000016000100120001000100000123456789abcdef00000e10";
  static final String L5 =
      "9e3f84000001000100000001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c0001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c0001ffffffff00310f416c6963652773204d6163426f6f6b045f726662045f74637005616c696365076d656d62657273076578616d706c650000002905a0000000000016000100120001000300000123456789abcdef00000bb8";
  static final String L6 =
      "9e3f84000001000000000001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c000100002905a0000000000016000100120001000300000123456789abcdef00000bb8";
  static final String L7 =
      "4c5101000001000000000001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c000100002905a0000000000016000100120001000200000123456789abcdef00000e10";
  static final String L8 =
      "4c5184000001000000000001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c000100002905a0000000000016000100120001000200000123456789abcdef00000e10";
  static final String L9 =
      "4c5101000001000000000001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c000100002905a0000000000016000100120001000200000123456789abcdef00000000";
  static final String L10 =
      "4c5184000001000000000001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c000100002905a0000000000016000100120001000200040123456789abcdef00000000";
  static final String L11 =
      "005277aa01000001000000000001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c000100002905a00000000000160001001200010001ef32000000000000000000001c20";

  private static final Record PTR =
      Zones.records("alice.members.example.", "_rfb._tcp 4500 PTR Alice's\\032MacBook._rfb._tcp")
          .get(0);

  private final LlqHarness h =
      new LlqHarness(
          Zones.served(publicAlice()),
          new LlqConfig(
              900,
              3600,
              10,
              10,
              10,
              Duration.ofSeconds(2),
              Duration.ofSeconds(30),
              Duration.ofSeconds(10)),
          new LlqHarness.Counting(ID));
  private final LlqHarness.UdpPeer udp = h.new UdpPeer("192.0.2.10", 5353);

  private static ZoneData publicAlice() {
    return ZoneData.build(
        new ZoneContent(
            Names.absolute("alice.members.example."),
            null,
            1,
            1,
            List.of(ZoneRecord.permanent(PTR))),
        Zones.settings());
  }

  /** Our bytes in the vectors' conventions: RD not echoed, UDP size 1440 in our OPT. */
  private static String normalised(byte[] ours) {
    byte[] b = ours.clone();
    b[2] &= (byte) ~0x01;
    return HEX.formatHex(b).replace("00002904d0", "00002905a0");
  }

  private byte[] reply(String request) {
    int before = udp.answers.size();
    udp.send(HEX.parseHex(request));
    assertThat(udp.answers).hasSize(before + 1);
    return udp.answers.get(before);
  }

  @Test
  void l1GetsTheL2ChallengeAndL3TheL4AckWithAnswers() {
    assertThat(LlqOption.fromData(Arrays.copyOfRange(HEX.parseHex(L1), 64, 82)))
        .isEqualTo(
            new net.membersdns.protocol.edns.OptionResult.Present<>(
                new LlqOption(1, 1, 0, 0, 7200)));
    assertThat(normalised(reply(L1))).isEqualTo(L2);

    Message ack = LlqHarness.parse(reply(L3));
    Message l4 = LlqHarness.parse(HEX.parseHex(L4));
    assertThat(ack.getHeader().getID()).isEqualTo(l4.getHeader().getID());
    assertThat(ack.getHeader().getRcode()).isEqualTo(l4.getHeader().getRcode());
    assertThat(ack.getQuestion()).isEqualTo(l4.getQuestion());
    assertThat(ack.getSection(Section.ANSWER)).isEqualTo(l4.getSection(Section.ANSWER));
    assertThat(ack.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(4500);
    assertThat(LlqHarness.llq(ack)).isEqualTo(LlqHarness.llq(l4));
    assertThat(h.registry.find(ID).state()).isEqualTo(LlqState.ESTABLISHED);
  }

  @Test
  void aRemovalIsTheL5EventAndTheL6AckStopsRetransmission() {
    reply(L1);
    reply(L3);
    h.scheduler.runDue();
    h.clock.advance(Duration.ofSeconds(600)); // 3600 - 600 = 3000 s (0x0bb8) left
    h.notifier.changed(
        new ZoneChange(
            Names.absolute("alice.members.example."),
            2,
            2,
            List.of(),
            List.of(PTR),
            false,
            h.clock.instant()));
    h.scheduler.runDue();
    assertThat(udp.events).hasSize(1);
    assertThat(normalised(udp.events.get(0))).isEqualTo(L5);

    udp.send(HEX.parseHex(L6)); // a response (QR=1): routed as an acknowledgement, not answered
    h.scheduler.runDue();
    assertThat(udp.answers).hasSize(2);
    h.scheduler.advance(Duration.ofSeconds(30));
    assertThat(udp.events).hasSize(1);
    assertThat(h.registry.find(ID)).isNotNull();
  }

  @Test
  void l7RefreshGetsL8AndAfterTheL9CancelL10() {
    reply(L1);
    reply(L3);
    assertThat(normalised(reply(L7))).isEqualTo(L8);
    byte[] cancelled = reply(L9);
    assertThat(LlqHarness.llq(LlqHarness.parse(cancelled)))
        .containsExactly(new LlqOption(1, LlqOption.REFRESH, 0, ID, 0));
    assertThat(h.registry.find(ID)).isNull();
    assertThat(normalised(reply(L7))).isEqualTo(L10);
  }

  @Test
  void l11OverTlsIsAcknowledgedAtOnceAndItsEventPortIgnored() {
    byte[] framed = HEX.parseHex(L11);
    assertThat((framed[0] << 8 | framed[1] & 0xFF)).isEqualTo(framed.length - 2);
    LlqHarness.StreamPeer tls = h.new StreamPeer("192.0.2.10", 61000, Transport.TLS);
    Message ack = tls.send(Arrays.copyOfRange(framed, 2, framed.length));
    assertThat(ack.getHeader().getID()).isEqualTo(0x77aa);
    assertThat(LlqHarness.llq(ack)).containsExactly(new LlqOption(1, LlqOption.SETUP, 0, ID, 3600));
    assertThat(ack.getSection(Section.ANSWER)).containsExactly(PTR);
    h.scheduler.runDue();
    h.notifier.changed(
        new ZoneChange(
            Names.absolute("alice.members.example."),
            2,
            2,
            List.of(),
            List.of(PTR),
            false,
            h.clock.instant()));
    h.scheduler.runDue();
    assertThat(tls.pushed).hasSize(1); // on the connection, not to UDP port 0xef32
    assertThat(udp.events).isEmpty();
  }
}
