package net.membersdns.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  @Test
  void readyOnlyWhenStartedNotDrainingAndEveryCheckHolds() {
    AtomicBoolean database = new AtomicBoolean(true);
    Readiness r = new Readiness(List.of(database::get));
    assertThat(r.getAsBoolean()).as("before start").isFalse();
    r.started();
    assertThat(r.getAsBoolean()).isTrue();
    database.set(false);
    assertThat(r.getAsBoolean()).as("database down").isFalse();
    database.set(true);
    assertThat(r.getAsBoolean()).as("database back").isTrue();
    r.draining();
    assertThat(r.getAsBoolean()).as("draining").isFalse();
    assertThat(r.isDraining()).isTrue();
  }
}
