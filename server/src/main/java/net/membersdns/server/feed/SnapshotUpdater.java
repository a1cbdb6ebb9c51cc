package net.membersdns.server.feed;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.membersdns.server.store.ZoneStore;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRows;
import net.membersdns.server.zone.ZoneSettings;
import org.xbill.DNS.Name;

/**
 * The listener that keeps {@link ServedZones} equal to the store: on a change it reloads the one
 * zone from the store and publishes a rebuilt {@link ZoneData}; on a removal it stops serving it.
 * Then, when given {@link ChangeEvents}, it replays the zone's journal from the last generation
 * announced up to the one just loaded and emits each row as a {@link ZoneChange}: commits of other
 * processes reach this process's LLQ subscribers, and a missed NOTIFY is repaired by the next one
 * or the sweep, since the journal is read by generation, not from the notification.
 *
 * <p>Called on the change feed's thread (blocks on JDBC for one zone). Another writer in this
 * process (the update path) may publish the same zone concurrently; a loaded version is published
 * only if its generation is newer than the one served ({@link ServedZones#putIfNewer}), so a slow
 * reload never replaces a newer snapshot, and {@link ChangeEvents} drops what the writer already
 * announced. Generations come from one database sequence and grow per zone in commit order.
 */
public final class SnapshotUpdater implements ZoneChangeListener {
  private final ZoneStore store;
  private final ServedZones served;
  private final ZoneSettings settings;
  private final ChangeEvents events;

  /** Without change events (tools, tests of the snapshot alone). */
  public SnapshotUpdater(ZoneStore store, ServedZones served, ZoneSettings settings) {
    this(store, served, settings, null);
  }

  /**
   * @param events where replayed journal rows go, or {@code null} for none
   */
  public SnapshotUpdater(
      ZoneStore store, ServedZones served, ZoneSettings settings, ChangeEvents events) {
    this.store = store;
    this.served = served;
    this.settings = settings;
    this.events = events;
    if (events != null) {
      events.fillGapsWith(this::replay);
    }
  }

  /**
   * Start-up: publishes every zone of the store. Call before the transports start: the server is
   * not ready, and does not listen, until every zone is in (a client must never get NXDOMAIN or
   * REFUSED for a zone that exists but is not loaded yet). Zones are built ({@link ZoneData#build})
   * on {@code builders} threads while the store is still streaming the next ones; the calling
   * thread reads the rows and, when the builders fall behind, builds too (the queue is bounded, so
   * memory holds a bounded number of zones as rows).
   */
  public void loadAll(int builders) {
    if (builders <= 1) {
      store.forEachZoneRows(this::publishLoaded);
      return;
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            builders,
            builders,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024),
            r -> {
              Thread t = new Thread(r, "membersdns-zone-loader");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    try {
      store.forEachZoneRows(rows ->
          pool.execute(() -> {
            try {
              publishLoaded(rows);
            } catch (Throwable t) {
              failure.compareAndSet(null, t);
            }
          }));
    } finally {
      pool.shutdown();
      awaitQuietly(pool);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("building a zone failed: " + failure.get(), failure.get());
    }
  }

  /** {@link #loadAll(int)} with one builder per processor. */
  public void loadAll() {
    loadAll(Runtime.getRuntime().availableProcessors());
  }

  private void publishLoaded(ZoneRows rows) {
    served.put(ZoneData.build(rows, settings));
    if (events != null) {
      events.loaded(rows.apex(), rows.generation());
    }
  }

  private static void awaitQuietly(ThreadPoolExecutor pool) {
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void zoneChanged(Name apex) {
    Optional<ZoneContent> content = store.loadZone(apex);
    if (content.isEmpty()) {
      zoneRemoved(apex); // removed again before we got to read it
      return;
    }
    ZoneData current = served.get(apex);
    long generation = content.get().generation();
    if (current == null || generation > current.generation()) {
      served.putIfNewer(ZoneData.build(content.get(), settings));
    }
    if (events == null) {
      return;
    }
    if (events.emittedUpTo(apex) < 0) {
      events.loaded(apex, generation); // a zone new to us: nothing to announce yet
      return;
    }
    replay(apex, generation);
  }

  /**
   * Skips the reload when this process already serves {@code generation} and has announced
   * everything up to it: the usual case for this process's own commits, whose writer publishes and
   * emits before (or just after) the NOTIFY arrives.
   */
  @Override
  public void zoneChanged(Name apex, long generation) {
    ZoneData current = served.get(apex);
    if (current != null
        && current.generation() >= generation
        && (events == null || events.emittedUpTo(apex) >= generation)) {
      return;
    }
    zoneChanged(apex);
  }

  @Override
  public void zoneRemoved(Name apex) {
    served.remove(apex);
    if (events == null || events.emittedUpTo(apex) < 0) {
      return;
    }
    if (!replay(apex, Long.MAX_VALUE)) {
      // No 'remove' journal row to read (deleted by hand?): announce the removal anyway.
      events.emit(
          new ZoneChange(apex, 0, Long.MAX_VALUE, java.util.List.of(), java.util.List.of(), true));
    }
    events.forget(apex);
  }

  /**
   * Emits the journal rows after the last announced generation, up to {@code upTo}. Called on the
   * feed's thread, and on a writer's for a gap before its own commit ({@link
   * ChangeEvents#emitCommitted}); concurrent replays of one zone are safe, since {@link
   * ChangeEvents} drops what is not newer than the last emitted.
   *
   * @return whether a zone removal was among them
   */
  private boolean replay(Name apex, long upTo) {
    long from = events.emittedUpTo(apex);
    if (from >= upTo) {
      return false;
    }
    boolean removed = false;
    for (ZoneStore.JournalEntry e : store.journalSince(apex, from)) {
      if (e.generation() > upTo) {
        break; // its zone version is not published yet: the next notification brings both
      }
      boolean zoneRemoved = "remove".equals(e.kind());
      removed |= zoneRemoved;
      if (zoneRemoved || !e.added().isEmpty() || !e.removed().isEmpty()) {
        events.emit(
            new ZoneChange(apex, e.serial(), e.generation(), e.added(), e.removed(), zoneRemoved));
      } else {
        events.loaded(apex, e.generation());
      }
    }
    return removed;
  }
}
