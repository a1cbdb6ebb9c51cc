package net.membersdns.server.update;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Name;

/**
 * One {@link ZoneWriter} per zone, made on first use, and the executor they drain on: {@code
 * threads} platform threads, sized to the database pool, since each drain holds one connection for
 * its transaction. Different zones commit in parallel; one zone's batches are sequential.
 */
public final class ZoneWriters implements AutoCloseable {
  private final ConcurrentHashMap<Name, ZoneWriter> writers = new ConcurrentHashMap<>();
  private final int queueCapacity;
  private final ZoneWriter.Context ctx;
  private final ExecutorService executor;

  /**
   * @param queueCapacity jobs each zone may have waiting ({@code --update-queue})
   * @param ctx shared parts; an {@link ExecutorService} executor (such as {@link #newExecutor}'s)
   *     is shut down by {@link #close}
   */
  public ZoneWriters(int queueCapacity, ZoneWriter.Context ctx) {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("update queue capacity " + queueCapacity);
    }
    this.queueCapacity = queueCapacity;
    this.ctx = ctx;
    this.executor = ctx.executor() instanceof ExecutorService es ? es : null;
  }

  /** The writers' executor: {@code threads} named platform threads. */
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
   * Queues {@code job} for the zone at {@code apex}.
   *
   * @return false when that zone's queue is full (the caller answers REFUSED)
   */
  public boolean submit(Name apex, WriterJob job) {
    return writers.computeIfAbsent(apex, a -> new ZoneWriter(a, queueCapacity, ctx)).offer(job);
  }

  /** Jobs waiting in all queues (the {@code dns.update.queue} gauge). */
  public long queued() {
    return ctx.queued().get();
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
