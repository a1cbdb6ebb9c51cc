package net.membersdns.server.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Set;
import net.membersdns.server.metrics.BuildInfo;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.RrlMetrics;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.request.RequestKind;
import net.membersdns.server.request.Transport;
import org.junit.jupiter.api.Test;

/**
 * Operators build dashboards on these names (docs/architecture.md, Invariants 8): every meter of
 * ours is {@code dns.*} with a description, and no tag can take unbounded values (no qname, no
 * client address).
 */
class MetricNamingTest {
  private static final Set<String> BOUNDED_TAGS =
      Set.of(
          "transport",
          "kind",
          "rcode",
          "reason",
          "limit",
          "result",
          "error",
          "algorithm",
          "opcode",
          "phase",
          "loop",
          "version", // one value per process
          "java");

  @Test
  void ourMetersAreNamedAndDescribedWithBoundedTags() {
    // The registry production uses: SimpleMeterRegistry would add its own bucket gauges.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DnsMetrics metrics = new DnsMetrics(registry);
    new TransportMetrics(metrics);
    metrics.request(Transport.UDP, RequestKind.QUERY, 0, System.nanoTime());
    metrics.dropped(Transport.TCP, "short");
    metrics.gauge("dns.zones", "zones served", () -> 1);
    DnsMetrics.internalError(registry, "dispatcher");
    BuildInfo.bindTo(registry);
    new UpdateMetrics(registry).internalError();
    new RrlMetrics(registry).limited(true);
    List<Meter> meters = registry.getMeters();
    assertThat(meters).isNotEmpty();
    for (Meter m : meters) {
      Meter.Id id = m.getId();
      assertThat(id.getName()).as("name").matches("dns(\\.[a-z]+)+");
      assertThat(id.getDescription()).as("description of " + id).isNotBlank();
      id.getTags()
          .forEach(t -> assertThat(BOUNDED_TAGS).as("tag of " + id.getName()).contains(t.getKey()));
    }
  }
}
