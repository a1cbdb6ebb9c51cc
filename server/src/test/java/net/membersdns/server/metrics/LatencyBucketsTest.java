package net.membersdns.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.regex.Pattern;
import net.membersdns.server.request.RequestKind;
import net.membersdns.server.request.Transport;
import org.junit.jupiter.api.Test;

/**
 * Answers take about 0.1 ms: the request histogram must resolve that (issue 9: its buckets started
 * at 1 ms, so p50 and p99 were bucket bounds).
 */
class LatencyBucketsTest {
  @Test
  void requestBucketsStartAtTenMicrosecondsAndResolveATenthOfAMillisecond() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new DnsMetrics(registry)
        .request(Transport.UDP, RequestKind.QUERY, 0, System.nanoTime() - 100_000);
    List<Double> bounds =
        Pattern.compile("dns_requests_seconds_bucket\\{[^}]*le=\"([^\"+]+)\"")
            .matcher(registry.scrape())
            .results()
            .map(r -> Double.parseDouble(r.group(1)))
            .sorted()
            .toList();
    assertThat(bounds.get(0)).isEqualTo(1e-5);
    assertThat(bounds).contains(1e-4, 2.5e-4, 1e-3, 10.0).hasSize(19);
  }
}
