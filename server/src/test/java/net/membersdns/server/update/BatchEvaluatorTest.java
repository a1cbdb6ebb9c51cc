package net.membersdns.server.update;

import static net.membersdns.server.update.Fixtures.APEX;
import static net.membersdns.server.update.Fixtures.NOW;
import static net.membersdns.server.update.Fixtures.SETTINGS;
import static net.membersdns.server.update.Fixtures.rr;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.server.zone.ZoneRecord;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The writer's pure batch logic: sequential evaluation, isolation of rejections, reaping. */
class BatchEvaluatorTest {
  private static final Name KEY = Fixtures.abs("alice.key.members.example.");
  private static final Map<Name, List<Grant>> GRANTS = Map.of(KEY, List.of(Grant.memberZone(APEX)));
  private final BatchEvaluator evaluator =
      new BatchEvaluator(new UpdateLeasePolicy(60, 7200, 3600, false), SETTINGS);
  private final List<JobResult> done = new ArrayList<>();

  private WriterJob.Update update(Long lease, List<Record> prereq, String... updates) {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.UPDATE);
    m.addRecord(Record.newRecord(APEX, Type.SOA, org.xbill.DNS.DClass.IN), Section.ZONE);
    prereq.forEach(r -> m.addRecord(r, Section.PREREQ));
    for (String u : updates) {
      m.addRecord(rr(u), Section.UPDATE);
    }
    if (lease != null) {
      m.addRecord(
          new OPTRecord(1440, 0, 0, 0, UpdateLeaseOption.of(lease).toOption()), Section.ADDITIONAL);
    }
    return new WriterJob.Update(m, KEY, done::add);
  }

  @Test
  void eachUpdateSeesThePreviousOneAndARejectedOneChangesNothing() {
    var first = update(600L, List.of(), "a 120 IN A 192.0.2.1");
    // Prerequisite "a exists" holds only because the first update of the batch added it.
    var second = update(600L, List.of(rr("a 0 ANY ANY")), "b 120 IN A 192.0.2.2");
    // Prerequisite "c exists" fails: NXDOMAIN, and its add of d is not applied.
    var third = update(600L, List.of(rr("c 0 ANY ANY")), "d 120 IN A 192.0.2.4");
    var fourth = update(null, List.of(), "e 120 IN A 192.0.2.5");
    BatchPlan plan =
        evaluator.evaluate(Fixtures.zone(10), List.of(first, second, third, fourth), GRANTS, NOW);

    assertThat(plan.results()).hasSize(4);
    assertThat(plan.results().get(0)).isInstanceOf(JobResult.Applied.class);
    assertThat(plan.results().get(1)).isInstanceOf(JobResult.Applied.class);
    assertThat(plan.results().get(2))
        .isEqualTo(
            new JobResult.Rejected(Rcode.NXDOMAIN, "name not in use: c.alice.members.example."));
    JobResult.Applied a = (JobResult.Applied) plan.results().get(0);
    assertThat(a.replyLease()).contains(UpdateLeaseOption.of(600));
    assertThat(a.leaseGranted()).hasValue(600);
    assertThat(((JobResult.Applied) plan.results().get(3)).replyLease()).isEmpty();
    assertThat(((JobResult.Applied) plan.results().get(3)).leaseGranted()).hasValue(3600);

    assertThat(plan.diff().added())
        .extracting(zr -> zr.record().getName().getLabelString(0))
        .containsExactly("a", "b", "e");
    assertThat(plan.diff().removed()).isEmpty();
    assertThat(plan.expiryOnly()).isFalse();
    assertThat(plan.writer(plan.diff().added().get(0))).isEqualTo(KEY.toString());
  }

  @Test
  void aRemovedKeyWritesNothing() {
    var job = update(600L, List.of(), "a 120 IN A 192.0.2.1");
    BatchPlan plan = evaluator.evaluate(Fixtures.zone(10), List.of(job), Map.of(), NOW);
    assertThat(plan.results()).containsExactly(new JobResult.KeyRevoked());
    assertThat(plan.diff().isEmpty()).isTrue();
  }

  @Test
  void aGoneZoneAnswersNotauthOrBadkey() {
    var job = update(600L, List.of(), "a 120 IN A 192.0.2.1");
    assertThat(evaluator.evaluate(null, List.of(job), GRANTS, NOW).results().get(0))
        .isInstanceOf(JobResult.Rejected.class)
        .extracting(r -> ((JobResult.Rejected) r).rcode())
        .isEqualTo(Rcode.NOTAUTH);
    assertThat(evaluator.evaluate(null, List.of(job), Map.of(), NOW).results())
        .containsExactly(new JobResult.KeyRevoked());
  }

  @Test
  void refreshOfIdenticalDataOnlyMovesLeases() {
    var job = update(7200L, List.of(), "a 120 IN A 192.0.2.1");
    BatchPlan plan =
        evaluator.evaluate(
            Fixtures.zone(10, "+100 a 120 IN A 192.0.2.1"), List.of(job), GRANTS, NOW);
    assertThat(plan.diff().contentChanged()).isFalse();
    assertThat(plan.diff().leaseChanged()).hasSize(1);
    assertThat(plan.diff().leaseChanged().get(0).leaseExpiresMillis()).isEqualTo(NOW + 7_200_000);
  }

  @Test
  void reapRemovesExpiredRowsOnlyAndIsKindExpire() {
    List<JobResult> reaped = new ArrayList<>();
    BatchPlan plan =
        evaluator.evaluate(
            Fixtures.zone(
                10,
                "-1 gone 120 IN A 192.0.2.1",
                "+100 live 120 IN A 192.0.2.2",
                "perm 120 IN A 192.0.2.3"),
            List.of(new WriterJob.Reap(reaped::add)),
            Map.of(),
            NOW);
    assertThat(plan.results()).containsExactly(new JobResult.Reaped(1));
    assertThat(plan.diff().removed())
        .extracting(ZoneRecord::record)
        .extracting(r -> r.getName().getLabelString(0))
        .containsExactly("gone");
    assertThat(plan.expiryOnly()).isTrue();
    assertThat(plan.records()).hasSize(2);
  }
}
