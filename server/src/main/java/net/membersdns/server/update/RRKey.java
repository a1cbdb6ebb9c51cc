package net.membersdns.server.update;

import java.nio.ByteBuffer;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Identity of one RR regardless of TTL and class: owner (case-insensitive), type and canonical
 * RDATA (RFC 4034 §6.2). RFC 2136 compares RRs this way for duplicates, deletes and prerequisites.
 */
record RRKey(Name name, int type, ByteBuffer rdata) {
  static RRKey of(Record r) {
    return new RRKey(r.getName(), r.getType(), ByteBuffer.wrap(r.rdataToWireCanonical()));
  }

  static boolean sameData(Record a, Record b) {
    return of(a).equals(of(b));
  }
}
