package net.membersdns.agent.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;

/**
 * A {@link Scheduler} for tests: time moves only when the test says so, and tasks run on the test
 * thread, in time order.
 */
public final class ManualScheduler implements Scheduler {
  private Instant now;
  private long seq;
  private final List<Timer> timers = new ArrayList<>();
  private final Queue<Runnable> ready = new ArrayDeque<>();

  private record Timer(Instant at, long seq, Runnable task) {}

  public ManualScheduler(Instant start) {
    this.now = start;
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public void execute(Runnable task) {
    ready.add(task);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Timer t = new Timer(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task);
    timers.add(t);
    return () -> timers.remove(t);
  }

  /** Runs everything that is due now, including what those tasks post for now. */
  public void runDue() {
    while (true) {
      Runnable r = ready.poll();
      if (r != null) {
        r.run();
        continue;
      }
      Timer next =
          timers.stream()
              .filter(t -> !t.at().isAfter(now))
              .min(Comparator.comparing(Timer::at).thenComparingLong(Timer::seq))
              .orElse(null);
      if (next == null) {
        return;
      }
      timers.remove(next);
      next.task().run();
    }
  }

  /** Moves time forward by {@code d}, running every timer that falls due on the way, in order. */
  public void advance(Duration d) {
    Instant end = now.plus(d);
    runDue();
    while (true) {
      Timer next =
          timers.stream()
              .filter(t -> !t.at().isAfter(end))
              .min(Comparator.comparing(Timer::at).thenComparingLong(Timer::seq))
              .orElse(null);
      if (next == null) {
        break;
      }
      now = next.at();
      runDue();
    }
    now = end;
    runDue();
  }

  /** How many timers are pending. */
  public int pending() {
    return timers.size();
  }

  /** The earliest pending timer, if any. */
  public Instant nextTimer() {
    return timers.stream().map(Timer::at).min(Comparator.naturalOrder()).orElse(null);
  }
}
