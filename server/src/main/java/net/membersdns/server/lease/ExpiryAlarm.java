package net.membersdns.server.lease;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import org.xbill.DNS.Name;

/**
 * Knows the earliest lease expiry (RFC 9664 §4) of every served zone and rings when the first one
 * runs out, so that the expired records are removed (and LLQ subscribers told, RFC 8764 §7) at once
 * rather than at the reaper's next round. It learns expiries from {@link ServedZones} as each
 * version is published: this process's commits, the change feed's reloads of other processes'
 * commits, and the start-up load; so it never queries the database.
 *
 * <p>One timer is armed, on the earliest expiry held, and re-armed whenever a publication brings an
 * earlier one. When it rings, every zone whose expiry has passed is handed to {@code due} (once: it
 * is forgotten until its next publication) and the timer is armed on the next expiry.
 *
 * <p>Thread-safe: publications arrive on writer and change-feed threads; {@code due} is called on
 * the timer's thread and must not block (the reaper queues a job and returns).
 */
final class ExpiryAlarm implements ServedZones.Observer {
  /** Rings this long after the expiry, so that the expired records are past it by every clock. */
  static final long SLACK_MILLIS = 5;

  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final Consumer<Name> due;
  private final Map<Name, Long> expiries = new ConcurrentHashMap<>();

  /** When the armed timer rings (epoch ms), {@link Long#MAX_VALUE} if none. Guarded by this. */
  private long armedFor = Long.MAX_VALUE;

  private ScheduledFuture<?> armed;

  ExpiryAlarm(ScheduledExecutorService timer, Clock clock, Consumer<Name> due) {
    this.timer = timer;
    this.clock = clock;
    this.due = due;
  }

  @Override
  public void published(ZoneData zone) {
    long expiry = zone.earliestExpiry();
    if (expiry == ZoneRecord.PERMANENT) {
      expiries.remove(zone.apex());
      return;
    }
    expiries.put(zone.apex(), expiry);
    arm(expiry);
  }

  @Override
  public void removed(Name apex) {
    expiries.remove(apex);
  }

  /** Zones whose earliest expiry is held (for tests and the gauge). */
  int zones() {
    return expiries.size();
  }

  private synchronized void arm(long expiry) {
    if (expiry >= armedFor || timer.isShutdown()) {
      return;
    }
    if (armed != null) {
      armed.cancel(false);
    }
    long delay = Math.max(0, expiry - clock.millis()) + SLACK_MILLIS;
    try {
      armed = timer.schedule(this::ring, delay, TimeUnit.MILLISECONDS);
      armedFor = expiry;
    } catch (RejectedExecutionException e) {
      armed = null; // the reaper is closing: nothing rings any more
    }
  }

  /** On the timer's thread: hands on every zone whose expiry passed, then re-arms. */
  private void ring() {
    synchronized (this) {
      armedFor = Long.MAX_VALUE;
      armed = null;
    }
    long now = clock.millis();
    long next = Long.MAX_VALUE;
    List<Name> expired = new ArrayList<>();
    for (Map.Entry<Name, Long> e : expiries.entrySet()) {
      long expiry = e.getValue();
      if (expiry > now) {
        next = Math.min(next, expiry);
      } else if (expiries.remove(e.getKey(), expiry)) {
        expired.add(e.getKey());
      }
    }
    if (next != Long.MAX_VALUE) {
      arm(next);
    }
    expired.forEach(due);
  }
}
