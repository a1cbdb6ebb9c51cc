package net.membersdns.server.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneRows;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Read side of the zone store (PostgreSQL is the source of truth). Called at start-up and by the
 * change feed, never on a query path. Implementations are thread-safe; every method may block on
 * I/O and must not run on a Netty event loop.
 */
public interface ZoneStore {
  /** Every zone with its stored records (start-up load). */
  List<ZoneContent> loadAllZones();

  /**
   * Every zone with its stored records, handed to {@code sink} one zone at a time as the rows
   * arrive, so the caller can build zones while the rest is still being fetched. Each zone is
   * handed over once, whole; zones without stored records too. Runs {@code sink} on the calling
   * thread.
   */
  default void forEachZone(Consumer<ZoneContent> sink) {
    loadAllZones().forEach(sink);
  }

  /**
   * As {@link #forEachZone}, each zone as its rows ({@link ZoneRows}: wire form, no dnsjava record
   * per row), which is what the start-up load builds {@link net.membersdns.server.zone.ZoneData}
   * from.
   */
  default void forEachZoneRows(Consumer<ZoneRows> sink) {
    forEachZone(content -> sink.accept(ZoneRows.of(content)));
  }

  /** One zone with its stored records, or empty if it does not exist (any more). */
  Optional<ZoneContent> loadZone(Name apex);

  /** Apex, serial and generation of every zone: cheap; the change feed's repair sweep uses it. */
  List<ZoneVersion> zoneVersions();

  /**
   * Number of zones and the sum of their generations: one row, so the change feed's repair sweep
   * can tell in microseconds that nothing was missed, and read every zone's version only when
   * something was.
   */
  VersionsFingerprint versionsFingerprint();

  /**
   * @see #versionsFingerprint()
   */
  record VersionsFingerprint(long zones, long generationSum) {}

  /** Makes sure the members domain zone itself exists (no member); idempotent. */
  void ensureDomainZone(Name domain);

  /**
   * The journal of the zone at {@code apex} after {@code afterGeneration}, oldest first: how a
   * replica learns what a commit of another process added and removed (its change events).
   */
  List<JournalEntry> journalSince(Name apex, long afterGeneration);

  /**
   * One journal row.
   *
   * @param kind {@code create}, {@code update}, {@code expire}, {@code import} or {@code remove}
   */
  record JournalEntry(
      long generation, long serial, String kind, List<Record> removed, List<Record> added) {
    public JournalEntry {
      removed = List.copyOf(removed);
      added = List.copyOf(added);
    }
  }

  /**
   * @param generation bumped on every commit, see {@link ZoneContent#generation()}
   */
  record ZoneVersion(Name apex, long serial, long generation) {}
}
