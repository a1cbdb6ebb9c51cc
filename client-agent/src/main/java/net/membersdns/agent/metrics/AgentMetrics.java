package net.membersdns.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The agent's own meters, under {@code agent.*} (the port mapper adds {@code agent.portmap.*}):
 * registrations by result, lease seconds left, the server connection, LLQs and peers. No host, name
 * or address tags: their values are unbounded.
 */
public final class AgentMetrics {
  private final MeterRegistry registry;
  private final Supplier<Instant> clock;
  private final ConcurrentHashMap<String, Counter> registrations = new ConcurrentHashMap<>();
  private final AtomicReference<Instant> leaseExpires = new AtomicReference<>(Instant.MIN);
  private final AtomicLong connected = new AtomicLong();
  private final AtomicLong llqEstablished = new AtomicLong();
  private final AtomicLong llqWanted = new AtomicLong();
  private final AtomicLong polling = new AtomicLong();
  private final AtomicLong peers = new AtomicLong();
  private final AtomicLong peersDirect = new AtomicLong();

  public AgentMetrics(MeterRegistry registry, Supplier<Instant> clock) {
    this.registry = registry;
    this.clock = clock;
    Gauge.builder("agent.lease.remaining", this, m -> m.leaseSecondsLeft())
        .description("Seconds left of the registration's update lease (RFC 9664); 0 when none")
        .baseUnit("seconds")
        .register(registry);
    gauge("agent.server.connected", connected, "1 while the DNS-over-TLS connection is up");
    gauge("agent.llq.established", llqEstablished, "LLQs (RFC 8764) established on it");
    gauge("agent.llq.wanted", llqWanted, "LLQs the peer watch wants");
    gauge("agent.peers.polling", polling, "1 while the peer watch polls: LLQ unavailable");
    gauge("agent.peers", peers, "Other hosts of the member known from the zone");
    gauge("agent.peers.direct", peersDirect, "Tunnel peers with an endpoint to send to");
  }

  private void gauge(String name, AtomicLong value, String description) {
    Gauge.builder(name, value, AtomicLong::get).description(description).register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One registration UPDATE finished with {@code result} (an rcode name, "timeout", ...). */
  public void registration(String result) {
    registrations
        .computeIfAbsent(
            result,
            r ->
                Counter.builder("agent.registrations")
                    .description("Registration UPDATEs sent, by result (rcode or failure)")
                    .tag("result", r)
                    .register(registry))
        .increment();
  }

  public void lease(Instant expires) {
    leaseExpires.set(expires);
  }

  public void connected(boolean up) {
    connected.set(up ? 1 : 0);
  }

  public void llq(int established, int wanted, boolean isPolling) {
    llqEstablished.set(established);
    llqWanted.set(wanted);
    polling.set(isPolling ? 1 : 0);
  }

  public void peers(int known, int direct) {
    peers.set(known);
    peersDirect.set(direct);
  }

  private double leaseSecondsLeft() {
    Instant e = leaseExpires.get();
    long s = e.getEpochSecond() - clock.get().getEpochSecond();
    return e.equals(Instant.MIN) ? 0 : Math.max(0, s);
  }
}
