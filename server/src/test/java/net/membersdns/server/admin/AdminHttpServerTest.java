package net.membersdns.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.request.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP admin endpoint on a real socket. */
class AdminHttpServerTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicBoolean ready = new AtomicBoolean();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private AdminHttpServer server;
  private AutoCloseable processMetrics;

  @BeforeEach
  void start() throws Exception {
    TransportMetrics metrics = new TransportMetrics(new DnsMetrics(registry));
    metrics.connectionOpened(Transport.TLS);
    metrics.dropped(Transport.UDP, "short");
    processMetrics = ProcessMetrics.bindTo(registry);
    server = new AdminHttpServer(new InetSocketAddress("127.0.0.1", 0), registry, ready::get);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
    processMetrics.close();
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body())
        .contains("dns_connections_open{transport=\"tls\"} 1.0")
        .contains("dns_connections_open{transport=\"tcp\"} 0.0")
        .contains("dns_requests_dropped_total{reason=\"short\",transport=\"udp\"} 1.0")
        .contains("dns_connections_rejected_total{limit=\"per_address\",transport=\"tcp\"} 0.0")
        .contains("dns_tls_handshake_failures_total 0.0")
        .contains("jvm_memory_used_bytes")
        .contains("process_uptime_seconds");
  }

  @Test
  void healthIsOkWhileRunning() throws Exception {
    HttpResponse<String> r = get("/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok\n");
  }

  @Test
  void readyFollowsTheReadinessCheck() throws Exception {
    assertThat(get("/ready").statusCode()).isEqualTo(503);
    ready.set(true);
    assertThat(get("/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/metricsx").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(uri("/health"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void headAnswersWithoutABody() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri("/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }
}
