package net.membersdns.server.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.server.config.ServerConfig;
import net.membersdns.server.store.embedded.EmbeddedPostgresServer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A fresh, empty PostgreSQL database for one test, dropped at {@link #close}. The server it lives
 * on is, in order: {@code MEMBERSDNS_TEST_DB_URL} when set (CI: the machine's PostgreSQL); a
 * Testcontainers PostgreSQL when Docker is available; else the embedded PostgreSQL (one per JVM
 * under {@code target/}). Never skipped: the README's test command passes with only a JDK.
 */
public final class TestDatabase implements AutoCloseable {
  private static final Pattern URL =
      Pattern.compile("^(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?$");
  private static String adminUrl;

  private final String admin;
  private final String name;
  private final String url;

  private TestDatabase(String admin, String name, String url) {
    this.admin = admin;
    this.name = name;
    this.url = url;
  }

  /** Creates a uniquely named database on the test server. */
  public static TestDatabase create() {
    String admin = adminUrl();
    String name = "membersdns_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(admin);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + admin, e);
    }
    return new TestDatabase(admin, name, withDatabase(admin, name));
  }

  /** JDBC URL of this test's database (with credentials). */
  public String url() {
    return url;
  }

  /** A database configuration pointing at this database. */
  public ServerConfig.DatabaseConfig config(Path dataDir) {
    return new ServerConfig.DatabaseConfig(Optional.of(url), dataDir, 4);
  }

  @Override
  public void close() {
    try (Connection c = DriverManager.getConnection(admin);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test database " + name, e);
    }
  }

  static String withDatabase(String url, String database) {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException("unexpected JDBC URL " + url);
    }
    return m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
  }

  private static synchronized String adminUrl() {
    if (adminUrl != null) {
      return adminUrl;
    }
    String env = System.getenv("MEMBERSDNS_TEST_DB_URL");
    if (env != null && !env.isBlank()) {
      adminUrl = env;
    } else if (dockerAvailable()) {
      PostgreSQLContainer pg = new PostgreSQLContainer("postgres:17-alpine");
      pg.start();
      Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
      String base = pg.getJdbcUrl();
      adminUrl =
          base
              + (base.contains("?") ? "&" : "?")
              + "user="
              + pg.getUsername()
              + "&password="
              + pg.getPassword();
    } else {
      EmbeddedPostgresServer pg =
          EmbeddedPostgresServer.start(Path.of("target", "embedded-pg-tests").toAbsolutePath());
      Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
      adminUrl = pg.jdbcUrl();
    }
    return adminUrl;
  }

  private static boolean dockerAvailable() {
    if ("false".equals(System.getenv("MEMBERSDNS_TEST_DOCKER"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "TestDatabase[" + name.toLowerCase(Locale.ROOT) + "]";
  }
}
