package net.membersdns.server.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition instead of sleeping a fixed time: polls it every 20 ms and fails the test
 * when it is still false after the limit. The limit is a bound for a stuck test, not a timing
 * expectation, so make it generous.
 */
public final class Await {
  private Await() {}

  /** Returns as soon as {@code condition} holds; an {@link AssertionError} after {@code limit}. */
  public static void until(Duration limit, BooleanSupplier condition) throws InterruptedException {
    until(limit, "condition", condition::getAsBoolean);
  }

  /** {@link #until} with a 10 s limit. */
  public static void until(BooleanSupplier condition) throws InterruptedException {
    until(Duration.ofSeconds(10), condition);
  }

  /**
   * Returns as soon as {@code condition} holds; an {@link AssertionError} naming {@code what} (and
   * the exception of the last attempt, if it threw) after {@code limit}. An exception from the
   * condition counts as "not yet": for conditions that ask another process (an HTTP status, a
   * query) before it listens.
   */
  public static void until(Duration limit, String what, Callable<Boolean> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (condition.call()) {
          return;
        }
        last = null; // the last attempt answered: an earlier exception is not why it failed
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            what + ": not met within " + limit + (last == null ? "" : " (last: " + last + ")"));
      }
      Thread.sleep(20);
    }
  }
}
