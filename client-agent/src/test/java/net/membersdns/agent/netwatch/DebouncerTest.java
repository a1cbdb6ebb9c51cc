package net.membersdns.agent.netwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** 250 ms of quiet, at most 1 s after the first event: on instants given by hand. */
class DebouncerTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final Debouncer d = new Debouncer(Duration.ofMillis(250), Duration.ofSeconds(1));

  @Test
  void nothingPendingIsNeverDue() {
    assertThat(d.due()).isEmpty();
    assertThat(d.takeIfDue(T0)).isFalse();
  }

  @Test
  void aBurstActsAQuarterSecondAfterItsLastEvent() {
    d.event(T0);
    d.event(T0.plusMillis(40));
    d.event(T0.plusMillis(90));
    assertThat(d.due()).contains(T0.plusMillis(340));
    assertThat(d.takeIfDue(T0.plusMillis(339))).isFalse();
    assertThat(d.takeIfDue(T0.plusMillis(340))).isTrue();
    assertThat(d.due()).isEmpty();
  }

  @Test
  void aTrickleIsCutOffOneSecondAfterTheFirstEvent() {
    for (int ms = 0; ms <= 1500; ms += 200) {
      d.event(T0.plusMillis(ms));
      if (ms < 1000) {
        assertThat(d.takeIfDue(T0.plusMillis(ms))).isFalse();
      }
    }
    assertThat(d.due()).contains(T0.plusSeconds(1));
    assertThat(d.takeIfDue(T0.plusMillis(1500))).isTrue();
  }

  @Test
  void theNextEventAfterActingStartsANewBurst() {
    d.event(T0);
    assertThat(d.takeIfDue(T0.plusMillis(250))).isTrue();
    d.event(T0.plusSeconds(5));
    assertThat(d.due()).contains(T0.plusSeconds(5).plusMillis(250));
  }
}
