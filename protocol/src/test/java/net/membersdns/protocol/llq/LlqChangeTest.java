package net.membersdns.protocol.llq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

class LlqChangeTest {
  /** Vector L5 (RFC 8764 §6.2): an event removing one PTR (TTL 0xFFFFFFFF). */
  private static final String L5 =
      "9e3f84000001000100000001045f726662045f74637005616c696365076d656d62657273076578616d706c6500"
          + "000c0001045f726662045f74637005616c696365076d656d62657273076578616d706c6500000c0001ffff"
          + "ffff00310f416c6963652773204d6163426f6f6b045f726662045f74637005616c696365076d656d626572"
          + "73076578616d706c650000002905a0000000000016000100120001000300000123456789abcdef00000bb8";

  @Test
  void readsTheRemovalMarkerDnsjavaLoses() throws Exception {
    byte[] wire = HexFormat.of().parseHex(L5);
    assertThat(new Message(wire).getSection(Section.ANSWER).get(0).getTTL()).isZero();
    List<LlqChange> changes = LlqChange.decode(wire);
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).removed()).isTrue();
    assertThat(((PTRRecord) changes.get(0).record()).getTarget())
        .isEqualTo(Name.fromConstantString("Alice's\\032MacBook._rfb._tcp.alice.members.example."));
  }

  @Test
  void encodesWhatItDecodes() throws Exception {
    Name q = Name.fromConstantString("mbp.alice.members.example.");
    Record add =
        new AAAARecord(q, DClass.IN, 120, java.net.InetAddress.getByName("fd12:3456:789a:1::1"));
    AAAARecord gone =
        new AAAARecord(q, DClass.IN, 120, java.net.InetAddress.getByName("fd12:3456:789a:1::2"));
    Message m = new Message(0x1234);
    m.addRecord(Record.newRecord(q, Type.AAAA, DClass.IN), Section.QUESTION);
    byte[] head = m.toWire();
    head[7] = 2; // ANCOUNT
    byte[] a = LlqChange.encode(new LlqChange(add, false));
    byte[] r = LlqChange.encode(new LlqChange(gone, true));
    byte[] wire = new byte[head.length + a.length + r.length];
    System.arraycopy(head, 0, wire, 0, head.length);
    System.arraycopy(a, 0, wire, head.length, a.length);
    System.arraycopy(r, 0, wire, head.length + a.length, r.length);
    List<LlqChange> changes = LlqChange.decode(wire);
    assertThat(changes).extracting(LlqChange::removed).containsExactly(false, true);
    assertThat(changes.get(0).record().getTTL()).isEqualTo(120);
    assertThat(((AAAARecord) changes.get(1).record()).getAddress()).isEqualTo(gone.getAddress());
  }

  @Test
  void truncatedMessagesAreParseErrors() {
    byte[] wire = HexFormat.of().parseHex(L5.substring(0, 120));
    assertThatThrownBy(() -> LlqChange.decode(wire)).isInstanceOf(WireParseException.class);
  }
}
