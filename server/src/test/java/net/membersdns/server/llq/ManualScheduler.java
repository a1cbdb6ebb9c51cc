package net.membersdns.server.llq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An {@link LlqScheduler} run by hand on the test thread against a {@link TestClock}: {@link
 * #runDue} runs every task due now (including ones they submit), {@link #advance} moves time and
 * runs what fell due on the way, in due order.
 */
final class ManualScheduler implements LlqScheduler {
  private record Task(long dueMillis, long seq, Runnable run) {}

  private final TestClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private long seq;

  ManualScheduler(TestClock clock) {
    this.clock = clock;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(new Task(clock.millis(), seq++, task));
  }

  @Override
  public void schedule(Runnable task, Duration delay) {
    tasks.add(new Task(clock.millis() + delay.toMillis(), seq++, task));
  }

  /** Runs every task due at the current time, in order, until none is left. */
  void runDue() {
    while (true) {
      Task next =
          tasks.stream()
              .filter(t -> t.dueMillis() <= clock.millis())
              .min(Comparator.comparingLong(Task::dueMillis).thenComparingLong(Task::seq))
              .orElse(null);
      if (next == null) {
        return;
      }
      tasks.remove(next);
      next.run().run();
    }
  }

  /** Moves the clock by {@code d}, running tasks as they fall due. */
  void advance(Duration d) {
    long end = clock.millis() + d.toMillis();
    runDue();
    while (true) {
      long nextDue =
          tasks.stream().mapToLong(Task::dueMillis).filter(t -> t <= end).min().orElse(-1);
      if (nextDue < 0) {
        break;
      }
      clock.advance(Duration.ofMillis(nextDue - clock.millis()));
      runDue();
    }
    clock.advance(Duration.ofMillis(end - clock.millis()));
    runDue();
  }

  int pending() {
    return tasks.size();
  }
}
