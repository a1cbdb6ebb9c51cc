package net.membersdns.agent.netwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Wall clock against monotonic clock, both given by hand. */
class ClockJumpDetectorTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final long SECOND = 1_000_000_000L;
  final ClockJumpDetector d = new ClockJumpDetector(Duration.ofSeconds(3));

  @Test
  void clocksInStepAreNoJump() {
    assertThat(d.observe(T0, 0)).isEmpty();
    assertThat(d.observe(T0.plusSeconds(1), SECOND)).isEmpty();
    // a stalled thread: both clocks moved 40 s
    assertThat(d.observe(T0.plusSeconds(41), 41 * SECOND)).isEmpty();
  }

  @Test
  void aSleepMovesTheWallClockAlone() {
    d.observe(T0, 0);
    assertThat(d.observe(T0.plusSeconds(3601), SECOND)).contains(Duration.ofSeconds(3600));
    assertThat(d.observe(T0.plusSeconds(3602), 2 * SECOND)).isEmpty(); // re-based
  }

  @Test
  void aStepBackIsReportedNegative() {
    d.observe(T0, 0);
    assertThat(d.observe(T0.minusSeconds(9), SECOND)).contains(Duration.ofSeconds(-10));
  }

  @Test
  void driftWithinTheThresholdIsNoJump() {
    d.observe(T0, 0);
    assertThat(d.observe(T0.plusSeconds(4), SECOND)).isEmpty();
    assertThat(d.observe(T0.plusSeconds(9), 2 * SECOND)).contains(Duration.ofSeconds(4));
  }
}
