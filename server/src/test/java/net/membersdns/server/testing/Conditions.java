package net.membersdns.server.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits on conditions instead of sleeping a guessed time (the CI machine's cores are shared). */
public final class Conditions {
  private Conditions() {}

  /**
   * Polls {@code condition} every 50 ms until it holds; fails naming {@code what} after {@code
   * limit}. Exceptions from the condition count as "not yet".
   */
  public static void await(Duration limit, String what, Callable<Boolean> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "not within " + limit + ": " + what + (last == null ? "" : " (last: " + last + ")"));
  }
}
