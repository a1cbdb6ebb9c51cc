package net.membersdns.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.membersdns.server.request.Transport;

/**
 * Meters of the socket layer: open TCP/TLS connections, connections refused by a limit, idle
 * closes, TLS handshake failures. All meters are registered up front (so dashboards see zeros
 * rather than gaps) and tagged only by transport and a fixed reason word. Thread-safe: called from
 * every event loop.
 */
public final class TransportMetrics {
  /** Why a connection was refused: the server-wide or the per-client-address limit. */
  public enum Limit {
    TOTAL,
    PER_ADDRESS;

    String tag() {
      return this == TOTAL ? "total" : "per_address";
    }
  }

  private final DnsMetrics dns;
  private final Map<Transport, AtomicInteger> open = new EnumMap<>(Transport.class);
  private final Map<Transport, Counter> idleClosed = new EnumMap<>(Transport.class);
  private final Map<Transport, Map<Limit, Counter>> rejected = new EnumMap<>(Transport.class);
  private final Counter handshakeFailures;

  public TransportMetrics(DnsMetrics dns) {
    this.dns = dns;
    MeterRegistry registry = dns.registry();
    for (Transport t : new Transport[] {Transport.TCP, Transport.TLS}) {
      AtomicInteger count = new AtomicInteger();
      open.put(t, count);
      Gauge.builder("dns.connections.open", count, AtomicInteger::get)
          .description("Open DNS connections, by transport")
          .tag("transport", t.tag())
          .register(registry);
      idleClosed.put(
          t,
          Counter.builder("dns.connections.idle.closed")
              .description("DNS connections closed by the server after the idle timeout")
              .tag("transport", t.tag())
              .register(registry));
      Map<Limit, Counter> byLimit = new EnumMap<>(Limit.class);
      for (Limit limit : Limit.values()) {
        byLimit.put(
            limit,
            Counter.builder("dns.connections.rejected")
                .description("DNS connections closed at once because a connection limit was hit")
                .tag("transport", t.tag())
                .tag("limit", limit.tag())
                .register(registry));
      }
      rejected.put(t, byLimit);
    }
    handshakeFailures =
        Counter.builder("dns.tls.handshake.failures")
            .description("DNS-over-TLS handshakes that failed (RFC 7858)")
            .register(registry);
  }

  /** Where further transport meters (event-loop queues) are bound. */
  public MeterRegistry registry() {
    return dns.registry();
  }

  public void connectionOpened(Transport transport) {
    open.get(transport).incrementAndGet();
  }

  public void connectionClosed(Transport transport) {
    open.get(transport).decrementAndGet();
  }

  /** Currently open connections of {@code transport} (TCP or TLS). */
  public int openConnections(Transport transport) {
    return open.get(transport).get();
  }

  public void rejected(Transport transport, Limit limit) {
    rejected.get(transport).get(limit).increment();
  }

  public void idleClosed(Transport transport) {
    idleClosed.get(transport).increment();
  }

  public void handshakeFailed() {
    handshakeFailures.increment();
  }

  /** A message dropped unanswered; see {@link DnsMetrics#dropped}. */
  public void dropped(Transport transport, String reason) {
    dns.dropped(transport, reason);
  }
}
