package net.membersdns.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * {@code --metrics-listen}: {@code GET /metrics} in the Prometheus text format, on the JDK's HTTP
 * server (one thread; a host agent is scraped rarely).
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Starts serving {@code registry} on {@code listen}. */
  public static MetricsEndpoint start(InetSocketAddress listen, PrometheusMeterRegistry registry)
      throws IOException {
    HttpServer http = HttpServer.create(listen, 0);
    http.createContext(
        "/metrics",
        exchange -> {
          try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
              send(exchange, 405, "GET only\n");
              return;
            }
            send(exchange, 200, registry.scrape());
          }
        });
    http.createContext(
        "/",
        exchange -> {
          try (exchange) {
            send(exchange, 404, "see /metrics\n");
          }
        });
    http.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("agent-metrics").unstarted(r)));
    http.start();
    return new MetricsEndpoint(http);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
