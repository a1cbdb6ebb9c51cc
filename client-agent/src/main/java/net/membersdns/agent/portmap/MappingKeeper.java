package net.membersdns.agent.portmap;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import net.membersdns.agent.diagnosis.Diagnosis;
import net.membersdns.agent.netwatch.NetworkState;

/**
 * The port mapper's state machine: keeps one mapping of {@code internalPort} alive on whatever
 * gateway the host has now, and the ledger in step with it. Every method runs on the mapper's
 * thread ({@link PortMapper}) and may block on the network for a few seconds; only {@link
 * #cancelIfObsolete} is called from other threads. Time comes from the configured clock only.
 */
final class MappingKeeper {

  /** Fixed settings; see {@link PortMapperBuilder}. */
  record Config(
      int internalPort,
      TransportProtocol transport,
      Duration lifetime,
      Clock clock,
      Duration checkInterval,
      Duration rebootJitter,
      RandomGenerator random,
      Supplier<Optional<Inet4Address>> probeTarget,
      HopProbe hopProbe) {}

  private final Config cfg;
  private final GatewayClient.Factory clients;
  private final RenewalSchedule schedule;
  private final OutcomeDiagnosis findings;

  private final LeftoverMappings leftovers;

  private NetworkState network = NetworkState.none();
  private boolean seenNetwork;
  private volatile GatewayClient client;
  private PcpNonce nonce = PcpNonce.random();
  private int suggestedPort;
  private LiveMapping live;
  private final GatewayEpochs epochs = new GatewayEpochs();
  private String lastError;
  private Diagnosis diagnosis = Diagnosis.unknown();

  MappingKeeper(Config cfg, MappingLedger ledger, GatewayClient.Factory clients) {
    this.cfg = cfg;
    this.clients = clients;
    this.schedule = new RenewalSchedule(cfg.checkInterval());
    this.findings =
        new OutcomeDiagnosis(
            cfg.transport(), cfg.internalPort(), cfg.probeTarget(), cfg.hopProbe());
    this.leftovers = new LeftoverMappings(ledger, clients, cfg.clock());
    this.suggestedPort = cfg.internalPort();
  }

  /** From any thread: abandons the request in flight if {@code next} makes its client useless. */
  void cancelIfObsolete(NetworkState next) {
    GatewayClient c = client;
    if (c != null
        && !(next.gateway().equals(Optional.of(c.gateway()))
            && next.localAddress().equals(Optional.of(c.local())))) {
      c.cancel();
    }
  }

  /**
   * The network is now {@code s}. A new gateway or local address drops the old mapping (deleted if
   * its gateway can still be reached from here, else kept in the ledger until it expires) and maps
   * again at once; a public address or no gateway maps nothing.
   */
  void network(NetworkState s) {
    NetworkState before = network;
    network = s;
    if (seenNetwork
        && before.gateway().equals(s.gateway())
        && before.localAddress().equals(s.localAddress())) {
      return;
    }
    seenNetwork = true;
    LiveMapping old = live;
    if (client != null) {
      client.close();
    }
    client = null;
    live = null;
    epochs.reset();
    lastError = null;
    nonce = PcpNonce.random();
    suggestedPort = cfg.internalPort();
    schedule.clear();
    findings.reset();
    if (s.hasPublicAddress()) {
      diagnosis =
          Diagnoses.publicAddress(s.localAddress().get(), cfg.transport(), cfg.internalPort());
    } else if (!s.canAskGateway()) {
      diagnosis = Diagnoses.noGateway();
    } else {
      open(s.localAddress().get(), s.gateway().get());
    }
    if (old != null) {
      leftovers.retire(old, s);
    }
    writeLedger();
  }

  private void open(Inet4Address local, Inet4Address gateway) {
    try {
      client = clients.open(local, gateway);
    } catch (IOException e) {
      lastError = "cannot open a socket on " + local.getHostAddress() + ": " + e.getMessage();
      diagnosis =
          Diagnoses.noProtocol(gateway, local, cfg.transport(), cfg.internalPort(), lastError);
      schedule.failed(now(), Duration.ZERO);
      return;
    }
    leftovers.releaseHere(client, network).ifPresent(p -> suggestedPort = p);
    attempt();
  }

  /** The timer fired: expire what has run out, and ask if a request is due. */
  void due() {
    Instant now = now();
    if (live != null && !now.isBefore(live.expiry())) {
      live = null;
      writeLedger();
      lastError = "the mapping expired without a successful renewal";
      diagnosis =
          findings.failed(
              network.gateway().get(),
              network.localAddress().get(),
              new MapOutcome.NoAnswer("renewals"),
              lastError);
    }
    if (schedule.isDue(now)) {
      attempt();
    }
  }

  /** Re-checks at once (a clock jump: the timers and the mapping may both be stale). */
  void refresh() {
    if (client != null) {
      schedule.expedite(now());
      due();
    }
  }

