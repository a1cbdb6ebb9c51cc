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
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The writers' queueing, grouping and ordering, with a fake store and a manual executor: each
 * executor task is one committer, run by {@link #runAll}.
 */
class ZoneWriterTest {
  private static final Name KEY = Fixtures.abs("ops.key.members.example.");
  private static final Name BOB_KEY = Fixtures.abs("bob.key.members.example.");
  private static final Name BOB = Names.absolute("bob.members.example.");
  private static final Name CAROL = Names.absolute("carol.members.example.");

  private final List<Runnable> tasks = new ArrayList<>();
  private final Executor manual = tasks::add;
  private final ServedZones served = new ServedZones();
  private final List<String> order = new ArrayList<>();
  private final List<List<Name>> groups = new ArrayList<>();
  private final List<Integer> batchSizes = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private RuntimeException failWith;
  private Error errorWith;
  private Runnable duringCommit;

  ZoneWriterTest() {
    served.put(Fixtures.zone(10));
    served.put(zone(BOB, "bob", 20));
    served.put(zone(CAROL, "carol", 30));
  }

  private static ZoneData zone(Name apex, String member, long serial) {
    return ZoneData.build(new ZoneContent(apex, member, serial, 7, List.of()), SETTINGS);
  }

  /** Commits in memory: each zone's serial and generation go up by one. */
  private final ZoneCommitter fake =
      batches -> {
        List<Name> apexes = new ArrayList<>();
        List<ZoneCommitter.Commit> out = new ArrayList<>();
        Map<Name, List<Grant>> grants =
            Map.of(
                KEY,
                List.of(new Grant("*.members.example.", Grant.Permission.UPDATE)),
                BOB_KEY,
                List.of(Grant.memberZone(BOB)));
        for (ZoneCommitter.Batch b : batches) {
          apexes.add(b.apex());
          BatchPlan plan = b.planner().plan(b.cached(), grants, Set.of());
          batchSizes.add(plan.results().size());
          boolean written = !plan.diff().isEmpty();
          out.add(
              new ZoneCommitter.Commit(
                  plan, b.cached(), b.cached().serial() + 1, b.cached().generation() + 1, written));
        }
        groups.add(apexes);
        if (duringCommit != null) {
          Runnable r = duringCommit;
          duringCommit = null;
          r.run();
        }
        if (failWith != null) {
          throw failWith;
        }
        if (errorWith != null) {
          throw errorWith;
        }
        order.add("commit");
        return out;
      };

  private ZoneWriters writers(int capacity, ZoneWriters.Grouping grouping) {
    ServedZones observed = served;
    ChangeEvents events =
        new ChangeEvents(change -> {
          assertThat(observed.get(change.apex()).generation())
              .as("published before the event")
              .isEqualTo(change.generation());
          order.add("event " + label(change.apex()));
        });
    return new ZoneWriters(
        capacity,
        grouping,
        new ZoneWriter.Context(
            fake,
            new BatchEvaluator(UpdateLeasePolicy.defaults(), SETTINGS),
            served,
            SETTINGS,
            events,
            new UpdateMetrics(registry),
            Clock.fixed(Instant.ofEpochMilli(Fixtures.NOW), ZoneOffset.UTC),
            manual,
            new AtomicLong()));
  }

  private ZoneWriters writers(int capacity) {
    return writers(capacity, ZoneWriters.Grouping.of(1));
  }

  private static String label(Name apex) {
    return apex.getLabelString(0);
  }

  private WriterJob.Update add(String name, List<JobResult> results) {
    return add(APEX, KEY, name, results);
  }

  private WriterJob.Update add(Name zone, Name key, String name, List<JobResult> results) {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.UPDATE);
    m.addRecord(Record.newRecord(zone, Type.SOA, DClass.IN), Section.ZONE);
    m.addRecord(
        Record.newRecord(
            Names.absolute(name + "." + zone),
            Type.A,
            DClass.IN,
            120,
            new byte[] {(byte) 192, 0, 2, 1}),
        Section.UPDATE);
    return new WriterJob.Update(
        m,
        key,
        r -> {
          order.add("done " + label(zone) + " " + name);
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
    ZoneWriters writers = writers(3);
    List<JobResult> results = new ArrayList<>();
    assertThat(writers.submit(APEX, add("a", results))).isTrue();
    assertThat(writers.submit(APEX, add("b", results))).isTrue();
    assertThat(writers.submit(APEX, add("c", results))).isTrue();
    assertThat(writers.submit(APEX, add("d", results))).as("queue of 3 is full").isFalse();
    assertThat(writers.queued()).isEqualTo(3);
    assertThat(tasks).hasSize(1);
    runAll();
    assertThat(batchSizes).containsExactly(3);
    assertThat(order)
        .containsExactly("commit", "event alice", "done alice a", "done alice b", "done alice c");
    assertThat(results).allMatch(r -> r instanceof JobResult.Applied);
    ZoneData now = served.get(APEX);
    assertThat(now.serial()).isEqualTo(11);
    assertThat(now.storedRecords()).hasSize(3);
    assertThat(writers.queued()).isZero();

    assertThat(writers.submit(APEX, add("d", results))).as("room again after the drain").isTrue();
    runAll();
    assertThat(batchSizes).containsExactly(3, 1);
  }

  @Test
  void theReadyWorkOfManyZonesCommitsInOneGroupEachZonePublishedEmittedAnswered() {
    ZoneWriters writers = writers(10);
    List<JobResult> results = new ArrayList<>();
    writers.submit(APEX, add("a", results));
    writers.submit(BOB, add(BOB, KEY, "b1", results));
    writers.submit(APEX, add("a2", results));
    writers.submit(CAROL, add(CAROL, KEY, "c", results));
    writers.submit(BOB, add(BOB, KEY, "b2", results));
    assertThat(tasks).as("one committer").hasSize(1);
    runAll();
    assertThat(groups).containsExactly(List.of(APEX, BOB, CAROL));
    assertThat(batchSizes).containsExactly(2, 2, 1);
    assertThat(order)
        .containsExactly(
            "commit",
            "event alice",
            "done alice a",
            "done alice a2",
            "event bob",
            "done bob b1",
            "done bob b2",
            "event carol",
            "done carol c");
    assertThat(results).hasSize(5).allMatch(r -> r instanceof JobResult.Applied);
    assertThat(served.get(APEX).serial()).isEqualTo(11);
    assertThat(served.get(BOB).serial()).isEqualTo(21);
    assertThat(served.get(CAROL).serial()).isEqualTo(31);
    assertThat(registry.get("dns.update.batch.zones").summary().totalAmount()).isEqualTo(3);
    assertThat(registry.get("dns.update.batch.size").summary().totalAmount()).isEqualTo(5);
  }

  @Test
  void aGroupStopsAtMaxZonesAndTheRestFormTheNext() {
    ZoneWriters writers = writers(10, new ZoneWriters.Grouping(1, 2, 100));
    List<JobResult> results = new ArrayList<>();
    writers.submit(CAROL, add(CAROL, KEY, "c", results));
    writers.submit(APEX, add("a", results));
    writers.submit(BOB, add(BOB, KEY, "b", results));
    runAll();
    assertThat(groups)
        .as("in the order zones became ready")
        .containsExactly(List.of(CAROL, APEX), List.of(BOB));
    assertThat(results).hasSize(3).allMatch(r -> r instanceof JobResult.Applied);
  }

  @Test
  void aGroupTakesNoFurtherZoneOnceItHoldsMaxJobs() {
    ZoneWriters writers = writers(10, new ZoneWriters.Grouping(1, 100, 2));
    List<JobResult> results = new ArrayList<>();
    writers.submit(APEX, add("a1", results));
    writers.submit(APEX, add("a2", results));
    writers.submit(APEX, add("a3", results));
    writers.submit(BOB, add(BOB, KEY, "b", results));
    runAll();
    assertThat(groups).containsExactly(List.of(APEX), List.of(BOB));
    assertThat(batchSizes).as("a zone's queue is taken whole").containsExactly(3, 1);
  }

  @Test
  void anIdleWriterStartsACommitterAtOnceAndASecondOnlyForAFullGroup() {
    ZoneWriters writers = writers(10, new ZoneWriters.Grouping(2, 2, 100));
    List<JobResult> results = new ArrayList<>();
    writers.submit(APEX, add("a", results));
    assertThat(tasks).as("idle: starts a committer at once").hasSize(1);
    writers.submit(BOB, add(BOB, KEY, "b", results));
    assertThat(tasks).as("a full group (2 zones) waits: a second committer").hasSize(2);
    writers.submit(CAROL, add(CAROL, KEY, "c", results));
    assertThat(tasks).as("at most 2 committers").hasSize(2);
    tasks.remove(0).run(); // a group of two, then the rest
    assertThat(groups).containsExactly(List.of(APEX, BOB), List.of(CAROL));
    tasks.remove(0).run(); // finds nothing ready and ends
    assertThat(groups).hasSize(2);
    assertThat(results).hasSize(3);
    writers.submit(APEX, add("a2", results));
    assertThat(tasks).as("both committers ended: a new one starts").hasSize(1);
    runAll();
    assertThat(groups).hasSize(3);
  }

  @Test
  void oneTransactionAtATimeAndTheNextStartsWhenItIsOverNotAfterPublishing() {
    ZoneWriters writers = writers(10, new ZoneWriters.Grouping(3, 100, 100));
    List<JobResult> results = new ArrayList<>();
    int[] tasksDuringTheTransaction = new int[1];
    duringCommit =
        () -> {
          writers.submit(BOB, add(BOB, KEY, "b", results));
          tasksDuringTheTransaction[0] = tasks.size();
        };
    writers.submit(APEX, add("a", results));
    tasks.remove(0).run();
    assertThat(tasksDuringTheTransaction[0]).as("no second transaction beside the first").isZero();
    assertThat(tasks).as("a committer launched when the transaction was over").hasSize(1);
    runAll();
    assertThat(groups).containsExactly(List.of(APEX), List.of(BOB));
    assertThat(results).hasSize(2).allMatch(r -> r instanceof JobResult.Applied);
  }

  @Test
  void aFewReadyZonesAreNotSplitAcrossCommittersSoGroupsGrow() {
    // Issue 9: three committers each taking one or two zones made groups of ~7 updates under
    // load; one transaction costs the store the same whatever its size.
    ZoneWriters writers = writers(10, new ZoneWriters.Grouping(3, 100, 100));
    List<JobResult> results = new ArrayList<>();
    writers.submit(APEX, add("a", results));
    writers.submit(BOB, add(BOB, KEY, "b", results));
    writers.submit(CAROL, add(CAROL, KEY, "c", results));
    assertThat(tasks).as("one committer for what one group holds").hasSize(1);
    runAll();
    assertThat(groups).containsExactly(List.of(APEX, BOB, CAROL));
    assertThat(results).hasSize(3).allMatch(r -> r instanceof JobResult.Applied);
  }

  @Test
  void aZoneInFlightIsNeverInTwoGroupsAndItsNextBatchFollowsInOrder() {
    ZoneWriters writers = writers(10, new ZoneWriters.Grouping(2, 100, 100));
    List<JobResult> results = new ArrayList<>();
    duringCommit =
        () -> {
          // While alice's group is in flight: more for alice, and new work for bob.
          writers.submit(APEX, add("a2", results));
          writers.submit(BOB, add(BOB, KEY, "b", results));
        };
    writers.submit(APEX, add("a1", results));
    assertThat(tasks).hasSize(1);
    tasks.remove(0).run();
    // The first committer went on with what became ready; the second one found nothing.
    runAll();
    assertThat(groups).containsExactly(List.of(APEX), List.of(BOB, APEX));
    assertThat(order.indexOf("done alice a1")).isLessThan(order.indexOf("done alice a2"));
    assertThat(served.get(APEX).serial()).isEqualTo(12);
    assertThat(served.get(APEX).storedRecords()).hasSize(2);
    assertThat(results).hasSize(3).allMatch(r -> r instanceof JobResult.Applied);
  }

  @Test
  void aRejectedUpdateInAGroupChangesNothingAndTheOthersCommit() {
    ZoneWriters writers = writers(10);
    List<JobResult> alice = new ArrayList<>();
    List<JobResult> bob = new ArrayList<>();
    writers.submit(APEX, add(APEX, BOB_KEY, "x", alice)); // bob's key may not write alice's zone
    writers.submit(BOB, add(BOB, BOB_KEY, "b", bob));
    writers.submit(APEX, add(APEX, KEY, "a", alice));
    runAll();
    assertThat(groups).containsExactly(List.of(APEX, BOB));
    assertThat(alice.get(0)).isInstanceOf(JobResult.Rejected.class);
    assertThat(((JobResult.Rejected) alice.get(0)).rcode()).isEqualTo(Rcode.REFUSED);
    assertThat(alice.get(1)).isInstanceOf(JobResult.Applied.class);
    assertThat(bob).hasSize(1).allMatch(r -> r instanceof JobResult.Applied);
    assertThat(served.get(APEX).node(Names.absolute("x." + APEX))).isNull();
    assertThat(served.get(APEX).node(Names.absolute("a." + APEX))).isNotNull();
    assertThat(served.get(BOB).node(Names.absolute("b." + BOB))).isNotNull();
  }

  @Test
  void aFailedTransactionFailsEveryJobOfTheGroupAndPublishesNothing() {
    ZoneWriters writers = writers(10);
    List<JobResult> results = new ArrayList<>();
    failWith = new IllegalStateException("connection lost");
    writers.submit(APEX, add("a", results));
    writers.submit(APEX, add("b", results));
    writers.submit(BOB, add(BOB, KEY, "c", results));
    ZoneData alice = served.get(APEX);
    ZoneData bob = served.get(BOB);
    runAll();
    assertThat(groups).hasSize(1);
    assertThat(results).hasSize(3).allMatch(r -> r instanceof JobResult.Failed);
    assertThat(served.get(APEX)).isSameAs(alice);
    assertThat(served.get(BOB)).isSameAs(bob);
    assertThat(order).containsExactly("done alice a", "done alice b", "done bob c");

    failWith = null;
    writers.submit(BOB, add(BOB, KEY, "c", results));
    runAll();
    assertThat(results.get(3)).isInstanceOf(JobResult.Applied.class);
  }

  @Test
  void anErrorInACommitAnswersServfailCountsAndFreesTheCommitter() {
    ZoneWriters writers = writers(10, new ZoneWriters.Grouping(1, 256, 1024));
    List<JobResult> results = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      // More rounds than committers: a leaked slot would leave the next update unanswered.
      errorWith = new AssertionError("a bug in round " + round);
      writers.submit(APEX, add("a" + round, results));
      writers.submit(BOB, add(BOB, KEY, "b" + round, results));
      runAll();
      assertThat(results).hasSize(2 * (round + 1)).allMatch(r -> r instanceof JobResult.Failed);
    }
    assertThat(registry.get("dns.internal.errors").tag("loop", "committer").counter().count())
        .isEqualTo(3);
    errorWith = null;
    writers.submit(APEX, add("ok", results));
    runAll();
    assertThat(results).hasSize(7).last().isInstanceOf(JobResult.Applied.class);
  }

  @Test
  void anExecutorThatRefusesWorkFailsWhatIsQueued() {
    List<JobResult> results = new ArrayList<>();
    ZoneWriters writers =
        new ZoneWriters(
            10,
            new ZoneWriter.Context(
                fake,
                new BatchEvaluator(UpdateLeasePolicy.defaults(), SETTINGS),
                served,
                SETTINGS,
                new ChangeEvents(c -> {}),
                new UpdateMetrics(registry),
                Clock.systemUTC(),
                r -> {
                  throw new java.util.concurrent.RejectedExecutionException("stopping");
                },
                new AtomicLong()));
    assertThat(writers.submit(APEX, add("a", results))).isTrue();
    assertThat(results).containsExactly(new JobResult.Failed("server stopping"));
    assertThat(writers.queued()).isZero();
    assertThat(groups).isEmpty();
  }

  @Test
  void anOlderGenerationIsNeverPublishedOverANewerOne() {
    ZoneWriters writers = writers(3);
    served.put(
        ZoneData.build(
            new net.membersdns.server.zone.ZoneContent(APEX, "alice", 99, 50, List.of()),
            SETTINGS));
    List<JobResult> results = new ArrayList<>();
    writers.submit(APEX, add("a", results));
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
