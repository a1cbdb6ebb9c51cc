package net.membersdns.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.zone.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ZoneRowReaderTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "members.example.",
        "_autotunnel._udp.mbp.alice.members.example.",
        "host-1.user9999.members.example.",
        "Upper.members.example.",
        "esc\\.aped.members.example.",
        "sp\\032ace.members.example.",
        "*.wild.members.example.",
        "."
      })
  void ownersAreTheNamesDnsjavaParses(String text) {
    Name parsed = ZoneRowReader.owner(text);
    Name expected = Names.absolute(text);
    assertThat(parsed).isEqualTo(expected);
    assertThat(parsed.toWire()).isEqualTo(expected.toWire());
  }

  @Test
  void keptRdataIsWhatDnsjavaWritesForTheRecordItDecodes() {
    for (Record r :
        Zones.records(
            "alice.members.example.",
            """
            a A 192.0.2.1
            a AAAA 2001:db8::1
            a TXT "one" "two" ""
            a SRV 0 5 4500 _autotunnel.mbp
            a MX 10 mail.example.org.
            a CNAME b
            a NS ns.example.
            a PTR host.example.
            a CAA 0 issue "ca.example"
            """)) {
      byte[] canonical = r.rdataToWireCanonical();
      Record decoded =
          Record.newRecord(r.getName(), r.getType(), r.getDClass(), r.getTTL(), canonical);
      byte[] wire = decoded.toWire(Section.ANSWER);
      byte[] written = Arrays.copyOfRange(wire, r.getName().length() + 10, wire.length);
      boolean kept = ZoneRowReader.asDnsjavaWrites(r.getType(), canonical);
      assertThat(kept).as(r.toString()).isEqualTo(r.getType() != Type.CAA);
      if (kept) {
        assertThat(canonical).as(r.toString()).isEqualTo(written);
      }
    }
  }

  @Test
  void malformedRdataGoesThroughDnsjava() {
    assertThat(ZoneRowReader.asDnsjavaWrites(Type.A, new byte[3])).isFalse();
    assertThat(ZoneRowReader.asDnsjavaWrites(Type.AAAA, new byte[4])).isFalse();
    assertThat(ZoneRowReader.asDnsjavaWrites(Type.TXT, new byte[] {5, 'a'})).isFalse();
    assertThat(ZoneRowReader.asDnsjavaWrites(Type.TXT, new byte[0])).isFalse();
    assertThat(ZoneRowReader.asDnsjavaWrites(Type.CNAME, new byte[] {1, 'a'})).isFalse();
    assertThat(ZoneRowReader.asDnsjavaWrites(Type.CNAME, new byte[] {1, 'a', 0, 0})).isFalse();
    assertThat(ZoneRowReader.asDnsjavaWrites(Type.CNAME, new byte[] {(byte) 0xC0, 12})).isFalse();
    assertThat(ZoneRowReader.asDnsjavaWrites(Type.SRV, new byte[] {0, 0, 0, 0, 0, 0})).isFalse();
    assertThat(ZoneRowReader.asDnsjavaWrites(Type.CNAME, new byte[] {1, 'a', 0})).isTrue();
  }
}
