package net.membersdns.agent.netwatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a burst of events into one action: act once the events have been quiet for {@code quiet},
 * but never later than {@code maxDelay} after the first event of the burst. A network move emits a
 * dozen netlink messages within ~100 ms; with 250 ms of quiet and a 1 s ceiling the new state is
 * read once, soon after the last message, and a never-ending trickle cannot postpone it forever.
 *
 * <p>Pure and not thread-safe: the owner calls it from one thread with instants from its clock.
 */
public final class Debouncer {
  private final Duration quiet;
  private final Duration maxDelay;
  private Instant first;
  private Instant last;

  public Debouncer(Duration quiet, Duration maxDelay) {
    if (quiet.isNegative() || maxDelay.compareTo(quiet) < 0) {
      throw new IllegalArgumentException("need 0 <= quiet <= maxDelay");
    }
    this.quiet = quiet;
    this.maxDelay = maxDelay;
  }

  /** Records an event seen at {@code now}. */
  public void event(Instant now) {
    if (first == null) {
      first = now;
    }
    last = now;
  }

  /** When to act on the pending burst; empty when nothing is pending. */
  public Optional<Instant> due() {
    if (first == null) {
      return Optional.empty();
    }
    Instant afterQuiet = last.plus(quiet);
    Instant ceiling = first.plus(maxDelay);
    return Optional.of(afterQuiet.isBefore(ceiling) ? afterQuiet : ceiling);
  }

  /**
   * Whether the pending burst is due at {@code now}; if so the burst is consumed (the caller acts
   * now and the next event starts a new burst).
   */
  public boolean takeIfDue(Instant now) {
    Optional<Instant> due = due();
    if (due.isEmpty() || now.isBefore(due.get())) {
      return false;
    }
    first = null;
    last = null;
    return true;
  }
}
