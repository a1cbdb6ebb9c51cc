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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.feed.ChangeEvents;
import net.membersdns.server.feed.SnapshotUpdater;
import net.membersdns.server.feed.ZoneChange;
import net.membersdns.server.lease.LeaseReaper;
import net.membersdns.server.member.HostService;
import net.membersdns.server.member.MemberNames;
import net.membersdns.server.member.MemberService;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.update.BatchEvaluator;
import net.membersdns.server.update.JobResult;
import net.membersdns.server.update.UpdateLeasePolicy;
import net.membersdns.server.update.WriterJob;
import net.membersdns.server.update.ZoneWriter;
import net.membersdns.server.update.ZoneWriters;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The writer's transaction against a real PostgreSQL: atomicity, failure, refresh, reaper, keys.
 */
class ZoneWriterIT {
  private static final Name DOMAIN = Names.absolute("members.example.");
  private static final Name ZONE = Names.absolute("alice.members.example.");
  private static final Name KEY = Names.absolute("alice.key.members.example.");
  private static final Name BOB = Names.absolute("bob.members.example.");
  private static final Name BOB_KEY = Names.absolute("bob.key.members.example.");
  private static final Name CAROL = Names.absolute("carol.members.example.");
  private static final Name CAROL_KEY = Names.absolute("carol.key.members.example.");

