package net.membersdns.server.feed;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import net.membersdns.server.store.StoreException;
import net.membersdns.server.store.ZoneStore;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Tells a {@link ZoneChangeListener} about every zone committed by any process sharing the
 * database. Its {@link Notifications} line (in PostgreSQL a dedicated connection that LISTENs, held
 * for the process's lifetime) names each committed zone, reported as changed if the zone still
 * exists and as removed if not. Notifications are lost while the connection is down, and PostgreSQL
 * gives no delivery guarantee across reconnects, so a sweep every {@code sweepInterval} compares
 * {@link ZoneStore#zoneVersions()} with the generations {@link ServedZones} holds and reports every
 * zone that stays behind (see {@link #sweepZones}): a missed notification is repaired within two
 * intervals.
 *
 * <p>Runs on one daemon thread of its own, started by {@link #start}; the listener is called only
 * from that thread. A dropped connection is reopened with exponential backoff (0.1 s to 10 s),
 * followed at once by a sweep.
 */
public final class ChangeFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
  private static final long MAX_BACKOFF_MILLIS = 10_000;

  private final Notifications.Opener lines;
  private final ZoneStore store;
  private final ServedZones served;
  private final ZoneChangeListener listener;
  private final KeyChangeListener keys;
  private final long sweepMillis;
  private final Predicate<Throwable> databaseDown;
  private final Thread thread;
  private volatile boolean running = true;
  private Notifications line;

  /** Deliveries closer together than this are gathered into one (see {@link #gather}). */
  static final long COALESCE_NANOS = 10_000_000;

  /** {@link System#nanoTime} of the last delivery (feed thread only). */
  private long lastDelivery = System.nanoTime() - COALESCE_NANOS;

  private volatile boolean listening;

  /** Marks a zone served but no longer stored in {@link #lagging}. */
  private static final long GONE = -1;

  /**
   * Zones the last sweep found behind the store: the stored generation read then, or {@link #GONE}.
   * Only the feed's thread (and tests calling {@link #sweep}) touch it.
   */
  private Map<Name, Long> lagging = Map.of();

  /** When the dedicated connection last completed a round trip; 0 while it is down. */
  private volatile long lastRoundTripNanos;

  /**
   * @param served what the listener publishes; the sweep compares it with the store
   * @param sweepInterval how often to compare generations (about 2 s)
   */
  public ChangeFeed(
      Notifications.Opener lines,
      ZoneStore store,
      ServedZones served,
      ZoneChangeListener listener,
      Duration sweepInterval) {
    this(lines, store, served, listener, KeyChangeListener.NONE, sweepInterval);
  }

  /**
   * Also LISTENs on {@link ZoneNotify#KEYS_CHANNEL} and tells {@code keys}; the sweep asks it to
   * compare too.
   */
  public ChangeFeed(
      Notifications.Opener lines,
      ZoneStore store,
      ServedZones served,
      ZoneChangeListener listener,
      KeyChangeListener keys,
      Duration sweepInterval) {
    this(lines, store, served, listener, keys, sweepInterval, e -> false);
  }

  /**
   * Also reports each failure of its line to {@code databaseDown} (the {@code DatabaseHealth}),
   * which says whether it is the database being unreachable: such failures are logged there once
   * per outage, and here only at DEBUG, however often the line is retried.
   */
  public ChangeFeed(
      Notifications.Opener lines,
      ZoneStore store,
      ServedZones served,
      ZoneChangeListener listener,
      KeyChangeListener keys,
      Duration sweepInterval,
      Predicate<Throwable> databaseDown) {
    this.databaseDown = databaseDown;
    this.lines = lines;
    this.store = store;
    this.served = served;
    this.listener = listener;
    this.keys = keys;
    this.sweepMillis = sweepInterval.toMillis();
    this.thread = Thread.ofPlatform().name("membersdns-change-feed").daemon().unstarted(this::run);
  }

  /**
   * Whether the feed follows the database: its connection is up and made a round trip within three
   * sweep intervals (a connection that hangs without failing goes stale too). While it does not,
   * this process may serve data that other processes have changed since, so {@code /ready} answers
   * 503.
   */
  public boolean isLive() {
    long last = lastRoundTripNanos;
    return last != 0 && System.nanoTime() - last < 3 * sweepMillis * 1_000_000L + 1_000_000_000L;
  }

  /** Starts the feed's thread. */
  public void start() {
    thread.start();
  }

  private void run() {
    long backoff = 100;
    long nextSweep = 0;
    while (running) {
      try {
        if (line == null) {
          line = lines.open();
          listening = true;
          log.info("change-feed: listening for commits");
          backoff = 100;
          nextSweep = 0; // notifications may have been missed while we were away
        }
        long now = System.currentTimeMillis();
        if (now >= nextSweep) {
          line.ping(); // a silently dead line is noticed here
          lastRoundTripNanos = System.nanoTime();
          sweep();
          nextSweep = System.currentTimeMillis() + sweepMillis;
        }
        long wait = Math.max(1, Math.min(500, nextSweep - System.currentTimeMillis()));
        Notifications.Batch batch = gather(line.await((int) wait));
        if (!batch.isEmpty()) {
          lastDelivery = System.nanoTime();
          if (batch.keysChanged()) {
            // Keys first: an update signed by a new member's key may follow its zone at once.
            callKeys(true);
          }
          deliver(batch.zones());
          if (batch.keysChanged()) {
            // Revocations last: a removed key's LLQs get the removal just delivered, then end.
            keysApplied();
          }
        }
      } catch (StoreException e) {
        if (!running) {
          break;
        }
        lastRoundTripNanos = 0;
        warn(e, "change-feed: {}; reconnecting in {} ms", e.getMessage(), backoff);
        closeLine();
        sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
    closeLine();
  }

  /**
   * Under a commit load notifications arrive every few milliseconds, and each delivery costs a
   * query: a delivery within {@link #COALESCE_NANOS} of the previous one first gathers what else
   * arrives until then, so the feed asks the store at most about a hundred times a second. A
   * notification after a quiet spell is delivered at once.
   */
  private Notifications.Batch gather(Notifications.Batch first) {
    if (first.isEmpty()) {
      return first;
    }
    long until = lastDelivery + COALESCE_NANOS;
    Notifications.Batch batch = first;
    for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
      Notifications.Batch more = line.await((int) Math.max(1, left / 1_000_000));
      batch = batch.and(more);
    }
    return batch;
  }

  /**
   * Reads the stored generation of every notified zone in one query; each is reported changed (at
   * that generation, so a listener already holding it skips the reload) or removed.
   */
  private void deliver(Set<String> apexes) {
    if (apexes.isEmpty()) {
      return;
    }
    Map<String, Long> stored = line.generations(apexes);
    for (String apex : apexes) {
      Long generation = stored.get(apex);
      Name name = Names.absolute(apex);
      try {
        if (generation == null) {
          listener.zoneRemoved(name);
        } else {
          listener.zoneChanged(name, generation);
        }
      } catch (RuntimeException e) {
        // The next sweep retries: the zone's generation still differs.
        warn(e, "change-feed: listener failed for zone {}: {}", apex, e.toString());
      }
    }
  }

  private void callKeys(boolean notified) {
    try {
      if (notified) {
        keys.keysChanged();
      } else {
        keys.sweepKeys();
      }
    } catch (RuntimeException e) {
      warn(e, "change-feed: reloading keys failed: {}", e.toString());
    }
  }

  private void keysApplied() {
    try {
      keys.keysApplied();
    } catch (RuntimeException e) {
      warn(e, "change-feed: applying key changes failed: {}", e.toString());
    }
  }

  /** Reloads keys if they changed, repairs zones, then applies what the key reload revoked. */
  void sweep() {
    callKeys(false);
    sweepZones();
    keysApplied();
  }

  /**
   * Repairs every zone that is still behind the store one sweep after it was first seen behind, and
   * every zone still served one sweep after it was first seen gone. A zone seen behind for the
   * first time is usually a commit in flight: this process's writer publishes right after its
   * commit, another process's NOTIFY is on its way; reloading it then would only repeat their work
   * on the busiest path. If the zone still lags behind the generation read then, a notification was
   * really missed.
   */
  private void sweepZones() {
    // Cheap first: with the same zones at the same generations the sums agree, and the full
    // comparison (10,000 zones: a query and a parse per zone, on a core that also answers
    // queries) is not needed.
    ZoneStore.VersionsFingerprint fp = store.versionsFingerprint();
    long count = 0;
    long sum = 0;
    for (ZoneData z : served.all()) {
      count++;
      sum += z.generation();
    }
    // Served generations never run ahead of stored ones, so equal sums over equally many zones
    // mean equal generations everywhere.
    if (fp.zones() == count && fp.generationSum() == sum) {
      lagging = Map.of();
      return;
    }
    Map<Name, Long> stored = new HashMap<>();
    for (ZoneStore.ZoneVersion v : store.zoneVersions()) {
      stored.put(v.apex(), v.generation());
    }
    Map<Name, Long> behind = new HashMap<>();
    for (var e : stored.entrySet()) {
      ZoneData current = served.get(e.getKey());
      if (current == null || current.generation() < e.getValue()) {
        behind.put(e.getKey(), e.getValue());
      }
    }
    for (ZoneData z : served.all()) {
      if (!stored.containsKey(z.apex())) {
        behind.put(z.apex(), GONE);
      }
    }
    Map<Name, Long> before = lagging;
    lagging = behind;
    int repaired = 0;
    for (var e : behind.entrySet()) {
      Long seen = before.get(e.getKey());
      ZoneData current = served.get(e.getKey());
      boolean missed =
          seen != null
              && (seen == GONE
                  ? current != null && e.getValue() == GONE
                  : current == null || current.generation() < seen);
      if (missed) {
        call(e.getKey(), e.getValue() != GONE);
        repaired++;
      }
    }
    if (repaired > 0) {
      log.info("change-feed: sweep repaired {} zone(s)", repaired);
    }
  }

  private void call(Name apex, boolean exists) {
    try {
      if (exists) {
        listener.zoneChanged(apex);
      } else {
        listener.zoneRemoved(apex);
      }
    } catch (RuntimeException e) {
      // The next sweep retries: the zone's generation still differs.
      warn(e, "change-feed: listener failed for zone {}: {}", apex, e.toString());
    }
  }

  /**
   * Whether the feed's connection is LISTENing now: notifications of commits made from here on
   * arrive (until the connection drops).
   */
  public boolean listening() {
    return listening;
  }

  private void closeLine() {
    listening = false;
    if (line != null) {
      line.close();
      line = null;
    }
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Stops the thread and closes the connection; waits up to 5 s. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A WARN, or only a DEBUG when {@code failure} is the database being unreachable (said once). */
  private void warn(RuntimeException failure, String format, Object... args) {
    if (databaseDown.test(failure)) {
      log.debug(format, args);
    } else {
      log.warn(format, args);
    }
  }
}
