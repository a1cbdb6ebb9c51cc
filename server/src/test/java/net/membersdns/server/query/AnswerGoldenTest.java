package net.membersdns.server.query;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.membersdns.server.testing.GoldenZones;
import net.membersdns.server.zone.ServedZones;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Every answer of {@link QueryHandler} over {@link GoldenZones}, rendered to wire as the dispatcher
 * does ({@link Message#toWire(int)}, name compression included) and compared byte for byte with
 * {@code golden/answers.txt}: the zone model may change its layout, never a byte of an answer.
 * Re-record with {@code -Dgolden.record=true} only for an intended change of answers.
 */
class AnswerGoldenTest {
  private static final int[] TYPES = {
    Type.A,
    Type.AAAA,
    Type.SRV,
    Type.TXT,
    Type.MX,
    Type.NS,
    Type.SOA,
    Type.CNAME,
    Type.ANY,
    Type.CAA,
    65400
  };

  private static final int[] META = {
    Type.AXFR, Type.IXFR, Type.MAILA, Type.MAILB, Type.OPT, Type.TSIG, 128, 254
  };

  @Test
  void answersAreByteForByteTheGoldenOnes() {
    ServedZones zones = GoldenZones.served();
    QueryHandler handler = new QueryHandler(new Lookup(zones));
    List<String> lines = new ArrayList<>();
    int id = 1;
    for (Name name : GoldenZones.names()) {
      for (int type : TYPES) {
        lines.add(line(handler, name, type, DClass.IN, id++, GoldenZones.NOW));
        if (name.toString().toLowerCase(java.util.Locale.ROOT).contains("bob.")) {
          lines.add(line(handler, name, type, DClass.IN, id++, GoldenZones.LATER));
        }
      }
    }
    Name apex = Name.fromConstantString("alice.members.example.");
    Name host = Name.fromConstantString("mbp.alice.members.example.");
    for (int dclass : new int[] {DClass.CH, DClass.ANY, DClass.NONE, DClass.HS}) {
      lines.add(line(handler, apex, Type.SOA, dclass, id++, GoldenZones.NOW));
      lines.add(line(handler, host, Type.AAAA, dclass, id++, GoldenZones.NOW));
    }
    for (int type : META) {
      lines.add(line(handler, apex, type, DClass.IN, id++, GoldenZones.NOW));
    }
    GoldenZones.compare("answers.txt", lines);
  }

  private static String line(
      QueryHandler handler, Name name, int type, int dclass, int id, long now) {
    Message query = Message.newQuery(Record.newRecord(name, type, dclass));
    query.getHeader().setID(id);
    if (id % 3 == 0) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    QueryHandler.Answer a = handler.answer(query, now);
    String sources =
        a.sources().stream().map(z -> z.apex().toString()).collect(Collectors.joining(","));
    return name
        + " "
        + DClass.string(dclass)
        + " "
        + Type.string(type)
        + (now == GoldenZones.NOW ? "" : " later")
        + " | "
        + sources
        + (a.cacheable() ? " cacheable" : "")
        + " | "
        + GoldenZones.hex(a.message().toWire(65535));
  }
}
