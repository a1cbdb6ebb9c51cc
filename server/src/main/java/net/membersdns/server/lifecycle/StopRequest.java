package net.membersdns.server.lifecycle;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The stop signals a serving process has received: the first (SIGTERM, SIGINT) starts the drain, a
 * second cuts the drain short (an operator who means it). Thread-safe: signal handlers request, the
 * serving thread waits.
 */
public final class StopRequest {
  private final CountDownLatch first = new CountDownLatch(1);
  private final CountDownLatch second = new CountDownLatch(1);

  /** Records one stop signal. */
  public synchronized void request() {
    if (first.getCount() > 0) {
      first.countDown();
    } else {
      second.countDown();
    }
  }

  /** Blocks until the first stop signal. */
  public void awaitStop() throws InterruptedException {
    first.await();
  }

  /**
   * Waits out the drain period: returns after {@code period}, or at once when a second stop signal
   * arrives.
   */
  public void awaitDrain(Duration period) throws InterruptedException {
    second.await(period.toNanos(), TimeUnit.NANOSECONDS);
  }
}
