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
import java.util.List;
import java.util.Optional;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.member.MemberNames;
import net.membersdns.server.member.MemberService;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.store.postgres.MemberStore;
import net.membersdns.server.store.postgres.PgNotifications;
import net.membersdns.server.store.postgres.PostgresZoneStore;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** Two "servers" (pool + feed + snapshot each) on one database agree within a second. */
class ChangeFeedIT {
  private static final Name DOMAIN = Names.absolute("members.example.");
  private static final String FEED_A = "feed-it-a";
  private static final String FEED_B = "feed-it-b";

  private TestDatabase testDb;
  private Replica a;
  private Replica b;

  /** One process's worth of store, snapshot and feed. */
  private static final class Replica implements AutoCloseable {
    final Database db;
    final ServedZones served = new ServedZones();
    final ChangeFeed feed;
    final MemberService members;

    Replica(TestDatabase testDb, String appName) {
      db = Database.open(testDb.config(Path.of("target")), new SimpleMeterRegistry());
      PostgresZoneStore store = new PostgresZoneStore(db.dataSource(), Clock.systemUTC());
      store.ensureDomainZone(DOMAIN);
      ZoneSettings settings =
          ZoneSettings.defaults(DOMAIN, List.of(InetAddress.getLoopbackAddress()), 53, 853);
      SnapshotUpdater updater = new SnapshotUpdater(store, served, settings);
      updater.loadAll();
      feed =
          new ChangeFeed(
              PgNotifications.opener(db, appName), store, served, updater, Duration.ofSeconds(2));
      feed.start();
      members =
          new MemberService(
              new MemberStore(db),
              DOMAIN,
              MemberNames.DEFAULT_RESERVED,
              new SecureRandom(),
              Clock.systemUTC());
    }

    @Override
    public void close() {
      feed.close();
      db.close();
    }
  }

  @BeforeEach
  void open() {
    testDb = TestDatabase.create();
    a = new Replica(testDb, FEED_A);
    b = new Replica(testDb, FEED_B);
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
    testDb.close();
  }

  @Test
  void memberAddedOnOneReplicaIsServedByTheOtherWithinASecond() throws Exception {
    Name zone = Names.absolute("alice.members.example.");
    Listening.all(a.feed, b.feed);
    a.members.add("alice", TsigAlgorithm.HMAC_SHA256, Optional.empty());
    Await.until(Duration.ofSeconds(1), () -> b.served.get(zone) != null);
    Await.until(Duration.ofSeconds(1), () -> a.served.get(zone) != null);
    assertThat(b.served.get(zone).member()).isEqualTo("alice");

    a.members.remove("alice");
    Await.until(Duration.ofSeconds(1), () -> b.served.get(zone) == null);
    assertThat(b.served.get(DOMAIN)).isNotNull();
  }

  @Test
  void notificationMissedWhileDisconnectedIsRepaired() throws Exception {
    Name zone = Names.absolute("bob.members.example.");
    Listening.all(a.feed, b.feed);
    try (Connection c = a.db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      // Cut B's LISTEN connection, then commit while it is away: its NOTIFY is lost for B.
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE application_name = '"
              + FEED_B
              + "'");
    }
    a.members.add("bob", TsigAlgorithm.HMAC_MD5, Optional.empty());
    Await.until(Duration.ofSeconds(5), () -> b.served.get(zone) != null);
  }

  @Test
  void commitWithoutNotificationIsRepairedBySweep() throws Exception {
    Listening.all(a.feed, b.feed);
    long before = b.served.get(DOMAIN).generation();
    try (Connection c = a.db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      // A commit that (wrongly) sends no NOTIFY: only the sweep can notice it.
      s.execute(
          "UPDATE zones SET generation = nextval('zone_generation') WHERE apex = '" + DOMAIN + "'");
    }
    // The sweep (every 2 s) repairs it once a second sweep finds it still missing.
    Await.until(Duration.ofSeconds(10), () -> b.served.get(DOMAIN).generation() > before);
  }
}
