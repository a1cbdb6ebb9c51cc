package net.membersdns.server.llq;

import java.util.ArrayList;
import java.util.List;
import net.membersdns.server.testing.GoldenZones;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The complete answers of LLQ questions (RFC 8764 §5.2.2) over {@link GoldenZones}, record by
 * record in wire form, compared with {@code golden/llq-answers.txt}.
 */
class LlqAnswersGoldenTest {
  @Test
  void llqAnswersAreTheGoldenOnes() {
    ServedZones served = GoldenZones.served();
    List<String> out = new ArrayList<>();
    for (long now : new long[] {GoldenZones.NOW, GoldenZones.LATER}) {
      for (Name name : GoldenZones.names()) {
        ZoneData zone = served.findZone(name);
        if (zone == null) {
          continue;
        }
        for (int type : new int[] {Type.A, Type.AAAA, Type.SRV, Type.TXT, Type.CNAME, Type.ANY}) {
          StringBuilder b = new StringBuilder();
          b.append(name).append(' ').append(Type.string(type));
          b.append(now == GoldenZones.NOW ? " now:" : " later:");
          for (Record r : LlqAnswers.current(zone, Record.newRecord(name, type, DClass.IN), now)) {
            b.append(' ').append(GoldenZones.hex(r.toWire(Section.ANSWER)));
          }
          out.add(b.toString());
        }
      }
    }
    GoldenZones.compare("llq-answers.txt", out);
  }
}
