package net.membersdns.server.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.membersdns.server.store.ZoneStore;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * The change feed's sweep repairs what is really missing and leaves commits in flight alone (issue
 * 9: under an update load it reloaded zones that were merely about to be published).
 */
class SweepTest {
  private static final Name ALICE = Names.absolute("alice.members.example.");
  private static final Name BOB = Names.absolute("bob.members.example.");

  /** The store's generations, set by hand. */
  private static final class Stored implements ZoneStore {
    final Map<Name, Long> generations = new LinkedHashMap<>();

    @Override
    public List<ZoneContent> loadAllZones() {
      return List.of();
    }

    @Override
    public Optional<ZoneContent> loadZone(Name apex) {
      return Optional.empty();
    }

    @Override
    public List<ZoneVersion> zoneVersions() {
      return generations.entrySet().stream()
          .map(e -> new ZoneVersion(e.getKey(), 1, e.getValue()))
          .toList();
    }

    @Override
    public VersionsFingerprint versionsFingerprint() {
      return new VersionsFingerprint(
          generations.size(), generations.values().stream().mapToLong(Long::longValue).sum());
    }

    @Override
    public void ensureDomainZone(Name domain) {}

    @Override
    public List<JournalEntry> journalSince(Name apex, long afterGeneration) {
      return List.of();
    }
  }

  private final Stored store = new Stored();
  private final ServedZones served = new ServedZones();
  private final List<String> repairs = new ArrayList<>();
  private final ChangeFeed feed =
      new ChangeFeed(
          () -> {
            throw new AssertionError("the sweep alone needs no connection");
          },
          store,
          served,
          new ZoneChangeListener() {
            @Override
            public void zoneChanged(Name apex) {
              repairs.add("changed " + apex);
            }

            @Override
            public void zoneRemoved(Name apex) {
              repairs.add("removed " + apex);
            }
          },
          Duration.ofSeconds(2));

  private void serve(String member, long generation) {
    ZoneData z = Zones.member(member, 1, "");
    served.put(
        ZoneData.build(
            new ZoneContent(z.apex(), member, 1, generation, List.of()), Zones.settings()));
  }

  @Test
  void aCommitPublishedBeforeTheNextSweepIsNeverReloaded() {
    serve("alice", 4);
    store.generations.put(ALICE, 5L); // committed, about to be published
    feed.sweep();
    serve("alice", 5);
    store.generations.put(ALICE, 7L); // the next commit in flight
    feed.sweep();
    serve("alice", 7);
    feed.sweep();
    assertThat(repairs).isEmpty();
  }

  @Test
  void aZoneStillBehindOneSweepLaterIsRepaired() {
    serve("alice", 4);
    store.generations.put(ALICE, 5L);
    feed.sweep();
    assertThat(repairs).isEmpty();
    store.generations.put(ALICE, 6L); // moved on, and what the last sweep read is still missing
    feed.sweep();
    assertThat(repairs).containsExactly("changed " + ALICE);
  }

  @Test
  void aZoneGoneAndACreatedOneAreRepairedOnTheSecondSweep() {
    serve("bob", 3);
    store.generations.put(ALICE, 2L);
    feed.sweep();
    assertThat(repairs).isEmpty();
    feed.sweep();
    assertThat(repairs).containsExactlyInAnyOrder("changed " + ALICE, "removed " + BOB);
  }
}