  private TestDatabase testDb;
  private Database db;
  private ServedZones served;
  private ZoneWriters writers;
  private final List<ZoneChange> changes = new ArrayList<>();
  private final ZoneSettings settings =
      ZoneSettings.defaults(DOMAIN, List.of(InetAddress.getLoopbackAddress()), 53, 853);
  private long now = 1_900_000_000_000L;

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
    db = Database.open(testDb.config(Path.of("target")), new SimpleMeterRegistry());
    PostgresZoneStore store = new PostgresZoneStore(db.dataSource(), Clock.systemUTC());
    store.ensureDomainZone(DOMAIN);
    MemberService members =
        new MemberService(
            new MemberStore(db),
            DOMAIN,
            MemberNames.DEFAULT_RESERVED,
            new SecureRandom(),
            Clock.systemUTC());
    for (String member : List.of("alice", "bob", "carol")) {
      members.add(member, TsigAlgorithm.HMAC_SHA256, Optional.empty());
    }
    served = new ServedZones();
    new SnapshotUpdater(store, served, settings).loadAll();
    writers = writers(ZoneWriters.newExecutor(2), ZoneWriters.Grouping.of(2));
  }

  /** Writers on {@code executor}, sharing this test's database, snapshot and events. */
  private ZoneWriters writers(Executor executor, ZoneWriters.Grouping grouping) {
    return new ZoneWriters(
        100,
        grouping,
        new ZoneWriter.Context(
            new PostgresZoneCommitter(db.dataSource(), settings),
            new BatchEvaluator(new UpdateLeasePolicy(60, 7200, 7200, false), settings),
            served,
            settings,
            new ChangeEvents(changes::add),
            new UpdateMetrics(new SimpleMeterRegistry()),
            new Clock() {
              @Override
              public Instant instant() {
                return Instant.ofEpochMilli(now);
              }

              @Override
              public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
              }

              @Override
              public Clock withZone(java.time.ZoneId zone) {
                return this;
              }
            },
            executor,
            new AtomicLong()));
  }

  @AfterEach
  void close() {
    writers.close();
    db.close();
    testDb.close();
  }

  private static Message update(Long lease, String... lines) throws Exception {
    return update(ZONE, lease, lines);
  }

  private static Message update(Name zone, Long lease, String... lines) throws Exception {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.UPDATE);
    m.addRecord(Record.newRecord(zone, Type.SOA, DClass.IN), Section.ZONE);
    for (String line : lines) {
      String[] f = line.split(" ", 4);
      Name owner = Names.absolute(f[0] + "." + zone);
      m.addRecord(
          Record.fromString(owner, Type.value(f[2]), DClass.IN, Long.parseLong(f[1]), f[3], zone),
          Section.UPDATE);
    }
    if (lease != null) {
      m.addRecord(
          new OPTRecord(1440, 0, 0, 0, UpdateLeaseOption.of(lease).toOption()), Section.ADDITIONAL);
    }
    return m;
  }

  private List<JobResult> run(Message... updates) throws Exception {
    List<CompletableFuture<JobResult>> futures = new ArrayList<>();
    for (Message m : updates) {
      CompletableFuture<JobResult> f = new CompletableFuture<>();
      assertThat(writers.submit(ZONE, new WriterJob.Update(m, KEY, f::complete))).isTrue();
      futures.add(f);
    }
    List<JobResult> out = new ArrayList<>();
    for (var f : futures) {
      out.add(f.get(10, TimeUnit.SECONDS));
    }
    return out;
  }

  private long count(String sql) {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void exec(String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private long serial() throws Exception {
    return serial(ZONE);
  }

  private long serial(Name zone) throws Exception {
    return count("SELECT serial FROM zones WHERE apex = '" + zone + "'");
  }

  @Test
  void updatesCommitWithSerialJournalAndEventThenRefreshOnlyMovesTheLease() throws Exception {
    long serial0 = serial();
    assertThat(run(update(3600L, "mbp 120 AAAA fd12::1", "mbp 120 A 192.0.2.1")))
        .allMatch(r -> r instanceof JobResult.Applied);
    assertThat(serial()).isEqualTo(serial0 + 1);
    assertThat(served.get(ZONE).serial()).isEqualTo(serial0 + 1);
    assertThat(count("SELECT count(*) FROM records WHERE lease_expires IS NOT NULL")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM zone_changes WHERE kind = 'update'")).isEqualTo(1);
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).added()).hasSize(2);
    long generation = served.get(ZONE).generation();

    now += 60_000;
    assertThat(run(update(3600L, "mbp 120 AAAA fd12::1", "mbp 120 A 192.0.2.1")))
        .allMatch(r -> r instanceof JobResult.Applied);
    assertThat(serial()).as("refresh: no serial bump").isEqualTo(serial0 + 1);
    assertThat(count("SELECT count(*) FROM zone_changes WHERE kind = 'update'"))
        .as("refresh: no journal row")
        .isEqualTo(1);
    assertThat(changes).as("refresh: no event").hasSize(1);
    assertThat(served.get(ZONE).generation()).isGreaterThan(generation);
    assertThat(
            count(
                "SELECT count(*) FROM records WHERE lease_expires = to_timestamp("
                    + (now / 1000 + 3600)
                    + ")"))
        .isEqualTo(2);
  }

  @Test
  void aDatabaseFailureMidTransactionFailsTheBatchAndChangesNothing() throws Exception {
    run(update(3600L, "old 120 A 192.0.2.9"));
    long serial0 = serial();
    long records0 = count("SELECT count(*) FROM records");
    // Fails the journal insert: records were already deleted and inserted in the transaction.
    exec(
        "CREATE FUNCTION fail_journal() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full';"
            + " END $$ LANGUAGE plpgsql");
    exec(
        "CREATE TRIGGER fail_journal BEFORE INSERT ON zone_changes FOR EACH ROW"
            + " EXECUTE FUNCTION fail_journal()");
    Message delete = new Message();
    delete.getHeader().setOpcode(Opcode.UPDATE);
    delete.addRecord(Record.newRecord(ZONE, Type.SOA, DClass.IN), Section.ZONE);
    delete.addRecord(
        Record.newRecord(Names.absolute("old." + ZONE), Type.ANY, DClass.ANY, 0), Section.UPDATE);
    List<JobResult> results = run(update(3600L, "new 120 A 192.0.2.1"), delete);
    assertThat(results).hasSize(2).allMatch(r -> r instanceof JobResult.Failed);
    assertThat(serial()).isEqualTo(serial0);
    assertThat(count("SELECT count(*) FROM records")).isEqualTo(records0);
    assertThat(count("SELECT count(*) FROM records WHERE owner = 'old." + ZONE + "'")).isEqualTo(1);
    assertThat(served.get(ZONE).serial()).isEqualTo(serial0);
    assertThat(changes).hasSize(1);

    exec("DROP TRIGGER fail_journal ON zone_changes");
    assertThat(run(update(3600L, "new 120 A 192.0.2.1")))
        .allMatch(r -> r instanceof JobResult.Applied);
    assertThat(serial()).isEqualTo(serial0 + 1);
  }

  @Test
  void aKilledConnectionMidTransactionIsServfailAndNothingChanges() throws Exception {
    long serial0 = serial();
    // Another session holds the zone row, so the writer's transaction waits inside its lock;
    // then its backend is terminated.
    try (Connection blocker = db.dataSource().getConnection()) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("SELECT 1 FROM zones WHERE apex = '" + ZONE + "' FOR UPDATE");
      }
      CompletableFuture<JobResult> f = new CompletableFuture<>();
      writers.submit(
          ZONE, new WriterJob.Update(update(3600L, "x 120 A 192.0.2.1"), KEY, f::complete));
      Await.until(() ->
          count(
                  "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                      + " AND query LIKE '%FOR UPDATE OF z%'")
              > 0);
      exec(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
              + " AND query LIKE '%FOR UPDATE OF z%'");
      assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(JobResult.Failed.class);
      blocker.rollback();
    }
    assertThat(serial()).isEqualTo(serial0);
    assertThat(count("SELECT count(*) FROM records")).isZero();
    assertThat(run(update(3600L, "x 120 A 192.0.2.1")))
        .allMatch(r -> r instanceof JobResult.Applied);
  }

  @Test
  void theReaperRemovesExpiredRecordsThroughTheWriter() throws Exception {
    run(update(60L, "short 120 A 192.0.2.1"), update(7200L, "long 120 A 192.0.2.2"));
    long serial0 = serial();
    LeaseReaper reaper =
        new LeaseReaper(
            new PostgresZoneStore(db.dataSource(), Clock.systemUTC())::zonesWithExpiredLeases,
            writers,
            Clock.fixed(Instant.ofEpochMilli(now + 61_000), ZoneOffset.UTC),
            java.time.Duration.ofHours(1),
            new UpdateMetrics(new SimpleMeterRegistry()));
    assertThat(reaper.reapOnce())
        .as("queued; the writer's clock has not reached the expiry yet")
        .isEqualTo(1);
    now += 61_000;
    assertThat(reaper.reapOnce()).isEqualTo(1);
    Await.until(() -> count("SELECT count(*) FROM records") == 1);
    assertThat(serial()).isEqualTo(serial0 + 1);
    assertThat(count("SELECT count(*) FROM zone_changes WHERE kind = 'expire'")).isEqualTo(1);
    assertThat(changes.get(changes.size() - 1).removed()).hasSize(1);
    assertThat(served.get(ZONE).node(Names.absolute("short." + ZONE))).isNull();
    reaper.close();
  }

  @Test
  void aKeyRemovedBeforeTheCommitWritesNothing() throws Exception {
    exec("DELETE FROM tsig_keys WHERE name = '" + KEY + "'");
    assertThat(run(update(3600L, "x 120 A 192.0.2.1"))).containsExactly(new JobResult.KeyRevoked());
    assertThat(count("SELECT count(*) FROM records")).isZero();
  }

  @Test
  void aStaleSnapshotIsReloadedInsideTheTransaction() throws Exception {
    run(update(3600L, "a 120 A 192.0.2.1"));
    // Another process commits behind this one's back (no NOTIFY listener here).
    exec(
        "INSERT INTO records (zone_id, owner, rtype, rclass, ttl, rdata, written_by)"
            + " SELECT id, 'b."
            + ZONE
            + "', 1, 1, 60, '\\xc0000202'::bytea, 'other' FROM zones"
            + " WHERE apex = '"
            + ZONE
            + "'");
    exec("UPDATE zones SET generation = nextval('zone_generation') WHERE apex = '" + ZONE + "'");
    Message needsB = update(3600L, "c 120 A 192.0.2.3");
    needsB.addRecord(
        Record.newRecord(Names.absolute("b." + ZONE), Type.ANY, DClass.ANY, 0), Section.PREREQ);
    assertThat(run(needsB)).allMatch(r -> r instanceof JobResult.Applied);
    assertThat(served.get(ZONE).node(Names.absolute("b." + ZONE))).isNotNull();
    assertThat(count("SELECT count(*) FROM records")).isEqualTo(3);
  }

  @Test
  void aHostKeysGrantIsReadInsideTheCommitOwnNamesApplyAnotherHostsAreRefused() throws Exception {
    Name mbp = hosts().add("alice", "mbp", TsigAlgorithm.HMAC_SHA256).key().name();
    List<CompletableFuture<JobResult>> futures =
        List.of(
            submitHeld(ZONE, mbp, update(3600L, "mbp 120 AAAA fd12::1")),
            submitHeld(ZONE, mbp, update(3600L, "mini 120 AAAA fd12::2")),
            submitHeld(ZONE, KEY, update(3600L, "mini 120 AAAA fd12::3")));
    commitHeld();
    List<JobResult> results = results(futures);
    assertThat(results.get(0)).isInstanceOf(JobResult.Applied.class);
    assertThat(results.get(1)).isInstanceOf(JobResult.Rejected.class);
    assertThat(((JobResult.Rejected) results.get(1)).rcode()).isEqualTo(Rcode.REFUSED);
    assertThat(results.get(2))
        .as("the member's key is not restricted")
        .isInstanceOf(JobResult.Applied.class);
    assertThat(count("SELECT count(*) FROM records WHERE written_by = '" + mbp + "'")).isOne();
    assertThat(count("SELECT count(*) FROM records WHERE owner = 'mini." + ZONE + "'"))
        .as("only the member key's mini AAAA")
        .isOne();
  }

  @Test
  void aHostRemovedBetweenQueueingAndCommitWritesNothing() throws Exception {
    Name mbp = hosts().add("alice", "mbp", TsigAlgorithm.HMAC_SHA256).key().name();
    CompletableFuture<JobResult> queued =
        submitHeld(ZONE, mbp, update(3600L, "mbp 120 AAAA fd12::1"));
    hosts().remove("alice", "mbp");
    commitHeld();
    assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(new JobResult.KeyRevoked());
    assertThat(count("SELECT count(*) FROM records")).isZero();
  }

  private HostService hosts() {
    return new HostService(new MemberStore(db), DOMAIN, new SecureRandom());
  }

  /** Writers whose one committer runs only when the test runs {@code tasks}. */
  private final List<Runnable> tasks = new ArrayList<>();

  private ZoneWriters held;

  private CompletableFuture<JobResult> submitHeld(Name zone, Name key, Message m) {
    if (held == null) {
      held = writers(tasks::add, ZoneWriters.Grouping.of(1));
    }
    CompletableFuture<JobResult> f = new CompletableFuture<>();
    assertThat(held.submit(zone, new WriterJob.Update(m, key, f::complete))).isTrue();
    return f;
  }

  /** Runs the held committer: everything submitted so far forms one group. */
  private void commitHeld() {
    assertThat(tasks).hasSize(1);
    tasks.remove(0).run();
  }

  private static List<JobResult> results(List<CompletableFuture<JobResult>> futures)
      throws Exception {
    List<JobResult> out = new ArrayList<>();
    for (var f : futures) {
      out.add(f.get(10, TimeUnit.SECONDS));
    }
    return out;
  }

  @Test
  void updatesToSeveralZonesCommitInOneTransaction() throws Exception {
    run(update(3600L, "a 120 A 192.0.2.1")); // alice: something to refresh below
    long alice0 = serial(ZONE);
    long bob0 = serial(BOB);
    long carol0 = serial(CAROL);
    long journal0 = count("SELECT count(*) FROM zone_changes");
    changes.clear();
    now += 60_000;
    List<CompletableFuture<JobResult>> futures =
        List.of(
            submitHeld(ZONE, KEY, update(3600L, "a 120 A 192.0.2.1")), // lease refresh only
            submitHeld(BOB, BOB_KEY, update(BOB, 3600L, "b 120 A 192.0.2.2")),
            submitHeld(CAROL, CAROL_KEY, update(CAROL, 3600L, "c 120 A 192.0.2.3")),
            submitHeld(BOB, BOB_KEY, update(BOB, null, "b2 120 TXT \"x\"")));
    commitHeld();
    assertThat(results(futures)).allMatch(r -> r instanceof JobResult.Applied);
    assertThat(serial(ZONE)).as("refresh: no serial bump").isEqualTo(alice0);
    assertThat(serial(BOB)).as("one bump for the zone's batch").isEqualTo(bob0 + 1);
    assertThat(serial(CAROL)).isEqualTo(carol0 + 1);
    assertThat(count("SELECT count(*) FROM zone_changes") - journal0)
        .as("one journal row per zone whose content changed")
        .isEqualTo(2);
    // One transaction wrote the three zone rows, the records and the journal rows.
    assertThat(
            count(
                "SELECT count(DISTINCT x) FROM (SELECT xmin::text AS x FROM zones WHERE member_id"
                    + " IS NOT NULL UNION ALL SELECT xmin::text FROM records UNION ALL SELECT"
                    + " xmin::text FROM zone_changes WHERE apex <> '"
                    + ZONE
                    + "' AND kind = 'update') t"))
        .isEqualTo(1);
    assertThat(
            count(
                "SELECT count(*) FROM records WHERE owner = 'a."
                    + ZONE
                    + "' AND lease_expires = to_timestamp("
                    + (now / 1000 + 3600)
                    + ")"))
        .isEqualTo(1);
    assertThat(served.get(BOB).serial()).isEqualTo(bob0 + 1);
    assertThat(served.get(BOB).node(Names.absolute("b2." + BOB))).isNotNull();
    assertThat(served.get(CAROL).node(Names.absolute("c." + CAROL))).isNotNull();
    assertThat(changes).extracting(ZoneChange::apex).containsExactly(BOB, CAROL);
    assertThat(changes.get(0).added()).hasSize(2);
  }

  @Test
  void aRejectedUpdateOrRevokedKeyInAGroupChangesNothingWhileTheOthersCommit() throws Exception {
    exec("DELETE FROM tsig_keys WHERE name = '" + CAROL_KEY + "'");
    long alice0 = serial(ZONE);
    List<CompletableFuture<JobResult>> futures =
        List.of(
            submitHeld(ZONE, BOB_KEY, update(3600L, "x 120 A 192.0.2.9")), // not bob's zone
            submitHeld(ZONE, KEY, update(3600L, "a 120 A 192.0.2.1")),
            submitHeld(CAROL, CAROL_KEY, update(CAROL, 3600L, "c 120 A 192.0.2.3")),
            submitHeld(BOB, BOB_KEY, update(BOB, 3600L, "b 120 A 192.0.2.2")));
    commitHeld();
    List<JobResult> results = results(futures);
    assertThat(results.get(0)).isInstanceOf(JobResult.Rejected.class);
    assertThat(results.get(1)).isInstanceOf(JobResult.Applied.class);
    assertThat(results.get(2)).isEqualTo(new JobResult.KeyRevoked());
    assertThat(results.get(3)).isInstanceOf(JobResult.Applied.class);
    assertThat(serial(ZONE)).isEqualTo(alice0 + 1);
    assertThat(count("SELECT count(*) FROM records WHERE owner LIKE 'x.%'")).isZero();
    assertThat(count("SELECT count(*) FROM records WHERE owner LIKE 'c.%'")).isZero();
    assertThat(count("SELECT count(*) FROM records")).isEqualTo(2);
  }

  @Test
  void aFailureMidGroupFailsEveryUpdateOfTheGroupAndChangesNothing() throws Exception {
    run(update(3600L, "old 120 A 192.0.2.9"));
    long alice0 = serial(ZONE);
    long bob0 = serial(BOB);
    long records0 = count("SELECT count(*) FROM records");
    long journal0 = count("SELECT count(*) FROM zone_changes");
    int events0 = changes.size();
    // Only bob's journal row fails, after every zone's records were written.
    exec(
        "CREATE FUNCTION fail_bob() RETURNS trigger AS $$ BEGIN IF NEW.apex = '"
            + BOB
            + "' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
    exec(
        "CREATE TRIGGER fail_bob BEFORE INSERT ON zone_changes FOR EACH ROW"
            + " EXECUTE FUNCTION fail_bob()");
    Message delete = new Message();
    delete.getHeader().setOpcode(Opcode.UPDATE);
    delete.addRecord(Record.newRecord(ZONE, Type.SOA, DClass.IN), Section.ZONE);
    delete.addRecord(
        Record.newRecord(Names.absolute("old." + ZONE), Type.ANY, DClass.ANY, 0), Section.UPDATE);
    List<CompletableFuture<JobResult>> futures =
        List.of(
            submitHeld(ZONE, KEY, update(3600L, "new 120 A 192.0.2.1")),
            submitHeld(ZONE, KEY, delete),
            submitHeld(BOB, BOB_KEY, update(BOB, 3600L, "b 120 A 192.0.2.2")),
            submitHeld(CAROL, CAROL_KEY, update(CAROL, 3600L, "c 120 A 192.0.2.3")));
    commitHeld();
    assertThat(results(futures)).hasSize(4).allMatch(r -> r instanceof JobResult.Failed);
    assertThat(serial(ZONE)).isEqualTo(alice0);
    assertThat(serial(BOB)).isEqualTo(bob0);
    assertThat(count("SELECT count(*) FROM records")).isEqualTo(records0);
    assertThat(count("SELECT count(*) FROM records WHERE owner = 'old." + ZONE + "'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM zone_changes")).isEqualTo(journal0);
    assertThat(served.get(ZONE).serial()).isEqualTo(alice0);
    assertThat(served.get(CAROL).node(Names.absolute("c." + CAROL))).isNull();
    assertThat(changes).hasSize(events0);

    exec("DROP TRIGGER fail_bob ON zone_changes");
    List<CompletableFuture<JobResult>> again =
        List.of(
            submitHeld(BOB, BOB_KEY, update(BOB, 3600L, "b 120 A 192.0.2.2")),
            submitHeld(CAROL, CAROL_KEY, update(CAROL, 3600L, "c 120 A 192.0.2.3")));
    commitHeld();
    assertThat(results(again)).allMatch(r -> r instanceof JobResult.Applied);
    assertThat(serial(BOB)).isEqualTo(bob0 + 1);
  }

  @Test
  void theReaperOfManyZonesGoesThroughOneGroup() throws Exception {
    List<CompletableFuture<JobResult>> setup =
        List.of(
            submitHeld(ZONE, KEY, update(60L, "s 120 A 192.0.2.1", "l 120 A 192.0.2.5")),
            submitHeld(BOB, BOB_KEY, update(BOB, 60L, "s 120 A 192.0.2.2")),
            submitHeld(CAROL, CAROL_KEY, update(CAROL, 7200L, "l 120 A 192.0.2.3")));
    commitHeld();
    results(setup);
    long bob0 = serial(BOB);
    long carol0 = serial(CAROL);
    now += 61_000;
    List<CompletableFuture<JobResult>> reaps = new ArrayList<>();
    for (Name zone : List.of(ZONE, BOB, CAROL)) {
      CompletableFuture<JobResult> f = new CompletableFuture<>();
      assertThat(held.submit(zone, new WriterJob.Reap(f::complete))).isTrue();
      reaps.add(f);
    }
    commitHeld();
    assertThat(results(reaps))
        .containsExactly(new JobResult.Reaped(2), new JobResult.Reaped(1), new JobResult.Reaped(0));
    assertThat(count("SELECT count(*) FROM records")).isEqualTo(1);
    assertThat(serial(BOB)).isEqualTo(bob0 + 1);
    assertThat(serial(CAROL)).as("nothing expired: untouched").isEqualTo(carol0);
    assertThat(count("SELECT count(*) FROM zone_changes WHERE kind = 'expire'")).isEqualTo(2);
  }

  @Test
  void aNewTtlOrARevivedRecordIsRewrittenInPlaceWithSerialAndJournal() throws Exception {
    run(update(60L, "t 120 A 192.0.2.1", "r 120 A 192.0.2.2"));
    long serial0 = serial();
    long id = count("SELECT id FROM records WHERE owner = 't." + ZONE + "'");
    now += 61_000; // r expired (not reaped)
    assertThat(run(update(3600L, "t 300 A 192.0.2.1", "r 120 A 192.0.2.2")))
        .allMatch(r -> r instanceof JobResult.Applied);
    assertThat(serial()).isEqualTo(serial0 + 1);
    assertThat(count("SELECT count(*) FROM records")).isEqualTo(2);
    assertThat(count("SELECT ttl FROM records WHERE owner = 't." + ZONE + "'")).isEqualTo(300);
    assertThat(count("SELECT id FROM records WHERE owner = 't." + ZONE + "'")).isEqualTo(id);
    assertThat(
            count(
                "SELECT count(*) FROM records WHERE lease_expires = to_timestamp("
                    + (now / 1000 + 3600)
                    + ")"))
        .isEqualTo(2);
    assertThat(count("SELECT count(*) FROM zone_changes WHERE kind = 'update'")).isEqualTo(2);
    ZoneChange last = changes.get(changes.size() - 1);
    assertThat(last.added()).hasSize(2);
    assertThat(last.removed()).hasSize(2);
    assertThat(served.get(ZONE).node(Names.absolute("t." + ZONE)).get(Type.A).rrset().getTTL())
        .isEqualTo(300);
  }
}
