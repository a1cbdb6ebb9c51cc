package net.membersdns.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.membersdns.server.admin.AdminHttpServer;
import net.membersdns.server.admin.ProcessMetrics;
import net.membersdns.server.auth.TsigSigner;
import net.membersdns.server.auth.TsigVerifier;
import net.membersdns.server.config.ServerConfig;
import net.membersdns.server.feed.ChangeEvents;
import net.membersdns.server.feed.ChangeFeed;
import net.membersdns.server.feed.SnapshotUpdater;
import net.membersdns.server.feed.ZoneChangeSink;
import net.membersdns.server.keys.KeyCache;
import net.membersdns.server.lease.LeaseReaper;
import net.membersdns.server.lifecycle.QueryWarmUp;
import net.membersdns.server.lifecycle.Readiness;
import net.membersdns.server.lifecycle.StopRequest;
import net.membersdns.server.lifecycle.WarmUpQuestions;
import net.membersdns.server.llq.ExecutorLlqScheduler;
import net.membersdns.server.llq.LlqAccess;
import net.membersdns.server.llq.LlqConfig;
import net.membersdns.server.llq.LlqHandler;
import net.membersdns.server.llq.LlqMetrics;
import net.membersdns.server.llq.LlqNotifier;
import net.membersdns.server.llq.LlqRegistry;
import net.membersdns.server.metrics.BuildInfo;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.RrlMetrics;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.pipeline.ReplyFinisher;
import net.membersdns.server.pipeline.RequestDispatcher;
import net.membersdns.server.pipeline.ResponseRateLimiter;
import net.membersdns.server.pipeline.RrlConfig;
import net.membersdns.server.pipeline.UpdateRequests;
import net.membersdns.server.query.AnswerCache;
import net.membersdns.server.query.Lookup;
import net.membersdns.server.query.QueryHandler;
import net.membersdns.server.store.DatabaseHealth;
import net.membersdns.server.store.HealthCheckedCommitter;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.store.postgres.PgNotifications;
import net.membersdns.server.store.postgres.PostgresKeySource;
import net.membersdns.server.store.postgres.PostgresUsedSignatures;
import net.membersdns.server.store.postgres.PostgresZoneCommitter;
import net.membersdns.server.store.postgres.PostgresZoneStore;
import net.membersdns.server.transport.DnsServer;
import net.membersdns.server.transport.TlsContextFactory;
import net.membersdns.server.update.BatchEvaluator;
import net.membersdns.server.update.SignaturePruner;
import net.membersdns.server.update.UpdatePolicy;
import net.membersdns.server.update.UsedSignatures;
import net.membersdns.server.update.ZoneWriter;
import net.membersdns.server.update.ZoneWriters;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part by constructor, in data-flow order, and stops them in
 * reverse (docs/architecture.md, Where to add things). Start-up: database (migrated) → zones loaded
 * into memory → change feed → listeners → ready. Nothing here is a global.
 */
