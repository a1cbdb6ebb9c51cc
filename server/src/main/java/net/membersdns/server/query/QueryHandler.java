package net.membersdns.server.query;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers a standard QUERY (opcode 0) from the in-memory zones: builds the response message without
 * its OPT (the dispatcher adds EDNS and renders with the right size limit). Never touches the
 * database; safe to call on an event loop.
 */
public final class QueryHandler {
  private final Lookup lookup;

  public QueryHandler(Lookup lookup) {
    this.lookup = lookup;
  }

  /**
   * A response and the zones its content came from.
   *
   * @param sources every zone version read (empty when the answer came from no zone); the answer
   *     stays valid while each is still the published version
   * @param cacheable whether the {@link AnswerCache} may replay it
   */
  public record Answer(Message message, List<ZoneData> sources, boolean cacheable) {}

  /** The response to {@code query}, which has exactly one question (the caller checked). */
  public Answer answer(Message query, long nowMillis) {
    Record question = query.getQuestion();
    Message response = responseTo(query);
    int qtype = question.getType();
    int qclass = question.getDClass();
    if (metaType(qtype)) {
      // AXFR/IXFR/MAILA/MAILB/OPT/TSIG as a query type: we offer no zone transfer to the public.
      response
          .getHeader()
          .setRcode(qtype == Type.OPT || qtype == Type.TSIG ? Rcode.FORMERR : Rcode.REFUSED);
      return new Answer(response, List.of(), false);
    }
    if (qclass != DClass.IN && qclass != DClass.ANY) {
      response.getHeader().setRcode(Rcode.REFUSED);
      return new Answer(response, List.of(), false);
    }
    LookupResult result = lookup.lookup(question.getName(), qtype, nowMillis);
    if (result == null) {
      // Not a name in any zone we serve: RFC 1035 §4.1.1 REFUSED, no AA.
      response.getHeader().setRcode(Rcode.REFUSED);
      return new Answer(response, List.of(), false);
    }
    response.getHeader().setRcode(result.rcode());
    if (result.authoritative()) {
      response.getHeader().setFlag(Flags.AA);
    }
    for (RRset set : result.answer()) {
      addSet(response, set, Section.ANSWER);
    }
    for (RRset set : result.authority()) {
      addSet(response, set, Section.AUTHORITY);
    }
    List<ZoneData> sources = new ArrayList<>(result.sources());
    addAdditional(response, result, sources, nowMillis);
    return new Answer(response, sources, qclass == DClass.IN);
  }

  /**
   * RFC 6895 §3.1: 128–255 are QTYPEs and meta-RRs (ANY excepted, which we answer), OPT is meta.
   */
  private static boolean metaType(int qtype) {
    return qtype == Type.OPT || (qtype >= 128 && qtype <= 255 && qtype != Type.ANY);
  }

  /** A response skeleton echoing ID, opcode, RD, CD and the question (RFC 1035 §4.1.1). */
  public static Message responseTo(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setOpcode(Opcode.QUERY);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    if (query.getHeader().getFlag(Flags.CD)) {
      response.getHeader().setFlag(Flags.CD);
    }
    Record question = query.getQuestion();
    if (question != null) {
      response.addRecord(question, Section.QUESTION);
    }
    return response;
  }

  private static void addSet(Message m, RRset set, int section) {
    for (Record r : set.rrs(false)) {
      m.addRecord(r, section);
    }
  }

  /**
   * RFC 1034 §4.3.2 step 6 / RFC 2782: addresses of SRV, NS and MX targets that we hold, so a
   * client resolving {@code _autotunnel._udp} gets the tunnel endpoint's A in one round trip.
   */
  private void addAdditional(Message m, LookupResult result, List<ZoneData> sources, long now) {
    Set<Name> done = new HashSet<>();
    addTargets(m, result.answer(), done, sources, now);
    addTargets(m, result.authority(), done, sources, now);
  }

  private void addTargets(
      Message m, List<RRset> sets, Set<Name> done, List<ZoneData> sources, long now) {
    for (RRset set : sets) {
      for (Record r : set.rrs(false)) {
        Name target =
            switch (r) {
              case SRVRecord srv -> srv.getTarget();
              case NSRecord ns -> ns.getTarget();
              case MXRecord mx -> mx.getTarget();
              default -> null;
            };
        if (target != null && done.add(target)) {
          for (Record a : lookup.addresses(target, sources, now)) {
            m.addRecord(a, Section.ADDITIONAL);
          }
        }
      }
    }
  }
}
