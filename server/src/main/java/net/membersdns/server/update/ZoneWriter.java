package net.membersdns.server.update;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import net.membersdns.server.feed.ChangeEvents;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneSettings;
import org.xbill.DNS.Name;

/**
 * The queue of one zone (Knot's DDNS queue): bounded, and owned by at most one committer at a time.
 * {@link ZoneWriters} keeps the zones with queued work in a ready list; a committer takes
 * EVERYTHING queued for each zone of its group and commits the group in one transaction, so one
 * zone's batches are sequential and in queue order while different zones commit together.
 *
 * <p>States: idle (nothing queued, in no list), pending (in the ready list, or in a group being
 * committed). Only the transition idle → pending puts the zone on the ready list; a zone that got
 * more work while its group was in flight goes back on it when the group finishes. Thread-safe.
 */
public final class ZoneWriter {

  /** What every writer shares. */
  public record Context(
      ZoneCommitter committer,
      BatchEvaluator evaluator,
      ServedZones served,
      ZoneSettings settings,
      ChangeEvents events,
      UpdateMetrics metrics,
      Clock clock,
      Executor executor,
      AtomicLong queued) {}

  /** What {@link #offer} did. */
  enum Offer {
    /** The queue is full: nothing queued. */
    FULL,
    /** Queued behind work that is already pending. */
    QUEUED,
    /** Queued, and the zone just became pending: the caller puts it on the ready list. */
    READY
  }

  private final Name apex;
  private final int capacity;
  private final AtomicLong queued;
  private final ArrayDeque<WriterJob> queue = new ArrayDeque<>();
  private boolean pending;

  ZoneWriter(Name apex, int capacity, AtomicLong queued) {
    this.apex = apex;
    this.capacity = capacity;
    this.queued = queued;
  }

  Name apex() {
    return apex;
  }

  /** Queues {@code job}; never blocks. */
  synchronized Offer offer(WriterJob job) {
    if (queue.size() >= capacity) {
      return Offer.FULL;
    }
    queue.add(job);
    queued.incrementAndGet();
    if (pending) {
      return Offer.QUEUED;
    }
    pending = true;
    return Offer.READY;
  }

  /** Everything queued, in order (the zone stays pending until {@link #finish}). */
  synchronized List<WriterJob> take() {
    List<WriterJob> batch = new ArrayList<>(queue);
    queue.clear();
    queued.addAndGet(-batch.size());
    return batch;
  }

  /**
   * The group holding this zone is done.
   *
   * @return true if more work arrived meanwhile: the zone stays pending and the caller puts it back
   *     on the ready list; false: the zone is idle
   */
  synchronized boolean finish() {
    if (queue.isEmpty()) {
      pending = false;
      return false;
    }
    return true;
  }
}
