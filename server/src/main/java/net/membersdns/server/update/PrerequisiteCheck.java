package net.membersdns.server.update;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * RFC 2136 §3.2: the prerequisite section, evaluated against the live data of the zone (RFC 2136
 * §3.2).
 *
 * <table>
 *   <caption>Prerequisite forms</caption>
 *   <tr><th>CLASS</th><th>TYPE</th><th>Meaning</th><th>Failure</th></tr>
 *   <tr><td>ANY</td><td>ANY</td><td>name is in use</td><td>NXDOMAIN</td></tr>
 *   <tr><td>ANY</td><td>t</td><td>RRset exists (value independent)</td><td>NXRRSET</td></tr>
 *   <tr><td>NONE</td><td>ANY</td><td>name is not in use</td><td>YXDOMAIN</td></tr>
 *   <tr><td>NONE</td><td>t</td><td>RRset does not exist</td><td>YXRRSET</td></tr>
 *   <tr><td>zone</td><td>t</td><td>RRset exists (value dependent)</td><td>NXRRSET</td></tr>
 * </table>
 */
public final class PrerequisiteCheck {
  private PrerequisiteCheck() {}

  /**
   * @param zone the zone named by the zone section (class IN)
   * @param prerequisites the prerequisite section, in order
   * @param nowMillis records whose lease expired at or before this instant do not exist
   */
  public static UpdateVerdict check(ZoneData zone, List<Record> prerequisites, long nowMillis) {
    Name apex = zone.apex();
    // RFC 2136 §3.2.3: value-dependent prerequisites are collected per <name, type> and compared
    // as sets once every other prerequisite has passed.
    Map<Name, Map<Integer, Set<RRKey>>> expected = new LinkedHashMap<>();
    for (Record rr : prerequisites) {
      Name name = rr.getName();
      int type = rr.getType();
      if (rr.getTTL() != 0) {
        return new Rejection(Rcode.FORMERR, "prerequisite TTL " + rr.getTTL() + " at " + name);
      }
      if (!name.subdomain(apex)) {
        return new Rejection(Rcode.NOTZONE, "prerequisite outside the zone: " + name);
      }
      int dclass = rr.getDClass();
      if (dclass == DClass.ANY || dclass == DClass.NONE) {
        if (rr.rdataToWireCanonical().length != 0) {
          return new Rejection(Rcode.FORMERR, "prerequisite class ANY/NONE with RDATA: " + name);
        }
      }
      if (dclass == DClass.ANY) {
        if (type == Type.ANY) {
          if (!zone.nameInUse(name, nowMillis)) {
            return new Rejection(Rcode.NXDOMAIN, "name not in use: " + name);
          }
        } else if (zone.liveRRset(name, type, nowMillis) == null) {
          return new Rejection(Rcode.NXRRSET, "no RRset " + name + " " + Type.string(type));
        }
      } else if (dclass == DClass.NONE) {
        if (type == Type.ANY) {
          if (zone.nameInUse(name, nowMillis)) {
            return new Rejection(Rcode.YXDOMAIN, "name in use: " + name);
          }
        } else if (zone.liveRRset(name, type, nowMillis) != null) {
          return new Rejection(Rcode.YXRRSET, "RRset exists: " + name + " " + Type.string(type));
        }
      } else if (dclass == DClass.IN) {
        if (!Type.isRR(type)) {
          return new Rejection(Rcode.FORMERR, "value prerequisite of meta type " + type);
        }
        expected
            .computeIfAbsent(name, k -> new LinkedHashMap<>())
            .computeIfAbsent(type, k -> new HashSet<>())
            .add(RRKey.of(rr));
      } else {
        return new Rejection(Rcode.FORMERR, "prerequisite class " + DClass.string(dclass));
      }
    }
    for (var byName : expected.entrySet()) {
      for (var byType : byName.getValue().entrySet()) {
        RRset live = zone.liveRRset(byName.getKey(), byType.getKey(), nowMillis);
        Set<RRKey> actual = new HashSet<>();
        if (live != null) {
          for (Record r : live.rrs(false)) {
            actual.add(RRKey.of(r));
          }
        }
        if (!actual.equals(byType.getValue())) {
          return new Rejection(
              Rcode.NXRRSET,
              "RRset differs: " + byName.getKey() + " " + Type.string(byType.getKey()));
        }
      }
    }
    return UpdateVerdict.ACCEPTED;
  }
}
