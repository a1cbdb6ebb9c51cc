package net.membersdns.agent.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * The agent's single event loop: every piece of agent state is read and changed only on it, so the
 * reconcile logic needs no locks. Timers and hand-offs from I/O threads go through it. Tests drive
 * it by hand with a fake clock.
 */
public interface Scheduler extends Executor {
  /** The loop's clock (wall-clock instants; elapsed time for leases and timers). */
  Instant now();

  /** Runs {@code task} on the loop after {@code delay}; the returned handle cancels it. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can be called off. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();

    Cancellable NONE = () -> {};
  }
}
