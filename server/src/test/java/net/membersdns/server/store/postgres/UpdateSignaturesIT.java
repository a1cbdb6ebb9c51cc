package net.membersdns.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.feed.SnapshotUpdater;
import net.membersdns.server.member.MemberNames;
import net.membersdns.server.member.MemberService;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.update.BatchEvaluator;
import net.membersdns.server.update.JobResult;
import net.membersdns.server.update.SignaturePruner;
import net.membersdns.server.update.UpdateLeasePolicy;
import net.membersdns.server.update.UpdateSignature;
import net.membersdns.server.update.WriterJob;
import net.membersdns.server.update.ZoneCommitter;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * Replay protection in the store (V7 {@code update_signatures}): a signature recorded by one commit
 * is refused by every later one, on every process sharing the database, in the same transaction as
 * the update; a replay inside a group fails nothing else; racing copies on two processes apply
 * once; a refused update uses its signature too; pruning forgets only signatures that stopped
 * verifying. Two {@link Database} pools stand for two server processes.
 */
class UpdateSignaturesIT {
  private static final Name DOMAIN = Names.absolute("members.example.");
  private static final Name ALICE = Names.absolute("alice.members.example.");
  private static final Name ALICE_KEY = Names.absolute("alice.key.members.example.");
  private static final Name BOB = Names.absolute("bob.members.example.");
  private static final Name BOB_KEY = Names.absolute("bob.key.members.example.");
  private static final long NOW = System.currentTimeMillis();

