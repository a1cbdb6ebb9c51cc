package net.membersdns.server.update;

import static net.membersdns.server.update.Fixtures.APEX;
import static net.membersdns.server.update.Fixtures.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import net.membersdns.server.feed.ChangeEvents;
import net.membersdns.server.feed.ZoneChange;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Section;

/** The writer's queueing, batching and ordering, with a fake store and a manual executor. */
class ZoneWriterTest {
  private static final Name KEY = Fixtures.abs("alice.key.members.example.");

  private final List<Runnable> tasks = new ArrayList<>();
  private final Executor manual = tasks::add;
  private final ServedZones served = new ServedZones();
  private final List<String> order = new ArrayList<>();
  private final List<Integer> batchSizes = new ArrayList<>();
  private RuntimeException failWith;
  private final ZoneWriter writer;

  ZoneWriterTest() {
    served.put(Fixtures.zone(10));
    ZoneCommitter fake =
        (apex, cached, keys, planner) -> {
          BatchPlan plan = planner.plan(cached, Map.of(KEY, List.of(Grant.memberZone(APEX))));
          batchSizes.add(plan.results().size());
          if (failWith != null) {
            throw failWith;
          }
          order.add("commit");
          boolean written = !plan.diff().isEmpty();
          return new ZoneCommitter.Commit(
              plan, cached, cached.serial() + 1, cached.generation() + 1, written);
        };
    ServedZones observed = served;
    ChangeEvents events =
        new ChangeEvents(change -> {
          assertThat(observed.get(APEX).generation()).isEqualTo(change.generation());
          order.add("event");
        });
    writer =
        new ZoneWriter(
            APEX,
            3,
            new ZoneWriter.Context(
                fake,
                new BatchEvaluator(UpdateLeasePolicy.defaults(), SETTINGS),
                served,
                SETTINGS,
                events,
                new UpdateMetrics(new SimpleMeterRegistry()),
                Clock.fixed(Instant.ofEpochMilli(Fixtures.NOW), ZoneOffset.UTC),
                manual,
                new AtomicLong()));
  }

  private WriterJob.Update add(String name, List<JobResult> results) {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.UPDATE);
    m.addRecord(
        org.xbill.DNS.Record.newRecord(APEX, org.xbill.DNS.Type.SOA, org.xbill.DNS.DClass.IN),
        Section.ZONE);
    m.addRecord(Fixtures.rr(name + " 120 IN A 192.0.2.1"), Section.UPDATE);
    return new WriterJob.Update(
        m,
        KEY,
        r -> {
          order.add("done");
          results.add(r);
        });
  }

  private void runAll() {
    while (!tasks.isEmpty()) {
      tasks.remove(0).run();
    }
  }

  @Test
  void everythingQueuedCommitsInOneTransactionThenPublishesThenEmitsThenAnswers() {
    List<JobResult> results = new ArrayList<>();
    assertThat(writer.offer(add("a", results))).isTrue();
    assertThat(writer.offer(add("b", results))).isTrue();
    assertThat(writer.offer(add("c", results))).isTrue();
    assertThat(writer.offer(add("d", results))).as("queue of 3 is full").isFalse();
    assertThat(tasks).hasSize(1);
    runAll();
    assertThat(batchSizes).containsExactly(3);
    assertThat(order).containsExactly("commit", "event", "done", "done", "done");
    assertThat(results).allMatch(r -> r instanceof JobResult.Applied);
    ZoneData now = served.get(APEX);
    assertThat(now.serial()).isEqualTo(11);
    assertThat(now.storedRecords()).hasSize(3);

    assertThat(writer.offer(add("d", results))).as("room again after the drain").isTrue();
    runAll();
    assertThat(batchSizes).containsExactly(3, 1);
  }

  @Test
  void aFailedTransactionFailsTheWholeBatchAndPublishesNothing() {
    List<JobResult> results = new ArrayList<>();
    failWith = new IllegalStateException("connection lost");
    writer.offer(add("a", results));
    writer.offer(add("b", results));
    ZoneData before = served.get(APEX);
    runAll();
    assertThat(results).hasSize(2).allMatch(r -> r instanceof JobResult.Failed);
    assertThat(served.get(APEX)).isSameAs(before);
    assertThat(order).containsExactly("done", "done");
  }

  @Test
  void anOlderGenerationIsNeverPublishedOverANewerOne() {
    served.put(
        ZoneData.build(
            new net.membersdns.server.zone.ZoneContent(APEX, "alice", 99, 50, List.of()),
            SETTINGS));
    List<JobResult> results = new ArrayList<>();
    writer.offer(add("a", results));
    runAll();
    // The fake committed generation 51 from the cached 50: newer, so published.
    assertThat(served.get(APEX).generation()).isEqualTo(51);
    assertThat(served.putIfNewer(Fixtures.zone(10))).isFalse();
    assertThat(served.get(APEX).generation()).isEqualTo(51);
  }

  @Test
  void changeEventsAreEmittedOncePerGenerationInOrder() {
    List<Long> seen = new ArrayList<>();
    ChangeEvents events = new ChangeEvents(c -> seen.add(c.generation()));
    events.loaded(APEX, 5);
    assertThat(events.emit(change(5))).isFalse();
    assertThat(events.emit(change(7))).isTrue();
    assertThat(events.emit(change(6))).as("older than what was emitted").isFalse();
    assertThat(events.emit(change(7))).isFalse();
    assertThat(events.emit(change(8))).isTrue();
    assertThat(seen).containsExactly(7L, 8L);
    assertThat(events.emittedUpTo(APEX)).isEqualTo(8);
    assertThat(Set.of(events.emittedUpTo(Fixtures.DOMAIN))).containsExactly(-1L);
  }

  private static ZoneChange change(long generation) {
    return new ZoneChange(APEX, 1, generation, List.of(), List.of(), false);
  }
}
