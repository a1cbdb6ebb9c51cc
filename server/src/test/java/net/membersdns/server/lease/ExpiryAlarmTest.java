package net.membersdns.server.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** The alarm hands on exactly the zones whose earliest lease expiry has passed. */
class ExpiryAlarmTest {
  private static final long NOW = 1_000_000;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<Name> due = new CopyOnWriteArrayList<>();
  private final ExpiryAlarm alarm =
      new ExpiryAlarm(timer, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), due::add);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private static ZoneData zone(String member, long expiry) {
    String apex = member + ".members.example.";
    List<ZoneRecord> records =
        Zones.records(apex, "mbp IN AAAA fd00::1").stream()
            .map(r -> new ZoneRecord(r, expiry))
            .toList();
    return ZoneData.build(
        new ZoneContent(Names.absolute(apex), member, 1, 1, records), Zones.settings());
  }

  @Test
  void ringsForAnExpiredZoneOnceAndKeepsTheOnesStillLeased() throws Exception {
    alarm.published(zone("later", NOW + 3_600_000));
    alarm.published(zone("gone", NOW - 1));
    Await.until(() -> !due.isEmpty());
    assertThat(due).containsExactly(Names.absolute("gone.members.example."));
    assertThat(alarm.zones()).as("the later zone still held, the expired one forgotten").isOne();
  }

  @Test
  void aZoneWithoutLeasesOrRemovedIsForgotten() {
    alarm.published(zone("alice", NOW + 3_600_000));
    alarm.published(Zones.member("alice", 2, "mbp IN AAAA fd00::1"));
    assertThat(alarm.zones()).isZero();
    alarm.published(zone("bob", NOW + 3_600_000));
    alarm.removed(Names.absolute("bob.members.example."));
    assertThat(alarm.zones()).isZero();
  }
}
