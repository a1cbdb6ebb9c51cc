package net.membersdns.agent.register;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to send the next registration: at once when the wanted records differ from the registered
 * ones; at 75 % of the granted lease (RFC 9664 §4.3: refresh before the lease ends; 70–80 % here,
 * so that many hosts do not refresh in step); after a failure, with a backoff of 1 s, 3 s, 9 s ...
 * up to 15 min. Pure: time comes in as arguments.
 */
public final class RegistrationSchedule {
  /** The longest wait between attempts after failures. */
  public static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

  private final RandomGenerator random;
  private Optional<RecordSet> registered = Optional.empty();
  private Instant leaseExpiry = Instant.MIN;
  private Instant refreshAt = Instant.MIN;
  private Instant retryAt = Instant.MIN;
  private int failures;

  public RegistrationSchedule(RandomGenerator random) {
    this.random = random;
  }

  /** What the server holds from us, as far as we know; empty before the first success. */
  public Optional<RecordSet> registered() {
    return registered;
  }

  public Instant leaseExpiry() {
    return leaseExpiry;
  }

  public int failures() {
    return failures;
  }

  /**
   * When to send for {@code desired}: {@code now} or earlier means now. Differences go out at once
   * unless a failure backoff is running.
   */
  public Instant nextAttempt(RecordSet desired, Instant now) {
    boolean changed = registered.isEmpty() || !registered.get().equals(desired);
    Instant due = changed ? now : refreshAt;
    return due.isBefore(retryAt) ? retryAt : due;
  }

  /** The server accepted {@code sent} with lease {@code granted} at {@code now}. */
  public void succeeded(RecordSet sent, Duration granted, Instant now) {
    registered = Optional.of(sent);
    leaseExpiry = now.plus(granted);
    long ms = granted.toMillis();
    refreshAt = now.plusMillis(ms * 70 / 100 + (long) (random.nextDouble() * ms / 10));
    failures = 0;
    retryAt = Instant.MIN;
  }

  /**
   * The attempt at {@code now} failed. What the server holds is unknown after a failure that may
   * have been applied (a timeout), so the next UPDATE clears everything the host may own.
   *
   * @return the wait before the next attempt
   */
  public Duration failed(Instant now, boolean outcomeUnknown) {
    failures++;
    if (outcomeUnknown) {
      registered = Optional.empty();
    }
    Duration wait = backoff(failures);
    retryAt = now.plus(wait);
    return wait;
  }

  /**
   * An UPDATE's outcome is unknown (its connection was dropped while it was in flight) but nobody
   * failed: what the server holds is unknown, so the next UPDATE clears everything the host may
   * own. No backoff.
   */
  public void unknown() {
    registered = Optional.empty();
  }

  /** The records were withdrawn (or their lease ran out): nothing is registered. */
  public void withdrawn() {
    registered = Optional.of(RecordSet.EMPTY);
    leaseExpiry = Instant.MIN;
  }

  /** 1 s × 3^(n-1), at most {@link #MAX_BACKOFF}. */
  public static Duration backoff(int failures) {
    long s = 1;
    for (int i = 1; i < failures && s < MAX_BACKOFF.toSeconds(); i++) {
      s *= 3;
    }
    return Duration.ofSeconds(Math.min(s, MAX_BACKOFF.toSeconds()));
  }
}
