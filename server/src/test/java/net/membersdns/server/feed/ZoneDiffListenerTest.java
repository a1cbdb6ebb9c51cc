package net.membersdns.server.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class ZoneDiffListenerTest {
  private static final Name APEX = Names.absolute("alice.members.example.");
  private final ServedZones served = new ServedZones();
  private final List<ZoneChange> changes = new ArrayList<>();
  private ZoneData next;

  private final ZoneChangeListener reloader =
      new ZoneChangeListener() {
        @Override
        public void zoneChanged(Name apex) {
          served.put(next);
        }

        @Override
        public void zoneRemoved(Name apex) {
          served.remove(apex);
        }
      };

  private final ZoneDiffListener listener =
      new ZoneDiffListener(
          served,
          reloader,
          changes::add,
          Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

  @Test
  void aReloadIsDiffedIntoAddedAndRemovedRecords() {
    served.put(Zones.member("alice", 1, "mbp AAAA ::1\nimac AAAA ::2\n"));
    next = Zones.member("alice", 2, "mbp AAAA ::1\nair AAAA ::3\nimac 600 AAAA ::2\n");
    listener.zoneChanged(APEX);
    assertThat(changes).hasSize(1);
    ZoneChange c = changes.get(0);
    assertThat(c.apex()).isEqualTo(APEX);
    assertThat(c.added()).containsExactlyElementsOf(Zones.records(APEX.toString(), "air AAAA ::3"));
    assertThat(c.removed()).isEmpty(); // a TTL change alone is no change
    assertThat(c.zoneRemoved()).isFalse();
    assertThat(c.committedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void nothingPublishedMeansNothingToTell() {
    ZoneData same = Zones.member("alice", 1, "mbp AAAA ::1\n");
    served.put(same);
    next = same;
    listener.zoneChanged(APEX);
    assertThat(changes).isEmpty();
  }

  @Test
  void aRemovedZoneRemovesEveryStoredRecord() {
    served.put(Zones.member("alice", 1, "mbp AAAA ::1\n"));
    listener.zoneRemoved(APEX);
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).zoneRemoved()).isTrue();
    assertThat(changes.get(0).removed())
        .containsExactlyElementsOf(Zones.records(APEX.toString(), "mbp AAAA ::1"));
  }

  @Test
  void theOldConstructorStillStampsTheCommitTime() {
    ZoneChange c = new ZoneChange(APEX, 1, 1, List.of(), List.of(), false);
    assertThat(c.committedAt()).isNotNull();
  }
}
