package net.membersdns.server.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.member.MemberNames;
import net.membersdns.server.member.MemberService;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.store.postgres.MemberStore;
import net.membersdns.server.store.postgres.PgNotifications;
import net.membersdns.server.store.postgres.PostgresZoneCommitter;
import net.membersdns.server.store.postgres.PostgresZoneStore;
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
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Commits of one replica reach the other's snapshot AND its change sink, from the journal: once per
 * commit, none for lease-only refreshes, and repaired after a missed notification.
 */
class ReplicaEventsIT {
  private static final Name DOMAIN = Names.absolute("members.example.");
  private static final Name ZONE = Names.absolute("alice.members.example.");
  private static final Name KEY = Names.absolute("alice.key.members.example.");
  private static final ZoneSettings SETTINGS =
      ZoneSettings.defaults(DOMAIN, List.of(InetAddress.getLoopbackAddress()), 53, 853);

  private TestDatabase testDb;
  private Replica a;
  private Replica b;

  /** Store, snapshot, events, feed and writers of one process. */
  private static final class Replica implements AutoCloseable {
    final Database db;
    final ServedZones served = new ServedZones();
    final List<ZoneChange> changes = new CopyOnWriteArrayList<>();
    final ChangeFeed feed;
    final ZoneWriters writers;

    Replica(TestDatabase testDb, String app) {
      db = Database.open(testDb.config(Path.of("target")), new SimpleMeterRegistry());
      PostgresZoneStore store = new PostgresZoneStore(db.dataSource(), Clock.systemUTC());
      ChangeEvents events = new ChangeEvents(changes::add);
      SnapshotUpdater updater = new SnapshotUpdater(store, served, SETTINGS, events);
      updater.loadAll();
      feed =
          new ChangeFeed(
              PgNotifications.opener(db, app), store, served, updater, Duration.ofSeconds(1));
      feed.start();
      writers =
          new ZoneWriters(
              100,
              new ZoneWriter.Context(
                  new PostgresZoneCommitter(db.dataSource(), SETTINGS),
                  new BatchEvaluator(UpdateLeasePolicy.defaults(), SETTINGS),
                  served,
                  SETTINGS,
                  events,
                  new UpdateMetrics(new SimpleMeterRegistry()),
                  Clock.systemUTC(),
                  ZoneWriters.newExecutor(2),
                  new AtomicLong()));
    }

    JobResult update(String owner, String address) throws Exception {
      Message m = new Message();
      m.getHeader().setOpcode(Opcode.UPDATE);
      m.addRecord(Record.newRecord(ZONE, Type.SOA, DClass.IN), Section.ZONE);
      m.addRecord(
          Record.fromString(
              Names.absolute(owner + "." + ZONE), Type.A, DClass.IN, 60, address, ZONE),
          Section.UPDATE);
      m.addRecord(
          new OPTRecord(1440, 0, 0, 0, UpdateLeaseOption.of(3600).toOption()), Section.ADDITIONAL);
      CompletableFuture<JobResult> f = new CompletableFuture<>();
      writers.submit(ZONE, new WriterJob.Update(m, KEY, f::complete));
      return f.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      writers.close();
      feed.close();
      db.close();
    }
  }

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
    Database setup = Database.open(testDb.config(Path.of("target")), new SimpleMeterRegistry());
    new PostgresZoneStore(setup.dataSource(), Clock.systemUTC()).ensureDomainZone(DOMAIN);
    new MemberService(
            new MemberStore(setup),
            DOMAIN,
            MemberNames.DEFAULT_RESERVED,
            new SecureRandom(),
            Clock.systemUTC())
        .add("alice", TsigAlgorithm.HMAC_SHA256, Optional.empty());
    setup.close();
    a = new Replica(testDb, "events-a");
    b = new Replica(testDb, "events-b");
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
    testDb.close();
  }

  /** The first label of the one record each change added, in the order the sink was told. */
  private static List<String> hostsAnnounced(Replica r) {
    return r.changes.stream().map(c -> c.added().get(0).getName().getLabelString(0)).toList();
  }

  @Test
  void aCommitOnOneReplicaIsAnEventOnBothOnceAndARefreshIsNone() throws Exception {
    Listening.all(a.feed, b.feed);
    assertThat(a.update("mbp", "192.0.2.1")).isInstanceOf(JobResult.Applied.class);
    Await.until(() -> b.changes.size() == 1);
    ZoneChange remote = b.changes.get(0);
    assertThat(remote.apex()).isEqualTo(ZONE);
    assertThat(remote.added()).hasSize(1);
    assertThat(remote.added().get(0).rdataToString()).isEqualTo("192.0.2.1");
    assertThat(remote.serial()).isEqualTo(b.served.get(ZONE).serial());
    assertThat(b.served.get(ZONE).node(Names.absolute("mbp." + ZONE))).isNotNull();

    // A refresh (the same record again) moves only the lease: no event anywhere. A later real
    // change is announced after anything the refresh could have caused, so once it arrives the
    // count is final: one event per content change, A's own feed adding no second one.
    assertThat(a.update("mbp", "192.0.2.1")).isInstanceOf(JobResult.Applied.class);
    assertThat(a.update("later", "192.0.2.9")).isInstanceOf(JobResult.Applied.class);
    Await.until(() -> hostsAnnounced(a).contains("later") && hostsAnnounced(b).contains("later"));
    assertThat(hostsAnnounced(a)).containsExactly("mbp", "later");
    assertThat(hostsAnnounced(b)).containsExactly("mbp", "later");
  }

  @Test
  void twoReplicasWritingOneZoneAlternatelyAnnounceEveryChangeOnBothOnceInOrder() throws Exception {
    // Issue 9: a replica committing to a zone before its feed replayed the other's previous
    // commit announced its own change and never the other's.
    Listening.all(a.feed, b.feed);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Replica writer = i % 2 == 0 ? a : b;
      assertThat(writer.update("h" + i, "192.0.2." + (i + 1)))
          .isInstanceOf(JobResult.Applied.class);
      written.add("h" + i);
    }
    Await.until(() -> a.changes.size() >= written.size() && b.changes.size() >= written.size());
    for (Replica r : List.of(a, b)) {
      assertThat(hostsAnnounced(r)).containsExactlyElementsOf(written);
      assertThat(r.changes).isSortedAccordingTo(Comparator.comparingLong(ZoneChange::serial));
    }
  }

  @Test
  void aMissedNotificationIsRepairedFromTheJournal() throws Exception {
    Listening.all(a.feed, b.feed);
    try (Connection c = a.db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE application_name = 'events-b'");
    }
    assertThat(b.update("first", "192.0.2.1")).isInstanceOf(JobResult.Applied.class);
    assertThat(a.update("second", "192.0.2.2")).isInstanceOf(JobResult.Applied.class);
    Await.until(() -> b.changes.size() == 2);
    assertThat(b.changes.get(0).generation()).isLessThan(b.changes.get(1).generation());
    assertThat(b.changes.get(1).added().get(0).getName().getLabelString(0)).isEqualTo("second");
  }
}
