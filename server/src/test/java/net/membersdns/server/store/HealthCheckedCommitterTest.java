package net.membersdns.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.membersdns.server.update.ZoneCommitter;
import org.junit.jupiter.api.Test;

/**
 * The writers' committer behind the database health: a lost database turns the health down and
 * fails as {@link ZoneCommitter.Unavailable}; while down, groups fail at once without reaching the
 * store; other failures pass unchanged and leave the health up.
 */
class HealthCheckedCommitterTest {
  @Test
  void aLostDatabaseTurnsTheHealthDownAndLaterGroupsFailWithoutTheStore() {
    AtomicInteger calls = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    ZoneCommitter store =
        batches -> {
          calls.incrementAndGet();
          if (failure.get() != null) {
            throw failure.get();
          }
          return List.of();
        };
    try (DatabaseHealth health =
        new DatabaseHealth(
            () -> {
              throw new SQLException("refused", "08001");
            },
            Duration.ofHours(1))) {
      HealthCheckedCommitter committer = new HealthCheckedCommitter(store, health);
      assertThat(committer.commit(List.of())).isEmpty();

      IllegalStateException bug = new IllegalStateException("a bug");
      failure.set(bug);
      assertThatThrownBy(() -> committer.commit(List.of())).isSameAs(bug);
      assertThat(health.isUp()).isTrue();

      failure.set(new StoreException("commit failed", new SQLException("I/O error", "08006")));
      assertThatThrownBy(() -> committer.commit(List.of()))
          .isInstanceOf(ZoneCommitter.Unavailable.class);
      assertThat(health.isUp()).isFalse();

      int before = calls.get();
      assertThatThrownBy(() -> committer.commit(List.of()))
          .isInstanceOf(ZoneCommitter.Unavailable.class);
      assertThat(calls.get()).as("the store is not asked while down").isEqualTo(before);
    }
  }
}
