package net.membersdns.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.membersdns.server.request.RequestKind;
import net.membersdns.server.request.Transport;
import org.xbill.DNS.Rcode;

/**
 * The metrics seam: every meter the DNS path records goes through here, named {@code dns.*} with
 * bounded tags only (never a qname or client address, docs/architecture.md, Invariants 8).
 * Thread-safe; meters are created once per tag combination and cached.
 */
public final class DnsMetrics {
  private final MeterRegistry registry;
  private static final int QUERY_RCODES = 16;
  private final ConcurrentHashMap<String, Timer> requestTimers = new ConcurrentHashMap<>();
  private final Timer[] queryTimers = new Timer[Transport.values().length * QUERY_RCODES];
  private final ConcurrentHashMap<String, Counter> dropped = new ConcurrentHashMap<>();

  public DnsMetrics(MeterRegistry registry) {
    this.registry = registry;
    internalErrors(registry, "dispatcher");
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One answered request: latency from decode to hand-off, by transport, kind and rcode. */
  public void request(Transport transport, RequestKind kind, int rcode, long receivedNanos) {
    Timer t = timer(transport, kind, rcode);
    t.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The timer for one tag combination. Queries with the common rcodes (the hot path) hit a plain
   * array; everything else a map. No allocation either way once the meter exists.
   */
  private Timer timer(Transport transport, RequestKind kind, int rcode) {
    if (kind == RequestKind.QUERY && rcode >= 0 && rcode < QUERY_RCODES) {
      int i = transport.ordinal() * QUERY_RCODES + rcode;
      Timer t = queryTimers[i];
      if (t == null) {
        t = register(transport, kind, rcode);
        queryTimers[i] = t;
      }
      return t;
    }
    return register(transport, kind, rcode);
  }

  private Timer register(Transport transport, RequestKind kind, int rcode) {
    return requestTimers.computeIfAbsent(
        transport.ordinal() + kind.tag() + rcode,
        k ->
            LatencyBuckets.of(
                    Timer.builder("dns.requests")
                        .description("DNS requests answered, by transport, request kind and rcode")
                        .tag("transport", transport.tag())
                        .tag("kind", kind.tag())
                        .tag("rcode", Rcode.string(rcode).toLowerCase(java.util.Locale.ROOT)))
                .register(registry));
  }

  /** A message we did not answer: {@code reason} is a fixed word such as "garbage". */
  public void dropped(Transport transport, String reason) {
    dropped
        .computeIfAbsent(
            transport.ordinal() + reason,
            k ->
                Counter.builder("dns.requests.dropped")
                    .description("DNS messages dropped without an answer")
                    .tag("transport", transport.tag())
                    .tag("reason", reason)
                    .register(registry))
        .increment();
  }

  /**
   * A request loop caught a failure it had no answer for (a bug, an {@link Error}) and answered
   * SERVFAIL: {@code dns.internal.errors} by {@code loop} ({@code dispatcher}, {@code committer}).
   */
  public static void internalError(MeterRegistry registry, String loop) {
    internalErrors(registry, loop).increment();
  }

  /**
   * The counter of {@code loop}. Each loop's owner registers it at start, at zero: its rate (the
   * dashboard's internal-errors panel, an alert) then reads 0 rather than no data on a healthy
   * server.
   */
  static Counter internalErrors(MeterRegistry registry, String loop) {
    return Counter.builder("dns.internal.errors")
        .description("failures caught at a request loop's boundary (bugs): answered SERVFAIL")
        .tag("loop", loop)
        .register(registry);
  }

  /** Registers a gauge read on scrape, e.g. zones or names in the snapshot. */
  public void gauge(String name, String description, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value)
        .description(description)
        .register(registry);
  }
}
