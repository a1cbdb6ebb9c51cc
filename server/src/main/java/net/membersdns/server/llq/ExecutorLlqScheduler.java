package net.membersdns.server.llq;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LlqScheduler} on one platform thread named {@code llq-notifier} with an unbounded queue,
 * so submitting never blocks (a writer or the change feed calls in). A task that throws is logged
 * and the thread goes on. Tasks submitted after {@link #close} are dropped.
 */
public final class ExecutorLlqScheduler implements LlqScheduler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExecutorLlqScheduler.class);

  private final ScheduledThreadPoolExecutor executor;

  public ExecutorLlqScheduler() {
    executor =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().name("llq-notifier").daemon(true).unstarted(r));
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public void execute(Runnable task) {
    try {
      executor.execute(guarded(task));
    } catch (RejectedExecutionException e) {
      // shutting down: nobody is left to notify
    }
  }

  @Override
  public void schedule(Runnable task, Duration delay) {
    try {
      executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  /** Tasks waiting (for diagnostics). */
  public int queued() {
    return executor.getQueue().size();
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("llq: notifier task failed", e);
      }
    };
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
