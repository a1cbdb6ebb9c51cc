package net.membersdns.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.update.JobResult;
import net.membersdns.server.update.UpdateSignature;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * What this process remembers of the signed updates it answered: the bounds (a signature is
 * forgotten once it no longer verifies, and beyond {@link UpdateReplays#CAPACITY}), and what a copy
 * gets in each state of the first (docs/architecture.md, An update).
 */
class UpdateReplaysTest {
  private static final Name KEY = Name.fromConstantString("alice.key.members.example.");
  private static final Name ZONE = Name.fromConstantString("alice.members.example.");
  private static final long T = 1_700_000_000L;
  private static final JobResult APPLIED =
      new JobResult.Applied(Optional.empty(), OptionalLong.empty());

  private final ServedZones served = Zones.served(Zones.member("alice", 7, ""));
  private Instant now = Instant.ofEpochSecond(T);
  private final UpdateReplays replays =
      new UpdateReplays(
          served,
          new Clock() {
            @Override
            public Instant instant() {
              return now;
            }

            @Override
            public ZoneId getZone() {
              return ZoneId.of("UTC");
            }

            @Override
            public Clock withZone(ZoneId zone) {
              return this;
            }
          });
  private final List<JobResult> copies = new ArrayList<>();

  private static UpdateSignature signature(int n, long timeSigned) {
    return new UpdateSignature(
        KEY,
        timeSigned,
        300,
        new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16), 1, 2, 3, 4, 5, 6, 7});
  }

  private UpdateReplays.Verdict classify(UpdateSignature s, int id) {
    return replays.classify(s, id, ZONE, copies::add);
  }

  @Test
  void aCopyOfAnAnsweredUpdateGetsItsAnswerUntilTheSignatureExpires() {
    UpdateSignature s = signature(1, T);
    UpdateReplays.Verdict first = classify(s, 7);
    assertThat(first.seen()).isEqualTo(UpdateReplays.Seen.FIRST);
    first.pending().answered(APPLIED);
    now = Instant.ofEpochSecond(T + 300);
    assertThat(classify(s, 7).seen()).isEqualTo(UpdateReplays.Seen.RETRANSMISSION);
    assertThat(copies).containsExactly(APPLIED);
    // Past Time Signed + Fudge it would be BADTIME anyway: forgotten.
    now = Instant.ofEpochSecond(T + 301);
    classify(signature(2, T + 301), 8);
    assertThat(replays.size()).isEqualTo(1);
  }

  @Test
  void aFailedTransactionIsForgottenSoItsCopyIsNewAgain() {
    UpdateSignature s = signature(1, T);
    classify(s, 7).pending().answered(new JobResult.Failed("database down"));
    assertThat(classify(s, 7).seen()).isEqualTo(UpdateReplays.Seen.FIRST);
  }

  @Test
  void anotherIdOrAChangedZoneMakesTheSameSignatureAReplay() {
    UpdateSignature s = signature(1, T);
    UpdateReplays.Verdict first = classify(s, 7);
    assertThat(classify(s, 8).seen()).as("queued, other ID").isEqualTo(UpdateReplays.Seen.REPLAY);
    first.pending().answered(APPLIED);
    assertThat(classify(s, 8).seen()).as("answered, other ID").isEqualTo(UpdateReplays.Seen.REPLAY);
    served.put(ZoneData.build(new ZoneContent(ZONE, "alice", 8, 2, List.of()), Zones.settings()));
    assertThat(classify(s, 7).seen()).as("zone changed").isEqualTo(UpdateReplays.Seen.REPLAY);
    assertThat(copies).isEmpty();
  }

  @Test
  void itHoldsAtMostCapacitySignaturesDroppingTheOldest() {
    for (int i = 0; i <= UpdateReplays.CAPACITY; i++) {
      classify(signature(i, T), 1).pending().answered(APPLIED);
    }
    assertThat(replays.size()).isEqualTo(UpdateReplays.CAPACITY);
    assertThat(classify(signature(0, T), 1).seen())
        .as("evicted")
        .isEqualTo(UpdateReplays.Seen.FIRST);
    assertThat(classify(signature(UpdateReplays.CAPACITY, T), 1).seen())
        .isEqualTo(UpdateReplays.Seen.RETRANSMISSION);
  }
}
