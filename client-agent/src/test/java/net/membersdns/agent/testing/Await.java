package net.membersdns.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Waits on a condition (never a fixed sleep to synchronise). */
public final class Await {
  private Await() {}

  /**
   * Polls {@code probe} every 100 ms until it returns a value other than null or false, and returns
   * it; fails the test after {@code timeout} with {@code what} and {@code context}.
   */
  public static <T> T until(
      Duration timeout, String what, Supplier<String> context, Callable<T> probe) {
    long end = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        T v = probe.call();
        if (v != null && !Boolean.FALSE.equals(v)) {
          return v;
        }
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > end) {
        fail(
            "timed out after "
                + timeout.toSeconds()
                + " s waiting for "
                + what
                + (last != null ? " (last error: " + last + ")" : "")
                + "\n"
                + context.get());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }
}
