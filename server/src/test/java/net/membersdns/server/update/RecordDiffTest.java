package net.membersdns.server.update;

import static net.membersdns.server.update.Fixtures.NOW;
import static net.membersdns.server.update.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.membersdns.server.zone.ZoneRecord;
import org.junit.jupiter.api.Test;

class RecordDiffTest {
  @Test
  void addedAndRemovedRowsAreContent() {
    ZoneRecord a = row("a 120 IN A 192.0.2.1");
    ZoneRecord b = row("b 120 IN A 192.0.2.2");
    RecordDiff d = RecordDiff.between(List.of(a), List.of(b), NOW);
    assertThat(d.removed()).containsExactly(a);
    assertThat(d.added()).containsExactly(b);
    assertThat(d.leaseChanged()).isEmpty();
    assertThat(d.contentChanged()).isTrue();
  }

  @Test
  void onlyAMovedExpiryIsALeaseRefresh() {
    ZoneRecord before = row("+100 a 120 IN A 192.0.2.1");
    ZoneRecord after = row("+3600 a 120 IN A 192.0.2.1");
    RecordDiff d = RecordDiff.between(List.of(before), List.of(after), NOW);
    assertThat(d.contentChanged()).isFalse();
    assertThat(d.isEmpty()).isFalse();
    assertThat(d.leaseChanged()).containsExactly(after);
  }

  @Test
  void aNewTtlIsRemoveThenAdd() {
    ZoneRecord before = row("+100 a 120 IN A 192.0.2.1");
    ZoneRecord after = row("+100 a 300 IN A 192.0.2.1");
    RecordDiff d = RecordDiff.between(List.of(before), List.of(after), NOW);
    assertThat(d.removed()).containsExactly(before);
    assertThat(d.added()).containsExactly(after);
    assertThat(d.replaced()).as("the store rewrites it in place").containsExactly(after);
    assertThat(d.inserted()).isEmpty();
    assertThat(d.deleted()).isEmpty();
  }

  @Test
  void insertedDeletedAndReplacedSplitTheDiffForTheStore() {
    ZoneRecord gone = row("+100 a 120 IN A 192.0.2.1");
    ZoneRecord kept = row("+100 b 120 IN A 192.0.2.2");
    ZoneRecord ttl = row("+100 c 120 IN A 192.0.2.3");
    ZoneRecord ttlAfter = row("+100 c 60 IN A 192.0.2.3");
    ZoneRecord fresh = row("+100 d 120 IN A 192.0.2.4");
    RecordDiff d =
        RecordDiff.between(List.of(gone, kept, ttl), List.of(kept, ttlAfter, fresh), NOW);
    assertThat(d.deleted()).containsExactly(gone);
    assertThat(d.inserted()).containsExactly(fresh);
    assertThat(d.replaced()).containsExactly(ttlAfter);
    assertThat(d.removed()).containsExactlyInAnyOrder(gone, ttl);
    assertThat(d.added()).containsExactlyInAnyOrder(ttlAfter, fresh);
  }

  @Test
  void aRevivedExpiredRowIsContentNotARefresh() {
    ZoneRecord expired = row("-5 a 120 IN A 192.0.2.1");
    ZoneRecord revived = row("+3600 a 120 IN A 192.0.2.1");
    RecordDiff d = RecordDiff.between(List.of(expired), List.of(revived), NOW);
    assertThat(d.contentChanged()).isTrue();
    assertThat(d.removed()).containsExactly(expired);
    assertThat(d.added()).containsExactly(revived);
  }

  @Test
  void ownerCaseDoesNotMakeADifference() {
    ZoneRecord lower = row("+100 mbp 120 IN A 192.0.2.1");
    ZoneRecord upper = row("+100 MBP 120 IN A 192.0.2.1");
    assertThat(RecordDiff.between(List.of(lower), List.of(upper), NOW).isEmpty()).isTrue();
  }
}
