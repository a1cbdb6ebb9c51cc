package net.membersdns.server.llq;

import java.util.ArrayList;
import java.util.List;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The complete current answer of an LLQ's question (RFC 8764 §5.2.2 "ACK + Answers": the client
 * takes it as the entire truth): the live records at the question name that {@link
 * LlqSession#matches} accepts — the RRset of the type, or a CNAME, or every RRset for ANY. Events
 * report changes by the same rule, so answers and events stay consistent. CNAME chains are not
 * followed: a change at the target is not an event of this question. Pure.
 */
final class LlqAnswers {
  private LlqAnswers() {}

  static List<Record> current(ZoneData zone, Record question, long nowMillis) {
    ZoneData.Node node = zone.node(question.getName());
    if (node == null) {
      return List.of();
    }
    int qtype = question.getType();
    List<Record> out = new ArrayList<>();
    if (qtype == Type.ANY) {
      node.liveRRsets(nowMillis).values().forEach(set -> out.addAll(set.rrs(false)));
      return out;
    }
    RRset set = node.live(qtype, nowMillis);
    if (set == null && qtype != Type.CNAME) {
      set = node.live(Type.CNAME, nowMillis);
    }
    return set == null ? List.of() : set.rrs(false);
  }
}
