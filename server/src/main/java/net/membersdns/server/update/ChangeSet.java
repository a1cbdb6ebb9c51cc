package net.membersdns.server.update;

import java.util.List;
import java.util.Objects;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import org.xbill.DNS.Name;

/**
 * What one update does to the stored records of a zone, for the zone writer to commit in one
 * transaction (records, journal row, serial) and for the change feed to announce.
 *
 * <p>Rows are compared by owner, type and RDATA (TTL and lease aside):
 *
 * <ul>
 *   <li>{@code removed}: stored rows that go, as they were stored.
 *   <li>{@code added}: rows that are new, as they will be stored. A row whose TTL changes, or an
 *       expired (not yet reaped) row that is re-added, appears in both lists: delete the old row,
 *       then insert the new one.
 *   <li>{@code leaseRenewed}: live rows whose only change is their lease expiry (an RFC 9664
 *       refresh), with the new expiry: no serial bump, no journal entry, no LLQ event.
 * </ul>
 *
 * @param apex the zone
 * @param previousSerial the serial the update was evaluated against
 * @param serial the new serial: {@code SerialNumber.next(previousSerial)} when {@link
 *     #contentChanged()}, else unchanged
 * @param records every stored row after the update (input for {@link #content})
 * @param contentChanged whether anything beyond lease expiries changed
 */
public record ChangeSet(
    Name apex,
    long previousSerial,
    long serial,
    List<ZoneRecord> added,
    List<ZoneRecord> removed,
    List<ZoneRecord> leaseRenewed,
    List<ZoneRecord> records,
    boolean contentChanged) {

  public ChangeSet {
    Objects.requireNonNull(apex, "apex");
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    leaseRenewed = List.copyOf(leaseRenewed);
    records = List.copyOf(records);
  }

  /** Nothing to write at all: the update was a no-op (for example deleting what is absent). */
  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && leaseRenewed.isEmpty();
  }

  /**
   * The zone as stored after this change, for {@link ZoneData#build}: new serial, generation bumped
   * (every commit, lease-only refreshes included).
   */
  public ZoneContent content(ZoneData before) {
    return new ZoneContent(apex, before.member(), serial, before.generation() + 1, records);
  }
}
