package net.membersdns.server.llq;

import java.time.Duration;

/**
 * The notifier's single thread: every task runs on it, one at a time, in submission order (delayed
 * ones when due). That thread owns the delivery state of every LLQ, so that state needs no locks.
 * {@link ExecutorLlqScheduler} in production; tests run tasks by hand against a fixed clock.
 */
public interface LlqScheduler {
  /** Runs {@code task} soon; never blocks the caller. */
  void execute(Runnable task);

  /** Runs {@code task} after {@code delay}. */
  void schedule(Runnable task, Duration delay);
}
