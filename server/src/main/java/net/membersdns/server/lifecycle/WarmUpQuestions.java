package net.membersdns.server.lifecycle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The questions the start-up warm-up asks: taken from the zones just loaded, so that every branch
 * of the query path a client will take runs hot before the listeners open (RFC 1034 §4.3.2: an
 * answer from the owner's RRsets, a referral, NODATA and NXDOMAIN with the SOA, RFC 2308; SRV
 * targets' addresses in the additional section). One question per stored owner and type, plus the
 * apex SOA and NS, an absent type (NODATA) and an absent name (NXDOMAIN) per zone, across as many
 * zones as {@code max} allows; most with an EDNS OPT (RFC 6891), some without, as clients send.
 */
public final class WarmUpQuestions {
  /** Questions per zone at most, so that a small budget still spans many zones. */
  private static final int PER_ZONE = 12;

  private WarmUpQuestions() {}

  /** Up to {@code max} distinct questions in wire form, from as many zones as fit. */
  public static List<byte[]> from(ServedZones zones, int max) {
    List<byte[]> out = new ArrayList<>(Math.min(max, 1 << 16));
    int id = 1;
    for (ZoneData zone : zones.all()) {
      if (out.size() >= max) {
        break;
      }
      for (Question q : of(zone)) {
        if (out.size() >= max) {
          break;
        }
        out.add(wire(q, id++));
      }
    }
    return out;
  }

  /** The questions of one zone, at most {@link #PER_ZONE}. */
  static List<Question> of(ZoneData zone) {
    Set<Question> qs = new LinkedHashSet<>();
    Name apex = zone.apex();
    qs.add(new Question(apex, Type.SOA));
    qs.add(new Question(apex, Type.NS));
    qs.add(new Question(apex, Type.MX)); // NODATA: the apex exists, MX is never synthesised
    qs.add(new Question(nonexistent(apex), Type.A)); // NXDOMAIN
    zone.forEachStoredType((owner, type) -> {
      if (qs.size() >= PER_ZONE) {
        return false;
      }
      qs.add(new Question(owner, type));
      return true;
    });
    return List.copyOf(qs);
  }

  /** A query for {@code q}; every eighth without EDNS (plain RFC 1035 clients still exist). */
  static byte[] wire(Question q, int id) {
    Message m = Message.newQuery(Record.newRecord(q.name(), q.type(), DClass.IN));
    m.getHeader().setID(id & 0xFFFF);
    if (id % 8 != 0) {
      m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return m.toWire();
  }

  private static Name nonexistent(Name apex) {
    try {
      return Name.concatenate(Name.fromString("membersdns-warm-up-absent"), apex);
    } catch (org.xbill.DNS.NameTooLongException | TextParseException e) {
      return apex; // a name at the length limit: ask the apex instead
    }
  }

  /** One question: owner and type (class IN). */
  record Question(Name name, int type) {}
}