  private final ZoneSettings settings =
      ZoneSettings.defaults(DOMAIN, List.of(InetAddress.getLoopbackAddress()), 53, 853);
  private final BatchEvaluator evaluator =
      new BatchEvaluator(new UpdateLeasePolicy(60, 7200, 7200, false), settings);
  private TestDatabase testDb;
  private Database one;
  private Database two;
  private int macs;

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
    one = Database.open(testDb.config(Path.of("target")), new SimpleMeterRegistry());
    two = Database.open(testDb.config(Path.of("target")), new SimpleMeterRegistry());
    new PostgresZoneStore(one.dataSource(), Clock.systemUTC()).ensureDomainZone(DOMAIN);
    MemberService members =
        new MemberService(
            new MemberStore(one),
            DOMAIN,
            MemberNames.DEFAULT_RESERVED,
            new SecureRandom(),
            Clock.systemUTC());
    members.add("alice", TsigAlgorithm.HMAC_SHA256, Optional.empty());
    members.add("bob", TsigAlgorithm.HMAC_SHA256, Optional.empty());
  }

  @AfterEach
  void close() {
    one.close();
    two.close();
    testDb.close();
  }

  /** A signature of {@code key}, distinct from every other this test made. */
  private UpdateSignature signature(Name key) {
    byte[] mac = new byte[32];
    mac[0] = (byte) ++macs;
    mac[1] = (byte) (macs >> 8);
    return new UpdateSignature(key, NOW / 1000, 300, mac);
  }

  private static Message add(Name zone, String label, String prerequisite) throws Exception {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.UPDATE);
    m.addRecord(Record.newRecord(zone, Type.SOA, DClass.IN), Section.ZONE);
    Name owner = Names.absolute(label + "." + zone);
    if (prerequisite != null) {
      // RFC 2136 §2.4.5: name is not in use.
      m.addRecord(
          Record.newRecord(Names.absolute(prerequisite + "." + zone), Type.ANY, DClass.NONE, 0),
          Section.PREREQ);
    }
    m.addRecord(Record.fromString(owner, Type.A, DClass.IN, 60, "192.0.2.1", zone), Section.UPDATE);
    return m;
  }

  /** One job of {@code key} on {@code zone}, and the batch that carries it. */
  private record Job(Name zone, Name key, WriterJob.Update update) {}

  private static Job job(Name zone, Name key, Message m, UpdateSignature s) {
    return new Job(zone, key, new WriterJob.Update(m, key, Optional.of(s), r -> {}));
  }

  /** Commits the jobs as ONE group (one batch per zone, jobs in order) on {@code db}. */
  private List<JobResult> commit(Database db, Job... jobs) {
    ServedZones served = new ServedZones();
    new SnapshotUpdater(new PostgresZoneStore(db.dataSource(), Clock.systemUTC()), served, settings)
        .loadAll();
    List<Name> zones = new ArrayList<>();
    for (Job j : jobs) {
      if (!zones.contains(j.zone())) {
        zones.add(j.zone());
      }
    }
    List<ZoneCommitter.Batch> batches = new ArrayList<>();
    List<List<Job>> perZone = new ArrayList<>();
    for (Name zone : zones) {
      List<Job> mine = List.of(jobs).stream().filter(j -> j.zone().equals(zone)).toList();
      perZone.add(mine);
      List<WriterJob> writerJobs = mine.stream().map(j -> (WriterJob) j.update()).toList();
      batches.add(
          new ZoneCommitter.Batch(
              zone,
              served.get(zone),
              mine.stream().map(Job::key).collect(Collectors.toSet()),
              mine.stream()
                  .map(j -> j.update().signature().orElseThrow())
                  .collect(Collectors.toSet()),
              (base, grants, used) -> evaluator.evaluate(base, writerJobs, grants, used, NOW)));
    }
    List<ZoneCommitter.Commit> commits =
        new PostgresZoneCommitter(db.dataSource(), settings).commit(batches);
    List<JobResult> out = new ArrayList<>();
    for (Job j : jobs) {
      int z = zones.indexOf(j.zone());
      out.add(commits.get(z).plan().results().get(perZone.get(z).indexOf(j)));
    }
    return out;
  }

  private long count(String sql) throws Exception {
    try (Connection c = one.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aSignatureRecordedByOneProcessIsRefusedByAnother() throws Exception {
    UpdateSignature s = signature(ALICE_KEY);
    Message m = add(ALICE, "mbp", null);
    assertThat(commit(one, job(ALICE, ALICE_KEY, m, s)))
        .allMatch(JobResult.Applied.class::isInstance);
    exec("DELETE FROM records");
    assertThat(commit(two, job(ALICE, ALICE_KEY, m, s))).containsExactly(new JobResult.Replayed());
    assertThat(commit(one, job(ALICE, ALICE_KEY, m, s))).containsExactly(new JobResult.Replayed());
    assertThat(count("SELECT count(*) FROM records")).as("the delete is not undone").isZero();
    assertThat(count("SELECT count(*) FROM update_signatures")).isEqualTo(1);
    assertThat(
            count(
                "SELECT count(*) FROM update_signatures WHERE key_name = '"
                    + ALICE_KEY
                    + "' AND expires = time_signed + interval '300 seconds'"))
        .isEqualTo(1);
  }

  @Test
  void aReplayInAGroupChangesNothingWhileTheOthersCommit() throws Exception {
    UpdateSignature used = signature(ALICE_KEY);
    commit(one, job(ALICE, ALICE_KEY, add(ALICE, "old", null), used));
    long serial = count("SELECT serial FROM zones WHERE apex = '" + ALICE + "'");
    UpdateSignature fresh = signature(ALICE_KEY);
    List<JobResult> results =
        commit(
            two,
            job(ALICE, ALICE_KEY, add(ALICE, "replayed", null), used),
            job(ALICE, ALICE_KEY, add(ALICE, "new", null), fresh),
            job(BOB, BOB_KEY, add(BOB, "b", null), signature(BOB_KEY)),
            // the same signature twice in one batch: the second is the replay
            job(ALICE, ALICE_KEY, add(ALICE, "new", null), fresh));
    assertThat(results.get(0)).isEqualTo(new JobResult.Replayed());
    assertThat(results.get(1)).isInstanceOf(JobResult.Applied.class);
    assertThat(results.get(2)).isInstanceOf(JobResult.Applied.class);
    assertThat(results.get(3)).isEqualTo(new JobResult.Replayed());
    assertThat(count("SELECT count(*) FROM records WHERE owner LIKE 'replayed.%'")).isZero();
    assertThat(count("SELECT count(*) FROM records WHERE owner LIKE 'new.%'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM records WHERE owner LIKE 'b.%'")).isEqualTo(1);
    assertThat(count("SELECT serial FROM zones WHERE apex = '" + ALICE + "'"))
        .isEqualTo(serial + 1);
    assertThat(count("SELECT count(*) FROM update_signatures")).isEqualTo(3);
  }

  @Test
  void copiesRacingOnTwoProcessesApplyExactlyOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 20; i++) {
        UpdateSignature s = signature(ALICE_KEY);
        Message m = add(ALICE, "race" + i, null);
        CountDownLatch go = new CountDownLatch(1);
        Future<List<JobResult>> a =
            pool.submit(() -> {
              go.await();
              return commit(one, job(ALICE, ALICE_KEY, m, s));
            });
        Future<List<JobResult>> b =
            pool.submit(() -> {
              go.await();
              return commit(two, job(ALICE, ALICE_KEY, m, s));
            });
        go.countDown();
        List<JobResult> both = new ArrayList<>(a.get());
        both.addAll(b.get());
        assertThat(both)
            .as("copy %d", i)
            .filteredOn(JobResult.Applied.class::isInstance)
            .hasSize(1);
        assertThat(both).as("copy %d", i).contains(new JobResult.Replayed());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(count("SELECT count(*) FROM update_signatures")).isEqualTo(20);
  }

  @Test
  void anUpdateRefusedByItsPrerequisiteUsesItsSignatureToo() throws Exception {
    commit(one, job(ALICE, ALICE_KEY, add(ALICE, "taken", null), signature(ALICE_KEY)));
    UpdateSignature s = signature(ALICE_KEY);
    Message ifFree = add(ALICE, "web", "taken");
    JobResult refused = commit(one, job(ALICE, ALICE_KEY, ifFree, s)).get(0);
    assertThat(refused).isInstanceOf(JobResult.Rejected.class);
    assertThat(((JobResult.Rejected) refused).rcode()).isEqualTo(Rcode.YXDOMAIN);
    exec("DELETE FROM records WHERE owner = 'taken." + ALICE + "'");
    // Its prerequisite holds now; replayed, it still must not apply.
    assertThat(commit(two, job(ALICE, ALICE_KEY, ifFree, s)))
        .containsExactly(new JobResult.Replayed());
    assertThat(count("SELECT count(*) FROM records WHERE owner LIKE 'web.%'")).isZero();
  }

  @Test
  void thePrunerForgetsOnlySignaturesPastTheirFudgeAndTheMargin() throws Exception {
    long margin = PostgresUsedSignatures.MARGIN.toSeconds();
    long now = System.currentTimeMillis() / 1000;
    UpdateSignature gone =
        new UpdateSignature(
            ALICE_KEY, now - 300 - margin - 60, 300, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    UpdateSignature inMargin =
        new UpdateSignature(
            ALICE_KEY, now - 300 - margin + 60, 300, new byte[] {2, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    UpdateSignature live =
        new UpdateSignature(ALICE_KEY, now, 300, new byte[] {3, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    UpdateSignature longFudge =
        new UpdateSignature(
            ALICE_KEY, now - 3600, 7200, new byte[] {4, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    try (Connection c = one.dataSource().getConnection()) {
      assertThat(UpdateSignatureDao.record(c, List.of(gone, inMargin, live, longFudge))).isEmpty();
      assertThat(UpdateSignatureDao.record(c, List.of(live))).containsExactly(live);
    }
    assertThat(new SignaturePruner(new PostgresUsedSignatures(two.dataSource())).pruneOnce())
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM update_signatures")).isEqualTo(3);
    try (Connection c = one.dataSource().getConnection()) {
      assertThat(UpdateSignatureDao.record(c, List.of(gone, inMargin, live, longFudge)))
          .isEqualTo(Set.of(inMargin, live, longFudge));
    }
  }

  private void exec(String sql) throws Exception {
    try (Connection c = one.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
