package net.membersdns.agent.core;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.membersdns.agent.config.AgentConfig;
import net.membersdns.agent.config.KeyFile;
import net.membersdns.agent.diagnosis.Diagnosis;
import net.membersdns.agent.dns.Received;
import net.membersdns.agent.dns.RequestSigner;
import net.membersdns.agent.dns.ServerLocator;
import net.membersdns.agent.dns.ServerSession;
import net.membersdns.agent.dns.TlsSettings;
import net.membersdns.agent.hostid.HostIdentity;
import net.membersdns.agent.hostid.StateDir;
import net.membersdns.agent.loop.EventLoop;
import net.membersdns.agent.metrics.AgentMetrics;
import net.membersdns.agent.metrics.MetricsEndpoint;
import net.membersdns.agent.netwatch.NetworkChange;
import net.membersdns.agent.netwatch.NetworkMonitor;
import net.membersdns.agent.netwatch.NetworkState;
import net.membersdns.agent.peers.PeerRecords;
import net.membersdns.agent.peers.PeerWatch;
import net.membersdns.agent.portmap.MappingState;
import net.membersdns.agent.portmap.PortMapper;
import net.membersdns.agent.register.HostRegistration;
import net.membersdns.agent.tunnel.IpText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agent: wires the parts and runs the reconcile loop (design: docs/agent.md).
 *
 * <p>Inputs — a network change, a new port mapping, a new server session, an LLQ event, a timer —
 * all arrive on the one {@link EventLoop}; each leads to {@link #reconcile()}, which derives what
 * should be registered and which tunnel peers should exist, and lets the {@link Registrar} and
 * {@link TunnelPeers} apply only the difference. Nothing on a move touches the ULA, the keys or the
 * interface.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  /**
   * How long a registration waits, after start or a move, for the port mapping of the new network
   * before it goes out without a public endpoint (it is sent again when the mapping comes).
   */
  static final Duration MAPPING_WAIT = Duration.ofSeconds(3);

  /** How long a clean shutdown waits for the server to take the withdrawal. */
  static final Duration WITHDRAW_WAIT = Duration.ofSeconds(3);

  private final AgentConfig config;
  private final Clock clock = Clock.systemUTC();
  private final Say say;
  private final EventLoop loop = new EventLoop(clock);
  private final StateDir stateDir;
  private final HostIdentity identity;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AgentMetrics metrics;
  private final Registrar registrar;
  private final PeerWatch peers;
  private final Connector connector;
  private final NetworkMonitor monitor;
  private final PortMapper mapper;
  private final TunnelPeers tunnel;
  private final StatusWriter status;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicBoolean stopRequested =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicBoolean partsClosed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private MetricsEndpoint metricsEndpoint;
  private NetworkState network = NetworkState.none();
  private MappingState mapping;
  private Instant mappingWait = Instant.MAX;
  private boolean stopping;

  private Agent(AgentConfig config, PrintStream out) throws IOException {
    this.config = config;
    this.say = new Say(out, clock);
    SecureRandom random = new SecureRandom();
    this.stateDir = StateDir.open(config.stateDir());
    this.identity = HostIdentity.loadOrCreate(stateDir, clock, random);
    this.metrics = new AgentMetrics(registry, clock::instant);
    // what the agent costs its host: heap, threads, CPU (the process's own)
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    this.status = new StatusWriter(this, stateDir, loop);
    this.registrar = new Registrar(loop, say, metrics, random, status::changed);
    this.peers = new PeerWatch(config.zone(), config.host(), loop, new PeerListener(), random);
    this.tunnel =
        config.tunnel()
            ? TunnelPeers.open(config, identity, stateDir, say, random)
            : TunnelPeers.disabled();
    this.connector =
        new Connector(
            config.zone(),
            new ServerLocator(
                config.zone(), config.serverHost(), config.serverPort(), config.tlsName()),
            TlsSettings.of(config.caFile()),
            new RequestSigner(config.key(), clock),
            loop,
            new SessionListener());
    this.mapper =
        PortMapper.builder(stateDir.path(), state -> loop.execute(() -> mappingChanged(state)))
            .internalPort(config.port())
            .lifetime(PortMapper.DEFAULT_LIFETIME)
            .clock(clock)
            .meterRegistry(registry)
            .probeTarget(() ->
                connector
                    .endpoint()
                    .map(e -> e.address().getAddress())
                    .filter(Inet4Address.class::isInstance)
                    .map(Inet4Address.class::cast))
            .build();
    this.monitor = new NetworkMonitor();
  }

  /** Starts the agent; it runs until {@link #stop()}. */
  public static Agent start(AgentConfig config, PrintStream out) throws IOException {
    Agent a = new Agent(config, out);
    a.begin();
    return a;
  }

  private void begin() throws IOException {
    say.line(
        "membersdns-agent: host "
            + config.host()
            + " of "
            + config.zone()
            + ", ULA "
            + IpText.address(identity.ula())
            + ", key "
            + config.key().name()
            + " ("
            + config.key().algorithm()
            + "), state in "
            + stateDir.path());
    if (KeyFile.readableByOthers(config.stateDir())) {
      say.line("warning: the state directory is readable by others");
    }
    keyMismatchWarning();
    if (config.metricsListen().isPresent()) {
      metricsEndpoint = MetricsEndpoint.start(config.metricsListen().get(), registry);
      say.line("metrics on http://" + hostPort(metricsEndpoint.address()) + "/metrics");
    }
    loop.execute(() -> {
      connector.ensure();
      reconcile();
    });
    monitor.start(change -> loop.execute(() -> networkChanged(change)));
  }

  /**
   * Stops cleanly: withdraw the records, cancel the LLQs, delete the mapping, remove the tunnel,
   * write the final status. Everything runs on the loop, after the withdrawal was answered (or
   * {@link #WITHDRAW_WAIT} passed), so no reconcile can run beside it. Idempotent; blocks until
   * done.
   */
  public void stop() {
    if (!stopRequested.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(() -> {
      stopping = true;
      say.line("stopping: withdrawing the records, deleting the port mapping");
      peers.close();
      registrar
          .withdraw(WITHDRAW_WAIT)
          .whenCompleteAsync(
              (ok, e) -> {
                say.line(
                    Boolean.TRUE.equals(ok)
                        ? "records withdrawn"
                        : "could not withdraw the records (they expire with their lease)");
                closeParts();
                done.complete(null);
              },
              loop);
    });
    try {
      done.get(WITHDRAW_WAIT.plusSeconds(15).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // the loop is wedged: close from here rather than leave a mapping and an interface behind
      log.warn(
          "stop: the event loop did not finish the shutdown ({}); closing from here", e.toString());
      closeParts();
    }
    say.line("stopped");
    stopped.countDown();
  }

  /** Closes every part once, in the order that leaves nothing behind. */
  private void closeParts() {
    if (!partsClosed.compareAndSet(false, true)) {
      return;
    }
    monitor.close();
    mapper.close();
    connector.stop();
    tunnel.close();
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    status.writeNow(true);
  }

  /** Blocks until {@link #stop()} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    stop();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      loop.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- inputs, all on the loop ----

  private void networkChanged(NetworkChange change) {
    if (stopping) {
      return;
    }
    network = change.current();
    say.line("network: " + change.reason() + " — now " + network.describe());
    mapper.networkChanged(change);
    mappingWait = loop.now().plus(MAPPING_WAIT);
    loop.schedule(MAPPING_WAIT, this::reconcile);
    if (change.trigger() != NetworkChange.Trigger.INITIAL) {
      connector.reconnectNow();
      tunnel.networkChanged();
    }
    reconcile();
  }

  private void mappingChanged(MappingState state) {
    if (stopping) {
      return;
    }
    mapping = state;
    say.line("port mapping: " + state.diagnosis().words());
    reconcile();
  }

  /**
   * Whether the port mapping we hold was made for the network we are on now. After a move the old
   * one says nothing about the new place: registering it would publish an endpoint that no longer
   * leads here (map first, then publish).
   */
  private boolean mappingFits() {
    return mapping != null
        && mapping.diagnosis().kind() != Diagnosis.Kind.UNKNOWN
        && mapping.gateway().equals(network.gateway())
        && mapping.localAddress().equals(network.localAddress());
  }

  /** Derives what should be registered and which peers should exist, and applies it. */
  void reconcile() {
    if (stopping) {
      return;
    }
    boolean waited = !loop.now().isBefore(mappingWait);
    if (mappingFits() || network.hasPublicAddress() || waited) {
      registrar.want(registration(), mappingExpiry());
    }
    tunnel.reconcile(peers.peers(), ourPublicAddress(), loop.now());
    metrics.peers(peers.peers().size(), tunnel.direct());
    metrics.llq(peers.llqEstablished(), peers.llqWanted(), peers.mode() == PeerWatch.Mode.POLLING);
    status.changed();
  }

  /** The record set for the current network and mapping. */
  HostRegistration registration() {
    Optional<Inet4Address> local = network.localAddress();
    boolean isPublic = network.hasPublicAddress();
    Optional<MappingState> fitting = mappingFits() ? Optional.of(mapping) : Optional.empty();
    Optional<java.net.InetSocketAddress> external = fitting.flatMap(MappingState::external);
    Optional<Inet4Address> publicAddress =
        isPublic ? local : external.map(e -> (Inet4Address) e.getAddress());
    int publicPort = isPublic ? config.port() : external.map(e -> e.getPort()).orElse(0);
    Optional<String> problem =
        publicAddress.isPresent()
            ? Optional.empty()
            : fitting
                .map(m -> m.diagnosis().kind())
                .filter(Diagnosis.Kind::problem)
                .map(Diagnosis.Kind::id);
    return new HostRegistration(
        config.zone(),
        config.host(),
        identity.ula(),
        publicAddress,
        publicPort,
        isPublic ? Optional.empty() : local,
        config.port(),
        tunnel.publicKey(),
        problem,
        DeviceInfo.strings());
  }

  private Optional<Instant> mappingExpiry() {
    return network.hasPublicAddress()
        ? Optional.empty()
        : Optional.ofNullable(mapping)
            .filter(m -> mappingFits() && m.isMapped())
            .flatMap(MappingState::expiry);
  }

  private Optional<Inet4Address> ourPublicAddress() {
    return registration().publicAddress();
  }

  // ---- accessors for status ----

  AgentConfig config() {
    return config;
  }

  HostIdentity identity() {
    return identity;
  }

  NetworkState network() {
    return network;
  }

  Optional<MappingState> mapping() {
    return Optional.ofNullable(mapping);
  }

  Registrar registrar() {
    return registrar;
  }

  PeerWatch peers() {
    return peers;
  }

  Connector connector() {
    return connector;
  }

  TunnelPeers tunnel() {
    return tunnel;
  }

  private final class SessionListener implements Connector.Listener {
    private Diagnosis lastFailure;

    @Override
    public void connected(ServerSession s) {
      say.line(
          "connected to "
              + s.endpoint().display()
              + " (TLS name "
              + s.endpoint().tlsName()
              + ", "
              + s.endpoint().how()
              + ")");
      lastFailure = null;
      metrics.connected(true);
      status.serverProblem(null);
      if (mapping != null && mapping.diagnosis().kind().problem()) {
        mapper.refresh(); // the server's address is known now: the second-hop probe can run
      }
      registrar.attach(s);
      peers.attach(s);
      reconcile();
    }

    @Override
    public void disconnected(ServerSession s, Throwable cause) {
      metrics.connected(false);
      registrar.detach();
      peers.detach();
      if (!stopping) {
        say.line(
            "connection to "
                + s.endpoint().display()
                + " ended"
                + (cause == null ? "" : ": " + cause.getMessage()));
      }
      reconcile();
    }

    @Override
    public void connectFailed(Diagnosis why, Duration retryIn) {
      metrics.connected(false);
      status.serverProblem(why);
      if (lastFailure == null || !lastFailure.equals(why) || retryIn.toSeconds() >= 60) {
        say.line(why.words() + "; trying again in " + retryIn.toSeconds() + " s");
      }
      lastFailure = why;
      status.changed();
    }

    @Override
    public void unsolicited(Received message) {
      peers.onUnsolicited(message);
    }
  }

  private final class PeerListener implements PeerWatch.Listener {
    private Map<String, PeerRecords> known = Map.of();

    @Override
    public void peersChanged(Map<String, PeerRecords> now) {
      for (var e : now.entrySet()) {
        PeerRecords before = known.get(e.getKey());
        if (!e.getValue().equals(before)) {
          say.line(
              "peer "
                  + e.getKey()
                  + (before == null ? " appeared: " : " changed: ")
                  + describe(e.getValue()));
        }
      }
      known.keySet().stream()
          .filter(h -> !now.containsKey(h))
          .forEach(h -> say.line("peer " + h + " left (its records are gone)"));
      known = Map.copyOf(now);
      reconcile();
    }

    @Override
    public void watchChanged() {
      status.changed();
    }
  }

  /** "ULA fd.., public 198.18.2.2:51820, LAN 192.168.2.2:51820, tunnel key". */
  private static String describe(PeerRecords p) {
    return "ULA "
        + IpText.address(p.ula())
        + p.publicEndpoint()
            .map(e -> ", public " + IpText.endpoint(e))
            .orElse(", no public endpoint")
        + p.lanEndpoint().map(e -> ", LAN " + IpText.endpoint(e)).orElse("")
        + (p.tunnelKey().isPresent() ? ", tunnel key" : ", no tunnel key")
        + p.natProblem().map(n -> ", nat=" + n).orElse("");
  }

  private void keyMismatchWarning() {
    var n = config.key().name();
    if (n.labels() > 4 && n.getLabelString(2).equalsIgnoreCase("key")) {
      String keyHost = n.getLabelString(0).toLowerCase(java.util.Locale.ROOT);
      if (!keyHost.equals(config.host())) {
        say.line(
            "warning: "
                + n
                + " looks like the key of host "
                + keyHost
                + ", but this host is "
                + config.host()
                + " (--host): the server will refuse its updates");
      }
    }
  }

  private static String hostPort(java.net.InetSocketAddress a) {
    String h = a.getAddress().getHostAddress();
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
  }
}
