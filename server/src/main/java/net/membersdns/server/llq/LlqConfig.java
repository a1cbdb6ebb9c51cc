package net.membersdns.server.llq;

import java.time.Duration;
import java.util.Objects;

/**
 * LLQ policy of one server process (the {@code --llq-*} options of {@code serve}).
 *
 * @param leaseMinSeconds shortest lease granted; shorter requests are raised to it (dnsextd: 900)
 * @param leaseMaxSeconds longest lease granted; longer requests are cut to it (dnsextd: 7200)
 * @param maxPerKey live LLQs (challenged or established) per TSIG key; past it SERV-FULL
 * @param maxPerAddress live LLQs per client IP address; past it SERV-FULL
 * @param maxTotal live LLQs in this process; past it SERV-FULL
 * @param eventTimeout wait for the first event acknowledgement before retransmitting (doubled for
 *     each retransmission, RFC 8764 §6.3: three transmissions in all)
 * @param challengeTimeout how long an unanswered UDP challenge is remembered
 * @param sweepInterval how often expired LLQs are swept
 */
public record LlqConfig(
    long leaseMinSeconds,
    long leaseMaxSeconds,
    int maxPerKey,
    int maxPerAddress,
    int maxTotal,
    Duration eventTimeout,
    Duration challengeTimeout,
    Duration sweepInterval) {

  /** SERV-FULL's LLQ-LEASE: when the client may try again (RFC 8764 §3.2), in seconds. */
  public static final long RETRY_AFTER_SECONDS = 900;

  public LlqConfig {
    if (leaseMinSeconds < 1
        || leaseMaxSeconds < leaseMinSeconds
        || leaseMaxSeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "LLQ leases need 1 <= min <= max: " + leaseMinSeconds + ".." + leaseMaxSeconds);
    }
    if (maxPerKey < 1 || maxPerAddress < 1 || maxTotal < 1) {
      throw new IllegalArgumentException("LLQ limits must be at least 1");
    }
    Objects.requireNonNull(eventTimeout, "eventTimeout");
    Objects.requireNonNull(challengeTimeout, "challengeTimeout");
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    if (eventTimeout.isNegative() || eventTimeout.isZero()) {
      throw new IllegalArgumentException("event timeout must be positive");
    }
  }

  /** dnsextd's leases (RFC 8764 §5.2.1), 2 s acknowledgement timeout (RFC 8764 §6.3). */
  public static LlqConfig defaults() {
    return new LlqConfig(
        900,
        7200,
        512,
        1024,
        250_000,
        Duration.ofSeconds(2),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10));
  }

  /** The lease granted for a request of {@code requested} seconds (never 0: that is a cancel). */
  public long grant(long requested) {
    return Math.clamp(requested, leaseMinSeconds, leaseMaxSeconds);
  }
}
