package net.membersdns.server.feed;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * One committed change of a zone's content, as the journal records it: what a subscriber (LLQ, RFC
 * 8764 §7) must be told. Produced for commits of this process (updates, the lease reaper,
 * enrolment) and for commits of other processes read back from the journal by serial.
 *
 * @param apex the zone
 * @param serial the SOA serial after the change
 * @param generation the zone's generation after the change
 * @param added records now present that were not before (TTL as stored)
 * @param removed records no longer present (reaped leases included)
 * @param zoneRemoved the whole zone went away (member removed): every name in it is gone
 */
public record ZoneChange(
    Name apex,
    long serial,
    long generation,
    List<Record> added,
    List<Record> removed,
    boolean zoneRemoved) {
  public ZoneChange {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }
}
