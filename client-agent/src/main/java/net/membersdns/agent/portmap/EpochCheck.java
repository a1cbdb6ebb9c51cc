package net.membersdns.agent.portmap;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides from the gateway's epoch (seconds since its mapping table started) whether it lost its
 * mappings since the previous packet, typically by rebooting. Every packet from the gateway is fed
 * in, responses and announcements alike; the first one is the baseline.
 *
 * <ul>
 *   <li>{@link Rule#NAT_PMP}, RFC 6886 §3.6: the epoch must be at least the previous one plus 7/8
 *       of the time elapsed here, less 2 s; and, like mDNSResponder, it must not go backwards.
 *   <li>{@link Rule#PCP}, RFC 6887 §8.5: backwards by more than 1 s is a loss (1 s is allowed for
 *       reordering); otherwise with client delta C and server delta S, C + 2 &lt; S − S/16 or S + 2
 *       &lt; C − C/16 is a loss.
 * </ul>
 *
 * <p>Local time is the injected wall clock, on purpose: across a sleep the gateway's epoch and the
 * wall clock both advance while the monotonic clock stands still. Pure and not thread-safe.
 */
public final class EpochCheck {
  /** Which RFC's rule applies; they differ, so the epoch of each protocol is checked apart. */
  public enum Rule {
    NAT_PMP,
    PCP
  }

  /** The outcome of one observation. */
  public enum Verdict {
    /** The first epoch seen from this gateway: nothing to compare with. */
    FIRST,
    /** Consistent with the previous one. */
    VALID,
    /** The gateway lost its state: re-create every mapping (after a random 0–5 s delay). */
    LOST_STATE
  }

  private final Rule rule;
  private long previousEpoch = -1;
  private Instant previousAt;

  public EpochCheck(Rule rule) {
    this.rule = rule;
  }

  public Rule rule() {
    return rule;
  }

  /** Checks {@code epoch} received at {@code now} and remembers it for the next check. */
  public Verdict observe(long epoch, Instant now) {
    Verdict verdict;
    if (previousAt == null) {
      verdict = Verdict.FIRST;
    } else {
      long elapsed = Math.max(0, Duration.between(previousAt, now).toSeconds());
      boolean lost =
          switch (rule) {
            case NAT_PMP -> epoch < previousEpoch || epoch < previousEpoch + elapsed * 7 / 8 - 2;
            case PCP -> pcpLost(epoch, elapsed);
          };
      verdict = lost ? Verdict.LOST_STATE : Verdict.VALID;
    }
    previousEpoch = epoch;
    previousAt = now;
    return verdict;
  }

  private boolean pcpLost(long epoch, long clientDelta) {
    if (epoch + 1 < previousEpoch) {
      return true;
    }
    long serverDelta = Math.max(0, epoch - previousEpoch);
    return clientDelta + 2 < serverDelta - serverDelta / 16
        || serverDelta + 2 < clientDelta - clientDelta / 16;
  }
}
