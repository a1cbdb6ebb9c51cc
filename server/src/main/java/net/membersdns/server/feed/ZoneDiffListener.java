package net.membersdns.server.feed;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Wraps the listener that reloads zones ({@link SnapshotUpdater}) and turns each reload that
 * published a new version into a {@link ZoneChange} for a {@link ZoneChangeSink} (the LLQ
 * notifier), by diffing the stored records of the old and the new {@link ZoneData}. The sink is
 * called after the new version is published, as its contract requires.
 *
 * <p>This covers every commit the change feed sees — enrolment and removal of members, imports, and
 * commits of other processes — until the journal-driven feed of the update path reports changes
 * itself. Records compare by owner, type, class and RDATA (dnsjava's {@link Record#equals}); a TTL
 * or lease change alone is not a change. A reload that published nothing (already current, e.g. the
 * writer of this process got there first) emits nothing. The commit time is approximated by the
 * reload time: the push latency metric then leaves out the NOTIFY delay and the reload.
 *
 * <p>Called on the change feed's thread.
 */
public final class ZoneDiffListener implements ZoneChangeListener {
  private final ServedZones served;
  private final ZoneChangeListener delegate;
  private final ZoneChangeSink sink;
  private final Clock clock;

  public ZoneDiffListener(
      ServedZones served, ZoneChangeListener delegate, ZoneChangeSink sink, Clock clock) {
    this.served = Objects.requireNonNull(served, "served");
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void zoneChanged(Name apex) {
    ZoneData before = served.get(apex);
    delegate.zoneChanged(apex);
    ZoneData after = served.get(apex);
    if (after == before) {
      return;
    }
    if (after == null) {
      sink.changed(removal(before));
      return;
    }
    List<Record> old = before == null ? List.of() : records(before);
    List<Record> now = records(after);
    List<Record> added = minus(now, old);
    List<Record> removed = minus(old, now);
    if (!added.isEmpty() || !removed.isEmpty()) {
      sink.changed(
          new ZoneChange(
              apex, after.serial(), after.generation(), added, removed, false, clock.instant()));
    }
  }

  @Override
  public void zoneRemoved(Name apex) {
    ZoneData before = served.get(apex);
    delegate.zoneRemoved(apex);
    if (before != null && served.get(apex) == null) {
      sink.changed(removal(before));
    }
  }

  private ZoneChange removal(ZoneData before) {
    return new ZoneChange(
        before.apex(),
        before.serial(),
        before.generation(),
        List.of(),
        records(before),
        true,
        clock.instant());
  }

  private static List<Record> records(ZoneData zone) {
    List<Record> out = new ArrayList<>(zone.storedRecords().size());
    for (ZoneRecord zr : zone.storedRecords()) {
      out.add(zr.record());
    }
    return out;
  }

  /** The records of {@code a} that are not in {@code b}. */
  static List<Record> minus(List<Record> a, List<Record> b) {
    Set<Record> in = new HashSet<>(b);
    List<Record> out = new ArrayList<>();
    for (Record r : a) {
      if (!in.contains(r)) {
        out.add(r);
      }
    }
    return out;
  }
}
