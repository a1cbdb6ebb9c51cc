package net.membersdns.server.update;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import net.membersdns.server.feed.ChangeEvents;
import net.membersdns.server.feed.ZoneChange;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import net.membersdns.server.zone.ZoneSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The single writer of one zone (style.md §9.3, Knot's DDNS queue): a bounded queue, drained on a
 * shared executor by at most one task at a time. Each drain takes EVERYTHING queued and commits it
 * in ONE transaction through the {@link ZoneCommitter}; then, in this order, it publishes the new
 * {@link ZoneData} (never over a newer generation), emits the {@link ZoneChange}, and completes
 * each job. Nothing is acknowledged before its commit; a failed transaction fails every job of the
 * batch and changes nothing.
 *
 * <p>{@link #offer} never blocks and may be called from any thread (event loops, the reaper).
 */
public final class ZoneWriter {
  private static final Logger log = LoggerFactory.getLogger(ZoneWriter.class);

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

  private final Name apex;
  private final int capacity;
  private final Context ctx;
  private final ArrayDeque<WriterJob> queue = new ArrayDeque<>();
  private boolean scheduled;

  public ZoneWriter(Name apex, int capacity, Context ctx) {
    this.apex = apex;
    this.capacity = capacity;
    this.ctx = ctx;
  }

  /**
   * Queues {@code job}; its {@code done} is called after the commit.
   *
   * @return false, with nothing queued, when the queue is full
   */
  public boolean offer(WriterJob job) {
    synchronized (this) {
      if (queue.size() >= capacity) {
        return false;
      }
      queue.add(job);
      ctx.queued().incrementAndGet();
      if (scheduled) {
        return true;
      }
      scheduled = true;
    }
    schedule();
    return true;
  }

  private void schedule() {
    try {
      ctx.executor().execute(this::drain);
    } catch (RejectedExecutionException e) {
      // Shutting down: answer what is queued instead of leaving it hanging.
      List<WriterJob> batch = take();
      synchronized (this) {
        scheduled = false;
      }
      complete(batch, null, new JobResult.Failed("server stopping"));
    }
  }

  private synchronized List<WriterJob> take() {
    List<WriterJob> batch = new ArrayList<>(queue);
    queue.clear();
    ctx.queued().addAndGet(-batch.size());
    return batch;
  }

  private void drain() {
    try {
      List<WriterJob> batch = take();
      if (!batch.isEmpty()) {
        commit(batch);
      }
    } finally {
      synchronized (this) {
        if (queue.isEmpty()) {
          scheduled = false;
          return;
        }
      }
      schedule(); // more arrived meanwhile: requeue behind other zones' work
    }
  }

  private void commit(List<WriterJob> batch) {
    long now = ctx.clock().millis();
    Set<Name> keys = new HashSet<>();
    for (WriterJob job : batch) {
      if (job instanceof WriterJob.Update u) {
        keys.add(u.keyName());
      }
    }
    long start = System.nanoTime();
    ZoneCommitter.Commit commit;
    try {
      commit =
          ctx.committer()
              .commit(
                  apex,
                  ctx.served().get(apex),
                  keys,
                  (base, grants) -> ctx.evaluator().evaluate(base, batch, grants, now));
    } catch (RuntimeException e) {
      log.warn("zone-writer {}: batch of {} failed: {}", apex, batch.size(), e.toString());
      complete(batch, null, new JobResult.Failed(e.toString()));
      return;
    }
    ctx.metrics().committed(start, batch.size());
    if (commit.written()) {
      BatchPlan plan = commit.plan();
      ZoneData zone =
          ZoneData.build(
              new ZoneContent(
                  apex,
                  commit.base().member(),
                  commit.serial(),
                  commit.generation(),
                  plan.records()),
              ctx.settings());
      ctx.served().putIfNewer(zone);
      if (plan.diff().contentChanged()) {
        ctx.events()
            .emit(
                new ZoneChange(
                    apex,
                    commit.serial(),
                    commit.generation(),
                    records(plan.diff().added()),
                    records(plan.diff().removed()),
                    false));
      }
    }
    complete(batch, commit.plan().results(), null);
  }

  private static List<Record> records(List<ZoneRecord> rows) {
    return rows.stream().map(ZoneRecord::record).toList();
  }

  /** Completes each job with its result, or all with {@code failure}. */
  private void complete(List<WriterJob> batch, List<JobResult> results, JobResult failure) {
    for (int i = 0; i < batch.size(); i++) {
      JobResult r = failure != null ? failure : results.get(i);
      try {
        batch.get(i).done().accept(r);
      } catch (RuntimeException e) {
        log.error("zone-writer {}: completing a job failed", apex, e);
      }
    }
  }
}
