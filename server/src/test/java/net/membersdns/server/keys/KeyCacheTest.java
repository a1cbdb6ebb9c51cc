package net.membersdns.server.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.zone.Names;
import org.junit.jupiter.api.Test;

class KeyCacheTest {
  private static final TsigKey MBP =
      new TsigKey(
          Names.absolute("mbp.alice.key.members.example."),
          TsigAlgorithm.HMAC_SHA256,
          new byte[32]);

  /** A store whose keys the test sets. */
  private final List<KeySource.StoredKey> stored = new ArrayList<>();

  private final KeyCache cache =
      new KeyCache(
          new KeySource() {
            @Override
            public List<StoredKey> loadAll() {
              return List.copyOf(stored);
            }

            @Override
            public String fingerprint() {
              return String.valueOf(stored.hashCode());
            }
          });

  @Test
  void holdsAKeyOnlyWhileTheStoreHasItUnchanged() {
    stored.add(new KeySource.StoredKey(MBP, List.of()));
    cache.reload();
    assertThat(cache.holds(MBP)).isTrue();

    byte[] other = new byte[32];
    other[0] = 1;
    stored.set(
        0, new KeySource.StoredKey(new TsigKey(MBP.name(), MBP.algorithm(), other), List.of()));
    cache.reload();
    assertThat(cache.holds(MBP)).as("same name, another secret").isFalse();

    stored.clear();
    cache.reload();
    assertThat(cache.holds(MBP)).isFalse();
  }

  @Test
  void afterChangesRunsOnceAfterEachReloadWhenTheFeedHasHandedOnItsZones() {
    AtomicInteger runs = new AtomicInteger();
    List<Boolean> seen = new ArrayList<>();
    cache.afterChanges(() -> {
      runs.incrementAndGet();
      seen.add(cache.holds(MBP));
    });
    stored.add(new KeySource.StoredKey(MBP, List.of()));
    cache.keysChanged();
    assertThat(runs).as("not before the zones are handed on").hasValue(0);
    cache.keysApplied();
    cache.keysApplied();
    assertThat(runs).as("once per reload").hasValue(1);

    stored.clear();
    cache.sweepKeys(); // the stored keys changed without a notification
    cache.keysApplied();
    cache.sweepKeys(); // unchanged since: no reload
    cache.keysApplied();
    assertThat(runs).hasValue(2);
    assertThat(seen).containsExactly(true, false);
  }
}
