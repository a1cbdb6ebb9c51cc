package net.membersdns.server.update;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.membersdns.server.zone.ZoneRecord;

/**
 * The net difference between a zone's stored rows before and after a batch, as the store applies
 * it. Rows are identified by owner, type and RDATA, like the table's unique key (RFC 2136 §1.1.1).
 *
 * <ul>
 *   <li>{@code removed}: rows to delete (a row whose TTL changed, or an expired row revived, is
 *       removed and added again);
 *   <li>{@code added}: rows to insert;
 *   <li>{@code leaseChanged}: live rows whose only change is their lease expiry, with the new
 *       expiry: an RFC 9664 refresh, which bumps no serial and journals nothing.
 * </ul>
 */
public record RecordDiff(
    List<ZoneRecord> removed, List<ZoneRecord> added, List<ZoneRecord> leaseChanged) {
  public static final RecordDiff NONE = new RecordDiff(List.of(), List.of(), List.of());

  public RecordDiff {
    removed = List.copyOf(removed);
    added = List.copyOf(added);
    leaseChanged = List.copyOf(leaseChanged);
  }

  /** Whether the zone's content changed (serial bump, journal row, change event). */
  public boolean contentChanged() {
    return !removed.isEmpty() || !added.isEmpty();
  }

  /** Nothing to write at all. */
  public boolean isEmpty() {
    return !contentChanged() && leaseChanged.isEmpty();
  }

  /**
   * Added rows that replace a removed row of the same owner, type and RDATA (a TTL change, an
   * expired row revived): the store may update these in place instead of deleting and inserting.
   */
  public List<ZoneRecord> replaced() {
    Set<RRKey> gone = keys(removed);
    return added.stream().filter(zr -> gone.contains(RRKey.of(zr.record()))).toList();
  }

  /** Added rows that are new: no removed row has their owner, type and RDATA. */
  public List<ZoneRecord> inserted() {
    Set<RRKey> gone = keys(removed);
    return added.stream().filter(zr -> !gone.contains(RRKey.of(zr.record()))).toList();
  }

  /** Removed rows that no added row replaces. */
  public List<ZoneRecord> deleted() {
    Set<RRKey> back = keys(added);
    return removed.stream().filter(zr -> !back.contains(RRKey.of(zr.record()))).toList();
  }

  private static Set<RRKey> keys(List<ZoneRecord> rows) {
    Set<RRKey> out = new HashSet<>();
    for (ZoneRecord zr : rows) {
      out.add(RRKey.of(zr.record()));
    }
    return out;
  }

  /**
   * @param before the stored rows the batch started from
   * @param after the stored rows it left
   * @param nowMillis the batch clock: a row expired at this instant that comes back is a content
   *     change, not a refresh (it was no longer served)
   */
  public static RecordDiff between(
      List<ZoneRecord> before, List<ZoneRecord> after, long nowMillis) {
    Map<RRKey, ZoneRecord> afterByKey = new LinkedHashMap<>();
    for (ZoneRecord zr : after) {
      afterByKey.put(RRKey.of(zr.record()), zr);
    }
    List<ZoneRecord> removed = new ArrayList<>();
    List<ZoneRecord> added = new ArrayList<>();
    List<ZoneRecord> leaseChanged = new ArrayList<>();
    Map<RRKey, ZoneRecord> beforeByKey = new LinkedHashMap<>();
    for (ZoneRecord old : before) {
      RRKey key = RRKey.of(old.record());
      beforeByKey.put(key, old);
      ZoneRecord now = afterByKey.get(key);
      if (now == null) {
        removed.add(old);
      } else if (now.record().getTTL() != old.record().getTTL()
          || (old.leaseExpiresMillis() <= nowMillis && now.leaseExpiresMillis() > nowMillis)) {
        removed.add(old);
        added.add(now);
      } else if (now.leaseExpiresMillis() != old.leaseExpiresMillis()) {
        leaseChanged.add(now);
      }
    }
    for (var e : afterByKey.entrySet()) {
      if (!beforeByKey.containsKey(e.getKey())) {
        added.add(e.getValue());
      }
    }
    return new RecordDiff(removed, added, leaseChanged);
  }
}
