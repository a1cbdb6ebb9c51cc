package net.membersdns.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.server.ServerMain;
import net.membersdns.server.config.ServerConfig;
import net.membersdns.server.testing.Await;
import net.membersdns.server.testing.ServerProcess;
import net.membersdns.server.testing.TcpProxy;
import net.membersdns.server.testing.TestDatabase;
import net.membersdns.server.zone.ZoneSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * {@code /ready} follows the database: 503 while PostgreSQL cannot be reached (cut here by a proxy
 * between the server and the shared test database), 200 again once it is back, and 503 for good
 * once a drain begins.
 */
class ReadinessIT {
  private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");

  @Test
  void readyFollowsTheDatabaseAndTurnsFalseForTheDrain(@TempDir Path dir) throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      Matcher m = HOST_PORT.matcher(db.url());
      assertThat(m.find()).as(db.url()).isTrue();
      try (TcpProxy proxy =
          new TcpProxy(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))))) {
        String url = m.replaceFirst("//127.0.0.1:" + proxy.port() + "/");
        int http = ServerProcess.freePort();
        ServerMain server = new ServerMain(config(url, dir, http));
        try {
          server.start();
          Await.until(Duration.ofSeconds(15), "ready", () -> status(http) == 200);

          proxy.cut();
          Await.until(
              Duration.ofSeconds(15), "503 with the database down", () -> status(http) == 503);

          proxy.restore();
          Await.until(
              Duration.ofSeconds(60), "ready with the database back", () -> status(http) == 200);

          server.drain(Duration.ZERO, new StopRequest());
          assertThat(status(http)).as("draining").isEqualTo(503);
        } finally {
          server.close();
        }
      }
    }
  }

  private static int status(int port) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }

  private static ServerConfig config(String url, Path dir, int http) throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    return new ServerConfig(
        new InetSocketAddress(lo, 0),
        new InetSocketAddress(lo, 0),
        new InetSocketAddress(lo, http),
        new ServerConfig.DatabaseConfig(Optional.of(url), dir, 4),
        1,
        ZoneSettings.defaults(Name.fromString("members.example."), List.of(lo), 53, 853),
        new ServerConfig.TlsConfig(Optional.empty(), Optional.empty()),
        new ServerConfig.TcpLimits(Duration.ofSeconds(10), 100, 100),
        ServerConfig.UpdateConfig.defaults(),
        1 << 20);
  }
}
