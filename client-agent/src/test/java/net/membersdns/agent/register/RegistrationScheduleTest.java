package net.membersdns.agent.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RegistrationScheduleTest {
  static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  /** A generator that always says {@code v} (0 ≤ v < 1). */
  static RandomGenerator fixed(double v) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public double nextDouble() {
        return v;
      }
    };
  }

  @Test
  void aChangeGoesOutAtOnceARefreshAtSeventyToEightyPercent() throws Exception {
    RecordSet want = UpdatePlanTest.reg("198.18.1.2", 51820, "192.168.1.2").records();
    var s = new RegistrationSchedule(fixed(0.5));
    assertThat(s.nextAttempt(want, T0)).isEqualTo(T0);
    s.succeeded(want, Duration.ofSeconds(7200), T0);
    // 70 % + half of the 10 % jitter = 75 % of 7200 s
    assertThat(s.nextAttempt(want, T0)).isEqualTo(T0.plusSeconds(5400));
    assertThat(s.leaseExpiry()).isEqualTo(T0.plusSeconds(7200));
    RecordSet moved = UpdatePlanTest.reg("198.18.2.2", 51820, "192.168.2.3").records();
    assertThat(s.nextAttempt(moved, T0.plusSeconds(10))).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void failuresBackOffOneThreeNineSecondsUpToFifteenMinutes() throws Exception {
    RecordSet want = UpdatePlanTest.reg("198.18.1.2", 51820, null).records();
    var s = new RegistrationSchedule(fixed(0));
    assertThat(s.failed(T0, false)).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.nextAttempt(want, T0)).isEqualTo(T0.plusSeconds(1));
    assertThat(s.failed(T0, false)).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.failed(T0, false)).isEqualTo(Duration.ofSeconds(9));
    for (int i = 0; i < 10; i++) {
      s.failed(T0, false);
    }
    assertThat(s.failed(T0, false)).isEqualTo(Duration.ofMinutes(15));
    s.succeeded(want, Duration.ofSeconds(1800), T0);
    assertThat(s.failures()).isZero();
  }

  @Test
  void aTimeoutMakesTheRegisteredStateUnknown() throws Exception {
    RecordSet want = UpdatePlanTest.reg("198.18.1.2", 51820, null).records();
    var s = new RegistrationSchedule(fixed(0));
    s.succeeded(want, Duration.ofSeconds(7200), T0);
    s.failed(T0.plusSeconds(5), true);
    assertThat(s.registered()).isEmpty();
  }

  @Test
  void anUpdateLostWithItsConnectionIsSentAgainAtOnceWithoutBackoff() throws Exception {
    RecordSet want = UpdatePlanTest.reg("198.18.1.2", 51820, null).records();
    var s = new RegistrationSchedule(fixed(0));
    s.succeeded(want, Duration.ofSeconds(7200), T0);
    s.unknown();
    assertThat(s.registered()).isEmpty();
    assertThat(s.failures()).isZero();
    assertThat(s.nextAttempt(want, T0.plusSeconds(1))).isEqualTo(T0.plusSeconds(1));
  }
}
