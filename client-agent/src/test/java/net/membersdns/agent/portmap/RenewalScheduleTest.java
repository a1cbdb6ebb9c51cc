package net.membersdns.agent.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Renew at half, check every interval, back off 250 ms doubling to 15 min: on a fixed clock. */
class RenewalScheduleTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void renewsAtHalfTheGrantedLifetimeWhenThatComesBeforeTheCheck() {
    RenewalSchedule s = new RenewalSchedule(Duration.ofHours(4));
    assertThat(s.granted(T0, Duration.ofSeconds(7200))).isEqualTo(T0.plusSeconds(3600));
    assertThat(s.isDue(T0.plusSeconds(3599))).isFalse();
    assertThat(s.isDue(T0.plusSeconds(3600))).isTrue();
  }

  @Test
  void theCheckIntervalComesFirstWithLongLifetimes() {
    RenewalSchedule s = new RenewalSchedule(Duration.ofMinutes(1));
    assertThat(s.granted(T0, Duration.ofSeconds(7200))).isEqualTo(T0.plusSeconds(60));
    assertThat(s.granted(T0, Duration.ofSeconds(100))).isEqualTo(T0.plusSeconds(50));
  }

  @Test
  void neverSoonerThanTheMinimumSpacing() {
    RenewalSchedule s = new RenewalSchedule(Duration.ofMinutes(1));
    assertThat(s.granted(T0, Duration.ofSeconds(1)))
        .isEqualTo(T0.plus(RenewalSchedule.MIN_SPACING));
  }

  @Test
  void failuresBackOffFromAQuarterSecondDoublingToFifteenMinutes() {
    RenewalSchedule s = new RenewalSchedule(Duration.ofMinutes(1));
    List<Duration> waits = new ArrayList<>();
    Instant now = T0;
    for (int i = 0; i < 14; i++) {
      Instant next = s.failed(now, Duration.ZERO);
      waits.add(Duration.between(now, next));
      now = next;
    }
    assertThat(waits.subList(0, 4))
        .containsExactly(
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2));
    assertThat(waits.get(11)).isEqualTo(Duration.ofMillis(250L << 11)); // 512 s
    assertThat(waits.get(12)).isEqualTo(Duration.ofMinutes(15));
    assertThat(waits.get(13)).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void aGrantOrAChangeStartsTheLadderAgain() {
    RenewalSchedule s = new RenewalSchedule(Duration.ofMinutes(1));
    s.failed(T0, Duration.ZERO);
    s.failed(T0, Duration.ZERO);
    s.granted(T0, Duration.ofHours(2));
    assertThat(s.failed(T0, Duration.ZERO)).isEqualTo(T0.plusMillis(250));
    s.failed(T0, Duration.ZERO);
    s.expedite(T0);
    assertThat(s.failed(T0, Duration.ZERO)).isEqualTo(T0.plusMillis(250));
  }

  @Test
  void expeditingNeverPostponesARequestDueSooner() {
    RenewalSchedule s = new RenewalSchedule(Duration.ofMinutes(1));
    s.failed(T0, Duration.ZERO);
    assertThat(s.expedite(T0.plusSeconds(3))).isEqualTo(T0.plusMillis(250));
    s.granted(T0, Duration.ofHours(2));
    assertThat(s.expedite(T0.plusSeconds(3))).isEqualTo(T0.plusSeconds(3));
  }

  @Test
  void aPcpErrorLifetimeHoldsOffTheRetry() {
    RenewalSchedule s = new RenewalSchedule(Duration.ofMinutes(1));
    assertThat(s.failed(T0, Duration.ofSeconds(30))).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void clearMeansNothingIsDue() {
    RenewalSchedule s = new RenewalSchedule(Duration.ofMinutes(1));
    s.expedite(T0);
    assertThat(s.next()).contains(T0);
    s.clear();
    assertThat(s.next()).isEmpty();
    assertThat(s.isDue(T0.plusSeconds(3600))).isFalse();
  }

  @Test
  void rejectsANonPositiveInterval() {
    assertThatThrownBy(() -> new RenewalSchedule(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
