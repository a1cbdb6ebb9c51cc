package net.membersdns.server.llq;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import net.membersdns.server.metrics.LatencyBuckets;
import net.membersdns.server.request.Transport;

/**
 * The {@code dns.llq.*} meters (docs/architecture.md, Invariants 8: bounded tags only, never a name
 * or an address).
 *
 * <ul>
 *   <li>{@code dns.llq.sessions{state}}: live LLQs, {@code established} or {@code challenged}
 *   <li>{@code dns.llq.requests{opcode,result}}: setup/refresh/ack messages per question, by LLQ
 *       outcome
 *   <li>{@code dns.llq.events{transport}}: event messages sent (first transmissions)
 *   <li>{@code dns.llq.retransmits}: UDP events sent again for want of an acknowledgement
 *   <li>{@code dns.llq.deletions{reason}}: LLQs deleted: cancel, expired, unacknowledged, closed,
 *       replaced, zone-removed, key-revoked, shutdown
 *   <li>{@code dns.llq.push.latency}: commit of a change → its event handed to the socket
 * </ul>
 */
public final class LlqMetrics {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final Counter retransmits;
  private final Timer pushLatency;

  public LlqMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.retransmits =
        Counter.builder("dns.llq.retransmits")
            .description("LLQ events retransmitted for want of an acknowledgement")
            .register(registry);
    this.pushLatency =
        LatencyBuckets.of(
                Timer.builder("dns.llq.push.latency")
                    .description(
                        "from the commit of a change to its LLQ event leaving for the socket"))
            .register(registry);
  }

  /** Registers the live-LLQ gauges of {@code registry}. */
  public void bind(LlqRegistry llqs) {
    gauge("established", llqs::established);
    gauge("challenged", () -> llqs.size() - llqs.established());
  }

  private void gauge(String state, Supplier<Number> value) {
    Gauge.builder("dns.llq.sessions", value)
        .description("live LLQs by state")
        .tag("state", state)
        .register(registry);
  }

  void request(String opcode, String result) {
    counter(
            "r" + opcode + result,
            () ->
                Counter.builder("dns.llq.requests")
                    .description("LLQ requests per question, by LLQ opcode and outcome")
                    .tag("opcode", opcode)
                    .tag("result", result))
        .increment();
  }

  void eventSent(Transport transport) {
    counter(
            "e" + transport.tag(),
            () ->
                Counter.builder("dns.llq.events")
                    .description("LLQ event messages sent (first transmissions)")
                    .tag("transport", transport.tag()))
        .increment();
  }

  void retransmit() {
    retransmits.increment();
  }

  void deleted(String reason) {
    counter(
            "d" + reason,
            () ->
                Counter.builder("dns.llq.deletions")
                    .description("LLQs deleted, by reason")
                    .tag("reason", reason))
        .increment();
  }

  void pushLatency(Duration d) {
    pushLatency.record(d.isNegative() ? Duration.ZERO : d);
  }

  private Counter counter(String key, Supplier<Counter.Builder> builder) {
    return counters.computeIfAbsent(key, k -> builder.get().register(registry));
  }
}
