package net.membersdns.server.update;

import java.util.List;
import java.util.function.Function;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 2136 §3.1: the zone section names exactly one zone, by its apex, with ZTYPE SOA. */
public final class ZoneSectionCheck {
  private ZoneSectionCheck() {}

  /**
   * @param servedZone the zone whose apex is exactly the given name, or {@code null} (for example
   *     {@code ServedZones::get})
   */
  public static ZoneSection check(Message request, Function<Name, ZoneData> servedZone) {
    List<Record> zoneSection = request.getSection(Section.ZONE);
    // RFC 2136 §3.1.1: ZOCOUNT must be 1 and ZTYPE must be SOA, else FORMERR.
    if (zoneSection.size() != 1) {
      return new Rejection(Rcode.FORMERR, "ZOCOUNT " + zoneSection.size());
    }
    Record z = zoneSection.get(0);
    if (z.getType() != Type.SOA) {
      return new Rejection(Rcode.FORMERR, "ZTYPE " + Type.string(z.getType()));
    }
    // We serve class IN only; a zone of another class is a zone we are not authoritative for.
    if (z.getDClass() != DClass.IN) {
      return new Rejection(Rcode.NOTAUTH, "ZCLASS " + DClass.string(z.getDClass()));
    }
    ZoneData zone = servedZone.apply(z.getName());
    if (zone == null) {
      return new Rejection(Rcode.NOTAUTH, "zone not served: " + z.getName());
    }
    return new ZoneSection.Served(zone);
  }
}
