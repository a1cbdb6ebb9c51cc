package net.membersdns.agent.portmap;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When to send the next mapping request. After a grant: at half the granted lifetime (RFC 6886
 * §3.3, RFC 6887 §11.2.1), or sooner at the periodic check, because re-sending the MAP is how the
 * mapper re-checks the external address, the epoch and that the mapping still exists (a gateway
 * restarted without resetting its epoch loses mappings silently); never sooner than {@link
 * #MIN_SPACING} (mDNSResponder's floor). After a failure: 250 ms, doubling up to 15 minutes
 * (mDNSResponder's ladder), and not before a PCP error's lifetime has passed (RFC 6887 §7.4).
 *
 * <p>Pure and not thread-safe: instants come from the owner's clock, so tests use a fixed one.
 */
public final class RenewalSchedule {
  public static final Duration FIRST_RETRY = Duration.ofMillis(250);
  public static final Duration MAX_RETRY = Duration.ofMinutes(15);
  public static final Duration MIN_SPACING = Duration.ofSeconds(2);

  private final Duration checkInterval;
  private Duration nextRetry = FIRST_RETRY;
  private Instant next;

  /**
   * @param checkInterval the longest time between two requests while a mapping is live
   */
  public RenewalSchedule(Duration checkInterval) {
    if (checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("check interval must be positive: " + checkInterval);
    }
    this.checkInterval = checkInterval;
  }

  /** A request was granted {@code lifetime} at {@code now}: renew (or check) later; no backoff. */
  public Instant granted(Instant now, Duration lifetime) {
    nextRetry = FIRST_RETRY;
    Duration wait = min(lifetime.dividedBy(2), checkInterval);
    next = now.plus(wait.compareTo(MIN_SPACING) < 0 ? MIN_SPACING : wait);
    return next;
  }

  /**
   * A request failed at {@code now} (no answer, or an error result); {@code notBefore} is how long
   * the gateway said the error holds (zero if it did not say).
   */
  public Instant failed(Instant now, Duration notBefore) {
    Duration wait = nextRetry.compareTo(notBefore) < 0 ? notBefore : nextRetry;
    nextRetry = min(nextRetry.multipliedBy(2), MAX_RETRY);
    next = now.plus(wait);
    return next;
  }

  /**
   * Something changed (network, announcement, clock): ask no later than {@code by}, and start the
   * retry ladder again. A request already due sooner stays sooner.
   */
  public Instant expedite(Instant by) {
    nextRetry = FIRST_RETRY;
    next = next == null || by.isBefore(next) ? by : next;
    return next;
  }

  /** Nothing to ask for (no gateway, public address, closed). */
  public void clear() {
    nextRetry = FIRST_RETRY;
    next = null;
  }

  /** When the next request is due; empty when none is. */
  public Optional<Instant> next() {
    return Optional.ofNullable(next);
  }

  /** Whether a request is due at {@code now}. */
  public boolean isDue(Instant now) {
    return next != null && !now.isBefore(next);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