public final class ServerMain implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

  /** Distinct warm-up questions at most: enough for the compilers, few enough for 1 M records. */
  static final int WARM_UP_QUESTIONS = 40_000;

  /** Warm-up queries in all (passes over the questions), unless the compilers go quiet first. */
  static final int WARM_UP_QUERIES = 100_000;

  static final Duration WARM_UP_BUDGET = Duration.ofSeconds(5);

  private final ServerConfig config;
  private final LlqConfig llqConfig;
  private final RrlConfig rrlConfig;
  private ZoneChangeSink zoneChangeSink;
  private ExecutorLlqScheduler llqScheduler;
  private final Readiness readiness;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean closed;
  private LlqNotifier notifier;
  private PrometheusMeterRegistry registry;
  private AutoCloseable processMetrics;
  private Database database;
  private volatile DatabaseHealth health;
  private volatile ChangeFeed feed;
  private ZoneWriters writers;
  private LeaseReaper reaper;
  private SignaturePruner pruner;
  private volatile DnsServer dns;
  private AdminHttpServer admin;

  public ServerMain(ServerConfig config) {
    this(config, LlqConfig.defaults());
  }

  public ServerMain(ServerConfig config, LlqConfig llqConfig) {
    this(config, llqConfig, RrlConfig.defaults());
  }

  public ServerMain(ServerConfig config, LlqConfig llqConfig, RrlConfig rrlConfig) {
    this.config = config;
    this.llqConfig = llqConfig;
    this.rrlConfig = rrlConfig;
    // Not ready while the change feed does not follow the database: another process's commits
    // would not reach this one's answers.
    // Nor while the database is unreachable: updates are answered SERVFAIL (DatabaseHealth).
    this.readiness =
        new Readiness(
            List.of(() -> feed != null && feed.isLive(), () -> health == null || health.isUp()));
  }

  /**
   * Where committed zone changes go once the new zone version is served: the LLQ notifier, fed by
   * the zone writers, the lease reaper (through the writers) and the journal-driven change feed.
   * Valid after {@link #start}.
   */
  public ZoneChangeSink zoneChangeSink() {
    return zoneChangeSink;
  }

  /** Starts everything; returns once the server answers. Throws if any part cannot start. */
  public void start() throws Exception {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    processMetrics = ProcessMetrics.bindTo(registry);
    BuildInfo.bindTo(registry);
    DnsMetrics metrics = new DnsMetrics(registry);
    admin = new AdminHttpServer(config.httpListen(), registry, readiness);
    admin.start();

    database = Database.open(config.database(), registry);
    health = new DatabaseHealth(database::ping, Duration.ofMillis(500));
    metrics.gauge(
        "dns.database.up",
        "1 while the database is reachable, 0 while updates are answered SERVFAIL",
        () -> health.isUp() ? 1 : 0);
    PostgresZoneStore store = new PostgresZoneStore(database.dataSource(), Clock.systemUTC());
    ZoneSettings settings = config.zones();
    store.ensureDomainZone(settings.domain());

    ServedZones served = new ServedZones();
    Clock clock = Clock.systemUTC();
    KeyCache keys = new KeyCache(new PostgresKeySource(database.dataSource()));
    // The keyring and the TLS context are read while the zones load (their own connection, their
    // own thread): at 125,000 members the keys alone take a second that the load does not need
    // to wait for. Both are in before anything listens or follows the change feed.
    CompletableFuture<Void> keysLoaded = CompletableFuture.runAsync(keys::reload, startUpThread());
    CompletableFuture<SslContext> tlsCreated =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return TlsContextFactory.create(
                    config.tls(),
                    config.database().dataDir(),
                    settings.serverName().toString(true));
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            },
            startUpThread());
    TsigVerifier verifier = new TsigVerifier(keys, clock);
    TsigSigner signer = new TsigSigner(clock);

    // LLQ (RFC 8764): registry, notifier on its own thread, handler on the event loops. The
    // notifier is told every committed change once, in order, after the new zone is served.
    LlqMetrics llqMetrics = new LlqMetrics(registry);
    LlqRegistry llqs = new LlqRegistry(llqConfig, llqMetrics, new SecureRandom());
    llqMetrics.bind(llqs);
    llqScheduler = new ExecutorLlqScheduler();
    notifier =
        new LlqNotifier(
            llqs,
            llqScheduler,
            llqConfig,
            llqMetrics,
            clock,
            new SplittableRandom(new SecureRandom().nextLong()));
    notifier.startSweeping();
    // A removed key's LLQs end in this process as soon as the keyring learns of the removal
    // (after the removal's own zone changes reached them).
    keys.afterChanges(() -> notifier.revoke(keys::holds));
    zoneChangeSink = notifier;
    ChangeEvents events = new ChangeEvents(notifier);
    SnapshotUpdater updater = new SnapshotUpdater(store, served, settings, events);
    long t0 = System.nanoTime();
    updater.loadAll();
    log.info(
        "loaded {} zones with {} names in {} ms",
        served.zoneCount(),
        names(served),
        (System.nanoTime() - t0) / 1_000_000);
    joinStartUp(keysLoaded);
    feed =
        new ChangeFeed(
            PgNotifications.opener(database, "membersdns-change-feed"),
            store,
            served,
            updater,
            keys,
            Duration.ofSeconds(2),
            health::failed);
    feed.start();

    UpdateMetrics updateMetrics = new UpdateMetrics(registry);
    ServerConfig.UpdateConfig uc = config.updates();
    // One connection stays free for the change feed's reloads and the reaper's scan.
    int committers = Math.max(1, Math.min(uc.committers(), config.database().poolSize() - 1));
    writers =
        new ZoneWriters(
            uc.queueSize(),
            ZoneWriters.Grouping.of(committers),
            new ZoneWriter.Context(
                new HealthCheckedCommitter(
                    new PostgresZoneCommitter(database.dataSource(), settings), health),
                new BatchEvaluator(uc.leases(), settings),
                served,
                settings,
                events,
                updateMetrics,
                clock,
                ZoneWriters.newExecutor(committers),
                new AtomicLong()));
    metrics.gauge("dns.update.queue", "updates waiting for their zone's writer", writers::queued);
    metrics.gauge("dns.keys", "TSIG keys held in memory", keys::size);
    reaper =
        new LeaseReaper(
            // backstop rounds skip while the database is unreachable; the first one after catches
            // up
            (now, limit) ->
                health.whileReachable(() -> store.zonesWithExpiredLeases(now, limit), List.of()),
            writers,
            clock,
            uc.reaperInterval(),
            updateMetrics);
    served.observe(reaper.alarm());
    reaper.start();
    // Used update signatures (replay protection) are forgotten once they no longer verify.
    UsedSignatures prunable = new PostgresUsedSignatures(database.dataSource());
    pruner = new SignaturePruner(limit -> health.whileReachable(() -> prunable.prune(limit), 0));
    pruner.start(Duration.ofMinutes(1));

    AnswerCache cache = new AnswerCache(served, config.answerCacheBytes());
    metrics.gauge("dns.zones", "zones served", served::zoneCount);
    metrics.gauge("dns.snapshot.names", "owner names in all served zones", () -> names(served));
    metrics.gauge("dns.answer.cache.entries", "rendered answers held for replay", cache::size);
    metrics.gauge(
        "dns.answer.cache.bytes",
        "heap the rendered answers hold, estimated; bounded by --answer-cache-mib",
        cache::bytes);
    QueryHandler queries = new QueryHandler(new Lookup(served));
    UpdatePolicy policy = new UpdatePolicy(keys::grants);
    LlqHandler llq =
        new LlqHandler(
            served, llqs, notifier, new LlqAccess(verifier, policy), llqConfig, llqMetrics, clock);
    RequestDispatcher dispatcher =
        new RequestDispatcher(
            queries,
            cache,
            metrics,
            clock,
            new ReplyFinisher(
                signer,
                metrics,
                updateMetrics,
                rrlConfig.enabled() ? new ResponseRateLimiter(rrlConfig) : null,
                new RrlMetrics(registry)),
            verifier,
            new UpdateRequests(
                served, verifier, policy, writers, updateMetrics, clock, health::isUp),
            llq);

    SslContext tls = joinStartUp(tlsCreated);
    // The same query path, counted in a registry of its own: the warm-up is not traffic.
    DnsMetrics uncounted = new DnsMetrics(new SimpleMeterRegistry());
    warmUp(
        served,
        tls,
        new RequestDispatcher(
            queries,
            cache,
            uncounted,
            clock,
            // the limiter's code warmed too, in a table of its own and with a rate the warm-up
            // never reaches: the clients' buckets start empty
            new ReplyFinisher(
                signer,
                uncounted,
                null,
                rrlConfig.enabled()
                    ? new ResponseRateLimiter(new RrlConfig(WARM_UP_QUERIES, rrlConfig.slip()))
                    : null,
                new RrlMetrics(new SimpleMeterRegistry())),
            verifier,
            null,
            null),
        new TransportMetrics(uncounted));
    collectStartUpGarbage();

    dns = DnsServer.of(config, tls, dispatcher, new TransportMetrics(metrics));
    dns.start();
    readiness.started();
    log.info(
        "membersdns serving {} on udp+tcp {} tls {} http {} ({} database)",
        settings.domain(),
        dns.udpAddress(),
        dns.tlsAddress(),
        admin.address(),
        database.startedEmbedded() ? "embedded" : "external");
  }

  /**
   * One full collection before the listeners open: the load's rows and the warm-up's messages are
   * garbage now, partly promoted, and the heap grew to hold them. Collected here (0.32-0.34 s at 1
   * M records, 247 MB live; 80 ms at 80 k) the heap is sized to what is live (the launcher's heap
   * free ratios) and the first clients do not meet the collection that would otherwise come due in
   * their first seconds.
   */
  private static void collectStartUpGarbage() {
    long t0 = System.nanoTime();
    Runtime rt = Runtime.getRuntime();
    long before = rt.totalMemory() - rt.freeMemory();
    System.gc();
    long after = rt.totalMemory() - rt.freeMemory();
    log.info(
        "start-up: heap {} MB in use, {} MB after a full collection ({} ms), {} MB committed",
        before >> 20,
        after >> 20,
        (System.nanoTime() - t0) / 1_000_000,
        rt.totalMemory() >> 20);
  }

  /** A thread of its own for one start-up step; daemon, so a failed start never waits on it. */
  private static Executor startUpThread() {
    return task -> Thread.ofPlatform().name("membersdns-start-up").daemon().start(task);
  }

  /** The result of a start-up step run beside the load, or the exception it failed with. */
  private static <T> T joinStartUp(CompletableFuture<T> step) throws Exception {
    try {
      return step.get();
    } catch (ExecutionException e) {
      // get() hands over what the step threw (a CompletionException's cause)
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw (Error) cause;
    }
  }

  /**
   * Runs the real query path hot before the listeners open (lifecycle.QueryWarmUp): questions from
   * the zones just loaded, over the loopback, through a temporary listener of the same transport
   * and the same dispatcher parts (answer cache included, so it starts filled). Its metrics go
   * nowhere: {@code dns.requests} counts clients.
   */
  private void warmUp(
      ServedZones served,
      SslContext tls,
      RequestDispatcher dispatcher,
      TransportMetrics transportMetrics)
      throws Exception {
    long t0 = System.nanoTime();
    List<byte[]> questions = WarmUpQuestions.from(served, WARM_UP_QUESTIONS);
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    DnsServer warm =
        new DnsServer(
            loopback,
            loopback,
            config.ioThreads(),
            config.tcp(),
            tls,
            dispatcher,
            transportMetrics);
    warm.start();
    QueryWarmUp.Result r;
    try {
      int passes = Math.max(2, Math.min(100, WARM_UP_QUERIES / Math.max(1, questions.size())));
      r = QueryWarmUp.run(warm.udpAddress(), warm.tcpAddress(), questions, passes, WARM_UP_BUDGET);
    } finally {
      warm.stop();
    }
    log.info(
        "warm-up: {} queries ({} distinct, {} answered, {} passes) in {} ms, {} ms compiling;"
            + " {} ms with questions and listener",
        r.sent(),
        questions.size(),
        r.answered(),
        r.passes(),
        r.millis(),
        r.jitMillis(),
        (System.nanoTime() - t0) / 1_000_000);
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

  /**
   * The first step of a graceful stop: {@code /ready} answers 503 from now on, so load balancers
   * and Kubernetes endpoints take this process out, while it keeps answering everything (queries,
   * updates, LLQ) for {@code period}, or until {@code stop} is requested again. {@link #close}
   * follows.
   */
  public void drain(Duration period, StopRequest stop) throws InterruptedException {
    readiness.draining();
    if (period.isZero()) {
      return;
    }
    log.info(
        "lifecycle: draining for {} s: /ready answers 503, requests are still answered",
        period.toMillis() / 1000.0);
    stop.awaitDrain(period);
  }

  /**
   * Loads the TLS certificate and key again (SIGHUP after a renewal): new TLS connections present
   * the new pair, open ones keep theirs. A pair that cannot be used is logged and the old one kept.
   *
   * @return whether the new pair is in use
   */
  public boolean reloadTls() {
    DnsServer server = dns;
    if (server == null) {
      return false;
    }
    try {
      server.reloadTls(
          TlsContextFactory.create(
              config.tls(),
              config.database().dataDir(),
              config.zones().serverName().toString(true)));
      log.info("tls: reloaded; new connections use the certificate above");
      return true;
    } catch (Exception e) {
      log.error("tls: reload failed, keeping the certificate in use: {}", e.getMessage());
      return false;
    }
  }

  /**
   * Stops in the order that loses no acknowledged work: no new TCP/TLS connections; the reaper; the
   * update writers, which commit and answer every update already queued (sockets still open); the
   * LLQs, after their last events; then every connection closed cleanly and the UDP sockets; then
   * the change feed, the HTTP port and the database. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    readiness.draining();
    closeQuietly(dns == null ? null : dns::stopAccepting);
    closeQuietly(reaper);
    closeQuietly(pruner);
    closeQuietly(writers);
    closeQuietly(this::endLlqs);
    closeQuietly(dns == null ? null : dns::stop);
    closeQuietly(llqScheduler);
    closeQuietly(health); // before the database: its closing is no outage
    closeQuietly(feed);
    closeQuietly(admin);
    closeQuietly(database);
    closeQuietly(processMetrics);
    closeQuietly(registry == null ? null : registry::close);
    log.info("membersdns stopped");
    stopped.countDown();
  }

  private void endLlqs() throws Exception {
    if (notifier != null) {
      int ended = notifier.endAll().get(5, TimeUnit.SECONDS);
      if (ended > 0) {
        log.info("lifecycle: ended {} LLQ(s)", ended);
      }
    }
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
