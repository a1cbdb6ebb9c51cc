package net.membersdns.server.feed;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
 * @param committedAt when the change was committed (wall clock, so comparable across replicas: the
 *     journal's {@code changed_at} for changes read back from it); the LLQ push latency metric
 *     measures from here
 */
public record ZoneChange(
    Name apex,
    long serial,
    long generation,
    List<Record> added,
    List<Record> removed,
    boolean zoneRemoved,
    Instant committedAt) {
  public ZoneChange {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    Objects.requireNonNull(committedAt, "committedAt");
  }

  /** A change committed just now (for callers that publish right after their commit). */
  public ZoneChange(
      Name apex,
      long serial,
      long generation,
      List<Record> added,
      List<Record> removed,
      boolean zoneRemoved) {
    this(apex, serial, generation, added, removed, zoneRemoved, Instant.now());
  }
}
