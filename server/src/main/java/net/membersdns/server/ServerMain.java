package net.membersdns.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import net.membersdns.server.admin.AdminHttpServer;
import net.membersdns.server.admin.ProcessMetrics;
import net.membersdns.server.auth.TsigSigner;
import net.membersdns.server.auth.TsigVerifier;
import net.membersdns.server.config.ServerConfig;
import net.membersdns.server.feed.PgChangeFeed;
import net.membersdns.server.feed.SnapshotUpdater;
import net.membersdns.server.feed.ZoneChangeListener;
import net.membersdns.server.feed.ZoneChangeSink;
import net.membersdns.server.feed.ZoneDiffListener;
import net.membersdns.server.llq.ExecutorLlqScheduler;
import net.membersdns.server.llq.LlqAccess;
import net.membersdns.server.llq.LlqConfig;
import net.membersdns.server.llq.LlqHandler;
import net.membersdns.server.llq.LlqMetrics;
import net.membersdns.server.llq.LlqNotifier;
import net.membersdns.server.llq.LlqRegistry;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.pipeline.RequestDispatcher;
import net.membersdns.server.query.AnswerCache;
import net.membersdns.server.query.Lookup;
import net.membersdns.server.query.QueryHandler;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.store.postgres.PostgresKeyring;
import net.membersdns.server.store.postgres.PostgresZoneStore;
import net.membersdns.server.transport.DnsServer;
import net.membersdns.server.transport.TlsContextFactory;
import net.membersdns.server.update.UpdatePolicy;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The composition root: builds every part by constructor, in data-flow order, and stops them in
 * reverse (style.md §9.2). Start-up: database (migrated) → zones loaded into memory → change feed →
 * listeners → ready. Nothing here is a global.
 */
public final class ServerMain implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

  /** Entries of the query fast path; ~300 bytes each. */
  static final int ANSWER_CACHE_ENTRIES = 250_000;

  private final ServerConfig config;
  private final LlqConfig llqConfig;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private PrometheusMeterRegistry registry;
  private AutoCloseable processMetrics;
  private Database database;
  private PgChangeFeed feed;
  private DnsServer dns;
  private AdminHttpServer admin;
  private ExecutorLlqScheduler llqScheduler;
  private volatile ZoneChangeSink zoneChangeSink = ZoneChangeSink.NONE;

  /** With the default LLQ policy. */
  public ServerMain(ServerConfig config) {
    this(config, LlqConfig.defaults());
  }

  public ServerMain(ServerConfig config, LlqConfig llqConfig) {
    this.config = config;
    this.llqConfig = llqConfig;
  }

  /**
   * Where committed zone changes must go once the new snapshot is published (the LLQ notifier): the
   * update path's writer, the lease reaper and the journal-driven feed call it. Valid after {@link
   * #start}.
   */
  public ZoneChangeSink zoneChangeSink() {
    return zoneChangeSink;
  }

  /** Starts everything; returns once the server answers. Throws if any part cannot start. */
  public void start() throws Exception {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    processMetrics = ProcessMetrics.bindTo(registry);
    DnsMetrics metrics = new DnsMetrics(registry);
    admin = new AdminHttpServer(config.httpListen(), registry, ready::get);
    admin.start();

    database = Database.open(config.database(), registry);
    PostgresZoneStore store = new PostgresZoneStore(database.dataSource(), Clock.systemUTC());
    ZoneSettings settings = config.zones();
    store.ensureDomainZone(settings.domain());

    ServedZones served = new ServedZones();
    SnapshotUpdater updater = new SnapshotUpdater(store, served, settings);
    long t0 = System.nanoTime();
    updater.loadAll();
    log.info(
        "loaded {} zones with {} names in {} ms",
        served.zoneCount(),
        names(served),
        (System.nanoTime() - t0) / 1_000_000);
    Clock clock = Clock.systemUTC();
    PostgresKeyring keys = new PostgresKeyring(database.dataSource());
    keys.reload();

    // LLQ (RFC 8764): registry, notifier on its own thread, handler on the event loops.
    LlqMetrics llqMetrics = new LlqMetrics(registry);
    LlqRegistry llqs = new LlqRegistry(llqConfig, llqMetrics, new SecureRandom());
    llqMetrics.bind(llqs);
    llqScheduler = new ExecutorLlqScheduler();
    LlqNotifier notifier =
        new LlqNotifier(
            llqs,
            llqScheduler,
            llqConfig,
            llqMetrics,
            clock,
            new SplittableRandom(new SecureRandom().nextLong()));
    notifier.startSweeping();
    zoneChangeSink = notifier;
    LlqHandler llq =
        new LlqHandler(
            served,
            llqs,
            notifier,
            new LlqAccess(new TsigVerifier(keys, clock), new UpdatePolicy(keys::grants)),
            new TsigSigner(clock),
            llqConfig,
            llqMetrics,
            clock);

    // Until the update path reports its commits itself (issue 3), every reload the change feed
    // makes is diffed into ZoneChanges for the notifier (enrolment, removal, imports, replicas).
    feed =
        new PgChangeFeed(
            () -> database.openDedicatedConnection("membersdns-change-feed"),
            store,
            served,
            new ZoneDiffListener(served, reloadingKeys(updater, served, keys), notifier, clock),
            Duration.ofSeconds(2));
    feed.start();

    AnswerCache cache = new AnswerCache(served, ANSWER_CACHE_ENTRIES);
    metrics.gauge("dns.zones", "zones served", served::zoneCount);
    metrics.gauge("dns.snapshot.names", "owner names in all served zones", () -> names(served));
    metrics.gauge("dns.answer.cache.entries", "rendered answers held for replay", cache::size);
    RequestDispatcher dispatcher =
        new RequestDispatcher(new QueryHandler(new Lookup(served)), cache, metrics, clock, llq);

    SslContext tls =
        TlsContextFactory.create(
            config.tls(), config.database().dataDir(), settings.serverName().toString(true));
    dns = DnsServer.of(config, tls, dispatcher, new TransportMetrics(metrics));
    dns.start();
    ready.set(true);
    log.info(
        "membersdns serving {} on udp+tcp {} tls {} http {} ({} database)",
        settings.domain(),
        dns.udpAddress(),
        dns.tlsAddress(),
        admin.address(),
        database.startedEmbedded() ? "embedded" : "external");
  }

  /**
   * Reloads the keyring when a zone appears or goes: members are enrolled and removed together with
   * their keys, in one transaction.
   */
  private static ZoneChangeListener reloadingKeys(
      ZoneChangeListener updater, ServedZones served, PostgresKeyring keys) {
    return new ZoneChangeListener() {
      @Override
      public void zoneChanged(Name apex) {
        if (served.get(apex) == null) {
          keys.reload();
        }
        updater.zoneChanged(apex);
      }

      @Override
      public void zoneRemoved(Name apex) {
        keys.reload();
        updater.zoneRemoved(apex);
      }
    };
  }

  private static long names(ServedZones served) {
    long n = 0;
    for (ZoneData z : served.all()) {
      n += z.size();
    }
    return n;
  }

  /** Blocks until {@link #close} ran (e.g. from the shutdown hook). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public synchronized void close() {
    ready.set(false);
    closeQuietly(dns == null ? null : dns::stop);
    closeQuietly(llqScheduler);
    closeQuietly(feed);
    closeQuietly(admin);
    closeQuietly(database);
    closeQuietly(processMetrics);
    closeQuietly(registry == null ? null : registry::close);
    stopped.countDown();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.warn("while stopping: {}", e.toString());
    }
  }
}
