package net.membersdns.server.lease;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.update.JobResult;
import net.membersdns.server.update.WriterJob;
import net.membersdns.server.update.ZoneWriters;
import net.membersdns.server.zone.ServedZones;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Removes records whose update lease ran out (RFC 9664 §4), as soon as they do. Its {@link
 * ExpiryAlarm} (an observer of the served zones, {@link #alarm}) knows every zone's earliest expiry
 * and rings at the first one; and, as a backstop for a reap that failed, a round every {@code
 * interval} finds the zones holding expired records with one indexed query. Either way it queues a
 * {@link WriterJob.Reap} on each such zone's writer: the removal is an ordinary commit of that zone
 * (serial bump, journal row of kind {@code expire}, NOTIFY, change event for LLQ subscribers),
 * batched with whatever updates are queued, and all of a zone's expired records go in one
 * transaction (the group commit puts the reap jobs of many zones in one transaction too, see {@link
 * ZoneWriters}). Queries never see expired records even before this runs ({@code
 * ZoneData.Entry#live}).
 *
 * <p>Runs on its own daemon thread (alarm and rounds); a zone whose queue is full is retried on the
 * next round.
 */
public final class LeaseReaper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

  /** Zones queued per round at most; the rest wait for the next round. */
  static final int ZONES_PER_ROUND = 1000;

  private final ExpiredLeases expired;
  private final ZoneWriters writers;
  private final Clock clock;
  private final Duration interval;
  private final UpdateMetrics metrics;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("membersdns-lease-reaper").daemon().unstarted(r));
  private final ExpiryAlarm alarm;

  public LeaseReaper(
      ExpiredLeases expired,
      ZoneWriters writers,
      Clock clock,
      Duration interval,
      UpdateMetrics metrics) {
    this.expired = expired;
    this.writers = writers;
    this.clock = clock;
    this.interval = interval;
    this.metrics = metrics;
    this.alarm = new ExpiryAlarm(timer, clock, this::reap);
  }

  /**
   * What to tell of every served zone version ({@link ServedZones#observe}) before {@link #start}.
   */
  public ServedZones.Observer alarm() {
    return alarm;
  }

  /** Starts the backstop rounds; the alarm rings from its first publication on. */
  public void start() {
    long ms = interval.toMillis();
    timer.scheduleWithFixedDelay(this::runQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void runQuietly() {
    try {
      reapOnce();
    } catch (RuntimeException e) {
      log.warn("lease-reaper: round failed: {}", e.toString());
    }
  }

  /** One round: queues a reap job on every zone with expired records; returns how many. */
  public int reapOnce() {
    List<Name> zones = expired.zonesWithExpiredLeases(clock.instant(), ZONES_PER_ROUND);
    int queued = 0;
    for (Name apex : zones) {
      if (reap(apex)) {
        queued++;
      }
    }
    if (queued > 0) {
      log.debug("lease-reaper: {} zone(s) with expired records", queued);
    }
    return queued;
  }

  /** Queues the removal of {@code apex}'s expired records; false when its queue is full. */
  private boolean reap(Name apex) {
    return writers.submit(apex, new WriterJob.Reap(this::reaped));
  }

  private void reaped(JobResult result) {
    if (result instanceof JobResult.Reaped r && r.records() > 0) {
      metrics.leasesExpired(r.records());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
