package net.membersdns.agent.portmap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The port mapper's meters, or nothing without a registry. Tags take a small fixed set of values
 * (protocol, operation, result name, reason); never an address or a port.
 *
 * <ul>
 *   <li>{@code agent.portmap.requests} (counter; {@code protocol} pcp|nat-pmp, {@code op}
 *       map|delete|address, {@code result} success, an RFC result name in lower case such as
 *       not-authorized, timeout, unreachable or cancelled): one per request exchange, however many
 *       retransmissions it took.
 *   <li>{@code agent.portmap.ignored} (counter; {@code reason}): datagrams dropped: from another
 *       source, unmatched, unsolicited, malformed announcements.
 *   <li>{@code agent.portmap.lifetime.remaining} (gauge, seconds): what is left of the live
 *       mapping's lifetime, 0 without one.
 * </ul>
 */
final class PortMapMetrics {
  private final Optional<MeterRegistry> registry;

  PortMapMetrics(Optional<MeterRegistry> registry, Supplier<Double> secondsLeft) {
    this.registry = registry;
    registry.ifPresent(r ->
        Gauge.builder("agent.portmap.lifetime.remaining", secondsLeft, Supplier::get)
            .description("Seconds left of the live port mapping's lifetime (0 without one)")
            .baseUnit("seconds")
            .strongReference(true)
            .register(r));
  }

  /** Counts one request exchange; {@code result} as in the class comment. */
  void request(MappingProtocol protocol, String op, String result) {
    registry.ifPresent(r ->
        Counter.builder("agent.portmap.requests")
            .description("NAT-PMP and PCP request exchanges with the gateway, by outcome")
            .tag("protocol", protocol.id())
            .tag("op", op)
            .tag("result", result.toLowerCase(Locale.ROOT).replace('_', '-'))
            .register(r)
            .increment());
  }

  void ignored(String reason) {
    registry.ifPresent(r ->
        Counter.builder("agent.portmap.ignored")
            .description("Datagrams from the gateway side dropped as garbage, stale or foreign")
            .tag("reason", reason.replace(' ', '-'))
            .register(r)
            .increment());
  }
}
