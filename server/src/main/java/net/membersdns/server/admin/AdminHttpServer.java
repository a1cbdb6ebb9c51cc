package net.membersdns.server.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP port (docs/architecture.md, Packages): {@code GET /metrics} (Prometheus text
 * format), {@code GET /health} (200 while the process runs) and {@code GET /ready} (200 once the
 * readiness check passes, e.g. zones loaded; 503 before).
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver} rather than Netty's HTTP codec: three fixed
 * routes need no extra dependency, and its own single thread keeps a scrape (which walks every
 * meter and histogram) off the DNS event loops, so scraping never delays an answer. {@link #start}
 * and {@link #stop} are called by the composition root.
 */
public final class AdminHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminHttpServer.class);

  /** Prometheus text exposition format 0.0.4. */
  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final String TEXT = "text/plain; charset=utf-8";

  private final InetSocketAddress listen;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier ready;
  private HttpServer server;
  private ExecutorService executor;

  /**
   * @param listen address to bind; port 0 picks a free port
   * @param registry what {@code /metrics} exposes
   * @param ready polled by {@code /ready} on every request; must be cheap and thread-safe
   */
  public AdminHttpServer(
      InetSocketAddress listen, PrometheusMeterRegistry registry, BooleanSupplier ready) {
    this.listen = Objects.requireNonNull(listen, "listen");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.ready = Objects.requireNonNull(ready, "ready");
  }

  /**
   * @throws IOException naming the address if it cannot be bound
   */
  public synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    HttpServer http;
    try {
      http = HttpServer.create(listen, 0);
    } catch (IOException e) {
      throw new IOException("cannot listen on http " + listen + ": " + e.getMessage(), e);
    }
    executor =
        Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "admin-http");
          t.setDaemon(true);
          return t;
        });
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
    server = http;
    log.info("admin: http on {} (/metrics, /health, /ready)", address());
  }

  /** The bound address. */
  public synchronized InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops at once (a scrape in progress is cut). Idempotent. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server = null;
  }

  @Override
  public void close() {
    stop();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, TEXT, "method not allowed\n");
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/metrics" -> send(exchange, 200, METRICS_CONTENT_TYPE, registry.scrape());
        case "/health" -> send(exchange, 200, TEXT, "ok\n");
        case "/ready" -> {
          boolean isReady = ready.getAsBoolean();
          send(exchange, isReady ? 200 : 503, TEXT, isReady ? "ready\n" : "not ready\n");
        }
        default -> send(exchange, 404, TEXT, "not found\n");
      }
    } catch (RuntimeException e) {
      log.warn("admin: {} failed", exchange.getRequestURI(), e);
      throw e;
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
