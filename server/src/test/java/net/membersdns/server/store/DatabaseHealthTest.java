package net.membersdns.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.EOFException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.membersdns.server.testing.Await;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The database health: which failures mean the database cannot be reached (SQLSTATE class 08,
 * 57P01-57P03, socket failures; not a constraint or a conflict), one WARN when it goes down however
 * many failures follow, the probe while down, one INFO when it is back.
 */
class DatabaseHealthTest {
  @Test
  void connectionFailuresAreUnreachabilityAndOtherFailuresAreNot() {
    assertThat(DatabaseHealth.unreachable(new StoreException("x", new SQLException("io", "08006"))))
        .isTrue();
    assertThat(DatabaseHealth.unreachable(new SQLException("refused", "08001"))).isTrue();
    assertThat(DatabaseHealth.unreachable(new SQLException("shutdown", "57P01"))).isTrue();
    assertThat(DatabaseHealth.unreachable(new RuntimeException(new EOFException()))).isTrue();
    assertThat(DatabaseHealth.unreachable(new RuntimeException(new ConnectException("refused"))))
        .isTrue();
    // Hikari's timeout carries the SQLSTATE of the last connection failure...
    assertThat(
            DatabaseHealth.unreachable(
                new SQLTransientConnectionException(
                    "request timed out", "08001", new SQLException("refused", "08001"))))
        .isTrue();
    // ...and none when the pool was merely busy: that is load, not an outage.
    assertThat(DatabaseHealth.unreachable(new SQLTransientConnectionException("timed out")))
        .isFalse();
    assertThat(DatabaseHealth.unreachable(new SQLException("duplicate key", "23505"))).isFalse();
    assertThat(DatabaseHealth.unreachable(new SQLException("serialization", "40001"))).isFalse();
    assertThat(DatabaseHealth.unreachable(new IllegalStateException("bug"))).isFalse();
  }

  @Test
  void backgroundWorkRunsOnlyWhileReachableAndOnlyItsOwnFailuresPropagate() {
    AtomicInteger rounds = new AtomicInteger();
    try (DatabaseHealth health = new DatabaseHealth(() -> {}, Duration.ofHours(1))) {
      assertThat(health.whileReachable(rounds::incrementAndGet, 0)).isEqualTo(1);
      assertThatThrownBy(() ->
              health.whileReachable(
                  () -> {
                    throw new StoreException("x", new SQLException("dup", "23505"));
                  },
                  0))
          .as("the work's own failure")
          .isInstanceOf(StoreException.class);
      assertThat(health.isUp()).isTrue();
      int otherwise =
          health.whileReachable(
              () -> {
                throw new StoreException("round", new SQLException("io", "08006"));
              },
              -1);
      assertThat(otherwise).as("the outage met by the work").isEqualTo(-1);
      assertThat(health.isUp()).isFalse();
      assertThat(health.whileReachable(rounds::incrementAndGet, -1))
          .as("not run while down")
          .isEqualTo(-1);
      assertThat(rounds).hasValue(1);
    }
  }

  @Test
  void downOnceProbedUntilBackThenUpOnce() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(DatabaseHealth.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    AtomicBoolean reachable = new AtomicBoolean(false);
    AtomicInteger probes = new AtomicInteger();
    try (DatabaseHealth health =
        new DatabaseHealth(
            () -> {
              probes.incrementAndGet();
              if (!reachable.get()) {
                throw new SQLException("refused", "08001");
              }
            },
            Duration.ofMillis(20))) {
      assertThat(health.isUp()).isTrue();
      assertThat(health.failed(new SQLException("duplicate", "23505"))).isFalse();
      assertThat(health.isUp()).as("a constraint is not an outage").isTrue();

      for (int i = 0; i < 50; i++) {
        assertThat(health.failed(new StoreException("commit", new SQLException("io", "08006"))))
            .isTrue();
      }
      assertThat(health.isUp()).isFalse();
      Await.until(Duration.ofSeconds(5), "probing", () -> probes.get() >= 3);
      assertThat(health.isUp()).as("still down while the probe fails").isFalse();

      reachable.set(true);
      Await.until(Duration.ofSeconds(5), "up again", health::isUp);
      assertThat(lines.list)
          .extracting(e -> e.getLevel() + " " + e.getFormattedMessage())
          .hasSize(2)
          .satisfies(l -> assertThat(l.get(0)).startsWith("WARN database: unreachable (io"))
          .satisfies(l -> assertThat(l.get(1)).startsWith("INFO database: reachable again after"));

      Await.until(
          Duration.ofSeconds(5),
          "the probe thread ended: no probing while up",
          () ->
              Thread.getAllStackTraces().keySet().stream()
                  .noneMatch(t -> t.getName().equals("membersdns-database-probe")));
    } finally {
      logger.detachAppender(lines);
    }
  }
}
