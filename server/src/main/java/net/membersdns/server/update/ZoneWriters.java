package net.membersdns.server.update;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.membersdns.server.feed.ZoneChange;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The write path's scheduler: one {@link ZoneWriter} queue per zone, made on first use, and up to
 * {@link Grouping#committers} committers that GROUP-COMMIT across zones. A committer takes the
 * zones that have work ready, in the order they became ready, up to {@link Grouping#maxZones} zones
 * or until {@link Grouping#maxJobs} jobs, takes everything queued for each, and commits the whole
 * group in ONE transaction through the {@link ZoneCommitter} (one WAL flush for all of it). While a
 * group is in flight the next one forms, so groups grow with the load and an idle server adds no
 * delay: a committer starts at once when work arrives and one is free.
 *
 * <p>Per zone nothing changes: a zone is in at most one group at a time, its jobs are evaluated in
 * queue order each against the zone as the previous one left it, and after the commit the writer
 * publishes the new {@link ZoneData} (never over a newer generation), emits the {@link ZoneChange},
 * and completes the zone's jobs, in that order. Nothing is acknowledged before its commit; a failed
 * transaction fails every job of the group and changes nothing.
 *
 * <p>A committer starts at once when work arrives and no transaction is in flight; one transaction
 * runs at a time unless a full group's worth of zones is ready ({@link #fullGroup}), so groups grow
 * with the load, and the next transaction starts while the last group is published and answered.
 *
 * <p>{@link #submit} never blocks and may be called from any thread (event loops, the reaper).
 */
public final class ZoneWriters implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ZoneWriters.class);

  /**
   * How groups form.
   *
   * @param committers groups in flight at once (each holds one database connection)
   * @param maxZones zones in one group at most
   * @param maxJobs a group takes no further zone once it holds this many jobs (a zone's queue is
   *     taken whole, so a group may exceed it by one zone's queue)
   */
  public record Grouping(int committers, int maxZones, int maxJobs) {
    public Grouping {
      if (committers < 1 || maxZones < 1 || maxJobs < 1) {
        throw new IllegalArgumentException(
            "grouping " + committers + "/" + maxZones + "/" + maxJobs);
      }
    }

    /** {@code committers} committers, groups of up to 256 zones and 1024 jobs. */
    public static Grouping of(int committers) {
      return new Grouping(committers, 256, 1024);
    }
  }

  /**
   * One zone's share of a group: its writer, the jobs taken from it, and whether they were answered
   * (set once, on the committer's thread).
   */
  private record Taken(ZoneWriter writer, List<WriterJob> jobs, AtomicBoolean answered) {
    Taken(ZoneWriter writer, List<WriterJob> jobs) {
      this(writer, jobs, new AtomicBoolean());
    }
  }

  private final ConcurrentHashMap<Name, ZoneWriter> writers = new ConcurrentHashMap<>();
  private final int queueCapacity;
  private final Grouping grouping;
  private final ZoneWriter.Context ctx;
  private final ExecutorService executor;

  /** Zones with work that no committer holds, oldest first. Guarded by {@code this}. */
  private final ArrayDeque<ZoneWriter> ready = new ArrayDeque<>();

  /** Committer tasks started and not yet finished. Guarded by {@code this}. */
  private int active;

  /** Committers inside a transaction now. Guarded by {@code this}. */
  private int committing;

  /** Committers launched that have not taken their first group yet. Guarded by {@code this}. */
  private int starting;

  /** With {@link Grouping#of}{@code (3)}. */
  public ZoneWriters(int queueCapacity, ZoneWriter.Context ctx) {
    this(queueCapacity, Grouping.of(3), ctx);
  }

  /**
   * @param queueCapacity jobs each zone may have waiting ({@code --update-queue})
   * @param grouping how many committers and how large a group may grow
   * @param ctx shared parts; committers run on its executor, and an {@link ExecutorService} (such
   *     as {@link #newExecutor}'s) is shut down by {@link #close}
   */
  public ZoneWriters(int queueCapacity, Grouping grouping, ZoneWriter.Context ctx) {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("update queue capacity " + queueCapacity);
    }
    this.queueCapacity = queueCapacity;
    this.grouping = grouping;
    this.ctx = ctx;
    this.executor = ctx.executor() instanceof ExecutorService es ? es : null;
  }

  /** The committers' executor: {@code threads} named platform threads. */
  public static ExecutorService newExecutor(int threads) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        r ->
            Thread.ofPlatform()
                .name("membersdns-writer-" + n.incrementAndGet())
                .daemon()
                .unstarted(r));
  }

  /**
   * Queues {@code job} for the zone at {@code apex}; its {@code done} is called after the commit.
   *
   * @return false, with nothing queued, when that zone's queue is full (the caller answers REFUSED)
   */
  public boolean submit(Name apex, WriterJob job) {
    ZoneWriter writer =
        writers.computeIfAbsent(apex, a -> new ZoneWriter(a, queueCapacity, ctx.queued()));
    return switch (writer.offer(job)) {
      case FULL -> false;
      case QUEUED -> true;
      case READY -> {
        boolean start;
        synchronized (this) {
          ready.add(writer);
          start =
              active == 0
                  || (active < grouping.committers()
                      && (committing + starting == 0 || fullGroup()));
          if (start) {
            active++;
            starting++;
          }
        }
        if (start) {
          launch();
        }
        yield true;
      }
    };
  }

  /** Jobs waiting in all queues (the {@code dns.update.queue} gauge). */
  public long queued() {
    return ctx.queued().get();
  }

  /** Starts a committer; {@link #active} already counts it. */
  private void launch() {
    try {
      ctx.executor().execute(this::runCommitter);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        active--;
        starting--;
        if (active > 0) {
          return; // a running committer drains the ready list
        }
      }
      // Shutting down: answer what is queued instead of leaving it hanging.
      failReady("server stopping");
    }
  }

  /**
   * Commits groups until no zone is ready. Whatever a group throws (an {@link Error} too) stops at
   * this loop: its unanswered jobs get SERVFAIL, {@code dns.internal.errors{loop="committer"}}
   * counts it, and the committer goes on, so its slot is never lost.
   */
  private void runCommitter() {
    boolean first = true;
    while (true) {
      List<Taken> group;
      synchronized (this) {
        if (first) {
          starting--;
          first = false;
        }
        group = committing == 0 || fullGroup() ? takeGroup() : List.of();
        if (group.isEmpty()) {
          active--;
          return;
        }
        committing++;
      }
      Runnable committed = new TransactionDone();
      try {
        commit(group, committed);
      } catch (Throwable e) {
        log.error("zone-writers: a group of {} zone(s) failed unexpectedly", group.size(), e);
        ctx.metrics().internalError();
        for (Taken t : group) {
          complete(t, null, new JobResult.Failed(e.toString()));
        }
      } finally {
        committed.run();
        requeue(group);
      }
    }
  }

  /**
   * Run once when a committer's transaction is over (committed or not), before it publishes and
   * answers: the next group may start its transaction while this one publishes.
   */
  private final class TransactionDone implements Runnable {
    private boolean done;

    @Override
    public void run() {
      if (done) {
        return;
      }
      done = true;
      boolean start;
      synchronized (ZoneWriters.this) {
        committing--;
        start = committing + starting == 0 && !ready.isEmpty() && active < grouping.committers();
        if (start) {
          active++;
          starting++;
        }
      }
      if (start) {
        launch();
      }
    }
  }

  /**
   * Whether a full group's worth of zones is ready (caller holds the lock). Otherwise one
   * transaction runs at a time, which lets the group grow with the load: every transaction costs
   * the store its round trips, its WAL flush and its NOTIFY processing whatever its size
   * (docs/benchmarks.md); and a committer that has committed publishes and answers alongside the
   * next one's transaction.
   */
  private boolean fullGroup() {
    return ready.size() >= grouping.maxZones();
  }

  /** Whether to start a further committer for a full group's worth of ready zones (lock held). */
  private boolean anotherGroupWaits() {
    return active < grouping.committers() && fullGroup();
  }

  /** Takes the next group off the ready list (caller holds the lock). */
  private List<Taken> takeGroup() {
    List<Taken> group = new ArrayList<>();
    int jobs = 0;
    while (!ready.isEmpty() && group.size() < grouping.maxZones() && jobs < grouping.maxJobs()) {
      ZoneWriter writer = ready.poll();
      List<WriterJob> batch = writer.take();
      jobs += batch.size();
      group.add(new Taken(writer, batch));
    }
    return group;
  }

  /** Zones of a finished group that got more work meanwhile go back on the ready list. */
  private void requeue(List<Taken> group) {
    List<ZoneWriter> again = new ArrayList<>();
    for (Taken t : group) {
      if (t.writer().finish()) {
        again.add(t.writer());
      }
    }
    if (again.isEmpty()) {
      return;
    }
    boolean start;
    synchronized (this) {
      ready.addAll(again);
      // This committer goes on with them; another starts only for a group's worth beyond that.
      start = anotherGroupWaits();
      if (start) {
        active++;
        starting++;
      }
    }
    if (start) {
      launch();
    }
  }

  private void failReady(String reason) {
    while (true) {
      List<Taken> group;
      synchronized (this) {
        group = takeGroup();
      }
      if (group.isEmpty()) {
        return;
      }
      for (Taken t : group) {
        complete(t, null, new JobResult.Failed(reason));
      }
      List<ZoneWriter> again = new ArrayList<>();
      for (Taken t : group) {
        if (t.writer().finish()) {
          again.add(t.writer());
        }
      }
      synchronized (this) {
        ready.addAll(again);
      }
    }
  }

  /**
   * One transaction for the group; {@code committed} when it is over; then, zone by zone: publish,
   * emit, answer.
   */
  private void commit(List<Taken> group, Runnable committed) {
    long now = ctx.clock().millis();
    List<ZoneCommitter.Batch> batches = new ArrayList<>(group.size());
    int jobs = 0;
    for (Taken t : group) {
      List<WriterJob> batch = t.jobs();
      Set<Name> keys = new HashSet<>();
      Set<UpdateSignature> signatures = new HashSet<>();
      for (WriterJob job : batch) {
        if (job instanceof WriterJob.Update u) {
          keys.add(u.keyName());
          u.signature().ifPresent(signatures::add);
        }
      }
      Name apex = t.writer().apex();
      batches.add(
          new ZoneCommitter.Batch(
              apex,
              ctx.served().get(apex),
              keys,
              signatures,
              (base, grants, used) -> ctx.evaluator().evaluate(base, batch, grants, used, now)));
      jobs += batch.size();
    }
    long start = System.nanoTime();
    List<ZoneCommitter.Commit> commits;
    try {
      commits = ctx.committer().commit(batches);
      committed.run();
      if (commits.size() != batches.size()) {
        throw new IllegalStateException(
            commits.size() + " commits for " + batches.size() + " zones");
      }
    } catch (RuntimeException e) {
      committed.run();
      if (e instanceof ZoneCommitter.Unavailable) {
        // The database is down: said once where it is watched, not once per group.
        log.debug("zone-writers: group of {} zone(s), {} job(s) failed: {}", group.size(), jobs, e);
      } else {
        log.warn(
            "zone-writers: group of {} zone(s), {} job(s) failed: {}",
            group.size(),
            jobs,
            e.toString());
      }
      for (Taken t : group) {
        complete(t, null, new JobResult.Failed(e.toString()));
      }
      return;
    }
    ctx.metrics().committed(start, jobs, group.size());
    for (int i = 0; i < group.size(); i++) {
      Taken t = group.get(i);
      ZoneCommitter.Commit commit = commits.get(i);
      try {
        publish(t.writer().apex(), commit);
      } catch (Throwable e) {
        // Committed all the same: answer; the change feed's sweep repairs the snapshot.
        log.error("zone-writer {}: publishing the commit failed", t.writer().apex(), e);
        ctx.metrics().internalError();
      }
      complete(t, commit.plan().results(), null);
    }
  }

  private void publish(Name apex, ZoneCommitter.Commit commit) {
    if (!commit.written()) {
      return;
    }
    BatchPlan plan = commit.plan();
    ZoneData zone =
        ZoneData.build(
            new ZoneContent(
                apex, commit.base().member(), commit.serial(), commit.generation(), plan.records()),
            ctx.settings());
    ctx.served().putIfNewer(zone);
    if (!plan.diff().contentChanged()) {
      ctx.events().advanced(apex, commit.base().generation(), commit.generation());
    } else {
      ctx.events()
          .emitCommitted(
              new ZoneChange(
                  apex,
                  commit.serial(),
                  commit.generation(),
                  records(plan.diff().added()),
                  records(plan.diff().removed()),
                  false),
              commit.base().generation());
    }
  }

  private static List<Record> records(List<ZoneRecord> rows) {
    return rows.stream().map(ZoneRecord::record).toList();
  }

  /**
   * Completes each job of {@code t} with its result, or all with {@code failure}; nothing if they
   * were answered already.
   */
  private static void complete(Taken t, List<JobResult> results, JobResult failure) {
    if (t.answered().getAndSet(true)) {
      return;
    }
    List<WriterJob> batch = t.jobs();
    for (int i = 0; i < batch.size(); i++) {
      JobResult r = failure != null ? failure : results.get(i);
      try {
        batch.get(i).done().accept(r);
      } catch (Throwable e) {
        log.error("zone-writer {}: completing a job failed", t.writer().apex(), e);
      }
    }
  }

  /** Stops taking work; waits up to 10 s for running transactions to finish. */
  @Override
  public void close() {
    if (executor == null) {
      return;
    }
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
