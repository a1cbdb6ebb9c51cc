package net.membersdns.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.membersdns.server.lifecycle.WarmUpQuestions.Question;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The warm-up asks what clients ask of the zones really loaded: every branch of a lookup. */
class WarmUpQuestionsTest {
  static final ZoneData ALICE =
      Zones.member(
          "alice",
          7,
          """
          mbp AAAA fd12:3456:789a:1::1
          _autotunnel._udp.mbp 120 SRV 0 0 4500 _autotunnel.mbp
          _autotunnel.mbp A 203.0.113.7
          _autotunnel.mbp 4500 TXT "wg=abc"
          """);

  @Test
  void everyStoredOwnerAndTypeThenSoaNsNodataAndNxdomain() {
    Set<String> asked =
        WarmUpQuestions.of(ALICE).stream()
            .map(q -> q.name() + " " + Type.string(q.type()))
            .collect(Collectors.toSet());
    assertThat(asked)
        .containsExactlyInAnyOrder(
            "alice.members.example. SOA",
            "alice.members.example. NS",
            "alice.members.example. MX", // NODATA (RFC 2308 §2.2)
            "membersdns-warm-up-absent.alice.members.example. A", // NXDOMAIN (§2.1)
            "mbp.alice.members.example. AAAA",
            "_autotunnel._udp.mbp.alice.members.example. SRV",
            "_autotunnel.mbp.alice.members.example. A",
            "_autotunnel.mbp.alice.members.example. TXT");
  }

  @Test
  void boundedAndSpreadOverZones() throws Exception {
    ServedZones zones = new ServedZones();
    for (int i = 0; i < 50; i++) {
      zones.put(Zones.member("m" + i, 1, "h A 192.0.2.1\n"));
    }
    List<byte[]> wire = WarmUpQuestions.from(zones, 100);
    assertThat(wire).hasSize(100);
    Set<String> apexes =
        wire.stream()
            .map(WarmUpQuestionsTest::parse)
            .map(m -> m.getQuestion().getName())
            .map(n -> Names.canonical(new Name(n, n.labels() - 4))) // the member zone's apex
            .collect(Collectors.toSet());
    assertThat(apexes).hasSize(20); // 5 questions per zone: SOA, NS, MX, absent A, h A
    assertThat(WarmUpQuestions.from(zones, 1_000)).hasSize(250);
  }

  @Test
  void mostWithEdnsSomeWithout() {
    List<Message> ms =
        List.of(
            parse(WarmUpQuestions.wire(new Question(ALICE.apex(), Type.SOA), 7)),
            parse(WarmUpQuestions.wire(new Question(ALICE.apex(), Type.SOA), 8)));
    assertThat(ms.get(0).getOPT()).isNotNull();
    assertThat(ms.get(0).getOPT().getPayloadSize()).isEqualTo(1232);
    assertThat(ms.get(1).getOPT()).isNull();
    assertThat(ms.get(0).getHeader().getID()).isEqualTo(7);
  }

  private static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
