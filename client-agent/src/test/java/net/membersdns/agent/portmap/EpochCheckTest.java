package net.membersdns.agent.portmap;

import static net.membersdns.agent.portmap.EpochCheck.Verdict.FIRST;
import static net.membersdns.agent.portmap.EpochCheck.Verdict.LOST_STATE;
import static net.membersdns.agent.portmap.EpochCheck.Verdict.VALID;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RFC 6886 §3.6 and RFC 6887 §8.5, on a clock of plain instants. */
class EpochCheckTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void theFirstEpochIsTheBaseline() {
    assertThat(new EpochCheck(EpochCheck.Rule.NAT_PMP).observe(5, T0)).isEqualTo(FIRST);
    assertThat(new EpochCheck(EpochCheck.Rule.PCP).observe(0, T0)).isEqualTo(FIRST);
  }

  @Test
  void natPmpAcceptsAnEpochThatKeepsPaceWithinSevenEighthsLessTwoSeconds() {
    EpochCheck c = new EpochCheck(EpochCheck.Rule.NAT_PMP);
    c.observe(1000, T0);
    assertThat(c.observe(1060, T0.plusSeconds(60))).isEqualTo(VALID);
    // 60 s later the estimate is 1060 + 52 - 2 = 1110: 1110 passes, 1109 does not
    assertThat(c.observe(1110, T0.plusSeconds(120))).isEqualTo(VALID);
    c = new EpochCheck(EpochCheck.Rule.NAT_PMP);
    c.observe(1060, T0.plusSeconds(60));
    assertThat(c.observe(1109, T0.plusSeconds(120))).isEqualTo(LOST_STATE);
  }

  @Test
  void natPmpTreatsAnyStepBackAsAReboot() {
    EpochCheck c = new EpochCheck(EpochCheck.Rule.NAT_PMP);
    c.observe(1000, T0);
    assertThat(c.observe(999, T0)).isEqualTo(LOST_STATE);
  }

  @Test
  void natPmpRebootToZeroIsLost() {
    EpochCheck c = new EpochCheck(EpochCheck.Rule.NAT_PMP);
    c.observe(40, T0);
    assertThat(c.observe(0, T0.plusSeconds(3))).isEqualTo(LOST_STATE);
    assertThat(c.observe(3, T0.plusSeconds(6))).isEqualTo(VALID); // the new baseline
  }

  @Test
  void pcpToleratesOneSecondBackwardsForReordering() {
    EpochCheck c = new EpochCheck(EpochCheck.Rule.PCP);
    c.observe(100, T0);
    assertThat(c.observe(99, T0)).isEqualTo(VALID);
    assertThat(c.observe(97, T0)).isEqualTo(LOST_STATE);
  }

  @Test
  void pcpComparesBothDeltasWithASixteenthTolerance() {
    // C = 160: S may lie in [C - C/16 - 2, ...]; 160 - 10 - 2 = 148 passes, 147 does not
    assertThat(pcp(1000, 1148, 160)).isEqualTo(VALID);
    assertThat(pcp(1000, 1147, 160)).isEqualTo(LOST_STATE);
    // S = 160: C + 2 must reach S - S/16 = 150; C = 148 passes, C = 147 does not
    assertThat(pcp(1000, 1160, 148)).isEqualTo(VALID);
    assertThat(pcp(1000, 1160, 147)).isEqualTo(LOST_STATE);
  }

  @Test
  void aRestartedGatewayAnnouncingEpochZeroIsLostUnderPcp() {
    assertThat(pcp(45, 0, 5)).isEqualTo(LOST_STATE);
  }

  @Test
  void sleepingHostsSeeBothClocksAdvance() {
    // an hour asleep: the wall clock and the gateway both moved on
    assertThat(pcp(100, 3700, 3600)).isEqualTo(VALID);
    EpochCheck c = new EpochCheck(EpochCheck.Rule.NAT_PMP);
    c.observe(100, T0);
    assertThat(c.observe(3700, T0.plusSeconds(3600))).isEqualTo(VALID);
  }

  @Test
  void aWallClockGoingBackIsNoElapsedTime() {
    EpochCheck c = new EpochCheck(EpochCheck.Rule.NAT_PMP);
    c.observe(100, T0);
    assertThat(c.observe(101, T0.minusSeconds(3600))).isEqualTo(VALID);
  }

  private static EpochCheck.Verdict pcp(long before, long after, long clientSeconds) {
    EpochCheck c = new EpochCheck(EpochCheck.Rule.PCP);
    c.observe(before, T0);
    return c.observe(after, T0.plusSeconds(clientSeconds));
  }
}
