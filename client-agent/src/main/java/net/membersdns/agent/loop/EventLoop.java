package net.membersdns.agent.loop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link Scheduler}: one daemon thread. A task that throws is logged and the loop goes on
 * (one bad event must not stop the agent).
 */
public final class EventLoop implements Scheduler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

  private final ScheduledThreadPoolExecutor executor;
  private final Clock clock;

  public EventLoop(Clock clock) {
    this.clock = clock;
    this.executor =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("agent-loop").unstarted(r));
    executor.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public void execute(Runnable task) {
    if (!executor.isShutdown()) {
      executor.execute(guarded(task));
    }
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    if (executor.isShutdown()) {
      return Cancellable.NONE;
    }
    ScheduledFuture<?> f =
        executor.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /** Whether the caller runs on the loop. */
  public boolean onLoop() {
    return Thread.currentThread().getName().equals("agent-loop");
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("agent loop: task failed", e);
      }
    };
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }
}