  /**
   * An announcement from the gateway: it restarted or its address changed. The epoch rules decide
   * whether it lost its mappings (logged), but the mapping is re-checked either way, because the
   * rules forgive small steps back (RFC 6887 §8.5) and a renewal costs one exchange: at once for a
   * new external address, else after a random 0–5 s, since every client on the LAN heard the same
   * multicast (RFC 6886 §3.7, RFC 6887 §14.1.3).
   */
  void announcement(AnnouncementListener.Announcement a) {
    if (client == null || !network.gateway().equals(Optional.of(a.source()))) {
      return;
    }
    Instant now = now();
    if (live != null && a.protocol() == live.protocol()) {
      epochs.observe(a.protocol(), a.epoch(), now);
    }
    boolean moved =
        live != null && a.external().isPresent() && !a.external().get().equals(live.external());
    long jitter = moved ? 0 : cfg.random().nextLong(cfg.rebootJitter().toMillis() + 1);
    schedule.expedite(now.plusMillis(jitter));
  }

  /** Clean shutdown: deletes the mapping (RFC 6886 §3.4) and writes what is left to the ledger. */
  void close() {
    String words = "the port mapper stopped";
    if (live != null && client != null) {
      String where = live.external().getHostAddress() + ":" + live.externalPort();
      if (client.delete(live.protocol(), live.deletion()) instanceof MapOutcome.Deleted) {
        words += " and deleted its mapping " + where;
      } else {
        leftovers.keep(live);
        words += "; its mapping " + where + " could not be deleted and ends at " + live.expiry();
      }
    }
    live = null;
    if (client != null) {
      client.close();
      client = null;
    }
    schedule.clear();
    writeLedger();
    diagnosis = new Diagnosis(Diagnosis.Kind.UNKNOWN, words);
  }

  private void attempt() {
    if (client == null) {
      schedule.clear();
      return;
    }
    GatewayClient.Ask ask =
        new GatewayClient.Ask(
            cfg.transport(),
            cfg.internalPort(),
            live != null ? live.externalPort() : suggestedPort,
            Optional.ofNullable(live).map(LiveMapping::external),
            cfg.lifetime(),
            nonce);
    MapOutcome o = client.map(ask);
    Instant now = now();
    MappingProtocol spoken = client.spoken();
    o.epoch().ifPresent(e -> epochs.observe(spoken, e, now));
    switch (o) {
      case MapOutcome.Granted g -> granted(g, now);
      case MapOutcome.Refused r -> failed(o, now, r.retryAfter());
      case MapOutcome.NoAnswer n -> failed(o, now, Duration.ZERO);
      case MapOutcome.Unreachable u -> failed(o, now, Duration.ZERO);
      case MapOutcome.Cancelled c -> schedule.clear(); // a new network state is on its way
      case MapOutcome.Deleted d -> throw new IllegalStateException("a mapping request deleted");
    }
  }

  private void granted(MapOutcome.Granted g, Instant now) {
    Inet4Address gateway = network.gateway().get();
    Inet4Address local = network.localAddress().get();
    live =
        new LiveMapping(
            g.protocol(),
            gateway,
            local,
            cfg.transport(),
            cfg.internalPort(),
            g.externalAddress(),
            g.externalPort(),
            nonce,
            g.lifetime(),
            now.plus(g.lifetime()));
    suggestedPort = g.externalPort();
    lastError = null;
    schedule.granted(now, g.lifetime());
    writeLedger();
    diagnosis = findings.granted(gateway, local, g);
  }

  private void failed(MapOutcome o, Instant now, Duration retryAfter) {
    lastError = words(o);
    schedule.failed(now, retryAfter);
    boolean refused = o instanceof MapOutcome.Refused;
    if (live != null && !refused && now.isBefore(live.expiry())) {
      return; // no answer this time; the mapping holds until its expiry, and we keep asking
    }
    if (live != null) {
      leftovers.keep(live); // a renewal refused: whatever is left of it expires there
      live = null;
      writeLedger();
    }
    diagnosis =
        findings.failed(network.gateway().get(), network.localAddress().get(), o, lastError);
  }

  private static String words(MapOutcome o) {
    return switch (o) {
      case MapOutcome.Refused r -> r.protocol().words() + " " + r.named();
      case MapOutcome.NoAnswer n -> "no answer to " + n.tried();
      case MapOutcome.Unreachable u -> u.why();
      default -> o.toString();
    };
  }

  private void writeLedger() {
    leftovers.write(Optional.ofNullable(live));
  }

  /** When {@link #due()} should run next: the next request or the live mapping's expiry. */
  Optional<Instant> nextDue() {
    Optional<Instant> expiry = Optional.ofNullable(live).map(LiveMapping::expiry);
    Optional<Instant> next = schedule.next();
    if (next.isPresent() && expiry.isPresent()) {
      return Optional.of(next.get().isBefore(expiry.get()) ? next.get() : expiry.get());
    }
    return next.or(() -> expiry);
  }

  MappingState state() {
    return new MappingState(
        live == null ? MappingProtocol.NONE : live.protocol(),
        network.gateway(),
        network.localAddress(),
        cfg.internalPort(),
        Optional.ofNullable(live).map(LiveMapping::external),
        live == null ? 0 : live.externalPort(),
        live == null ? Duration.ZERO : live.lifetime(),
        Optional.ofNullable(live).map(LiveMapping::expiry),
        epochs.last(),
        Optional.ofNullable(lastError),
        diagnosis);
  }

  private Instant now() {
    return cfg.clock().instant();
  }
}
