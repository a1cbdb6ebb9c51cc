package net.membersdns.server.update;

import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * RFC 2136 §3.4.1: the prescan of the update section, before anything is applied. Any failure
 * rejects the whole update.
 */
public final class UpdatePrescan {
  private UpdatePrescan() {}

  public static UpdateVerdict check(Name apex, List<Record> updates) {
    for (Record rr : updates) {
      Name name = rr.getName();
      int type = rr.getType();
      if (!name.subdomain(apex)) {
        return new Rejection(Rcode.NOTZONE, "update outside the zone: " + name);
      }
      int dclass = rr.getDClass();
      if (dclass == DClass.IN) {
        // Add to an RRset: a real type with RDATA (RFC 2136 §3.4.1.3).
        if (!Type.isRR(type)) {
          return new Rejection(Rcode.FORMERR, "add of meta type " + Type.string(type));
        }
        if (rr.rdataToWireCanonical().length == 0) {
          return new Rejection(Rcode.FORMERR, "add without RDATA: " + name);
        }
      } else if (dclass == DClass.ANY) {
        // Delete an RRset, or all RRsets (type ANY): TTL 0, no RDATA.
        if (rr.getTTL() != 0 || rr.rdataToWireCanonical().length != 0) {
          return new Rejection(Rcode.FORMERR, "class ANY delete with TTL or RDATA: " + name);
        }
        if (type != Type.ANY && !Type.isRR(type)) {
          return new Rejection(Rcode.FORMERR, "delete of meta type " + Type.string(type));
        }
      } else if (dclass == DClass.NONE) {
        // Delete one RR: TTL 0 and a real type.
        if (rr.getTTL() != 0) {
          return new Rejection(Rcode.FORMERR, "class NONE delete with TTL: " + name);
        }
        if (!Type.isRR(type)) {
          return new Rejection(Rcode.FORMERR, "RR delete of meta type " + Type.string(type));
        }
      } else {
        return new Rejection(Rcode.FORMERR, "update class " + DClass.string(dclass));
      }
    }
    return UpdateVerdict.ACCEPTED;
  }
}
