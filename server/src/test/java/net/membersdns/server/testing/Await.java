package net.membersdns.server.testing;

import java.time.Duration;
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
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within " + limit);
      }
      Thread.sleep(20);
    }
  }

  /** {@link #until} with a 10 s limit. */
  public static void until(BooleanSupplier condition) throws InterruptedException {
    until(Duration.ofSeconds(10), condition);
  }
}
