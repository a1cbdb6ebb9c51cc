package net.membersdns.agent.netwatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Notices the wall clock moving differently from the monotonic clock: after a sleep the wall clock
 * has advanced by the time asleep while {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux) has
 * not, and an NTP step moves the wall clock alone. Either way timers computed in wall time are off
 * and the network may be another one, so the owner re-checks everything.
 *
 * <p>Pure and not thread-safe; feed it samples from one thread (the first sample is the baseline).
 */
public final class ClockJumpDetector {
  private final Duration threshold;
  private Instant lastWall;
  private long lastMonoNanos;

  /** Reports jumps larger than {@code threshold} in either direction. */
  public ClockJumpDetector(Duration threshold) {
    this.threshold = threshold;
  }

  /**
   * Takes one sample and returns how much further the wall clock moved than the monotonic clock
   * since the previous sample (negative when it went back), when that exceeds the threshold.
   */
  public Optional<Duration> observe(Instant wall, long monoNanos) {
    Optional<Duration> jump = Optional.empty();
    if (lastWall != null) {
      Duration wallDelta = Duration.between(lastWall, wall);
      Duration monoDelta = Duration.ofNanos(monoNanos - lastMonoNanos);
      Duration skew = wallDelta.minus(monoDelta);
      if (skew.abs().compareTo(threshold) > 0) {
        jump = Optional.of(skew);
      }
    }
    lastWall = wall;
    lastMonoNanos = monoNanos;
    return jump;
  }
}
