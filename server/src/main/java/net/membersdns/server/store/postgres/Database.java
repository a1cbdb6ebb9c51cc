package net.membersdns.server.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import net.membersdns.server.config.ServerConfig;
import net.membersdns.server.store.StoreException;
import net.membersdns.server.store.embedded.EmbeddedPostgresServer;
import org.flywaydb.core.Flyway;

/**
 * The zone store's database: a HikariCP pool (metrics through Hikari's own Micrometer binding,
 * {@code hikaricp.*}) on the configured PostgreSQL, or on the embedded one in the data directory
 * when no URL is configured; migrated by Flyway to the newest schema when opened.
 *
 * <p>Open once per process (the composition root, or a CLI command) and {@link #close} at shutdown.
 * Thread-safe.
 */
public final class Database implements AutoCloseable {
  /** How long a request for a pooled connection waits before it fails. */
  public static final long CONNECTION_TIMEOUT_MILLIS = 2_000;

  private final HikariDataSource pool;
  private final String url;
  private final EmbeddedPostgresServer embedded;

  private Database(HikariDataSource pool, String url, EmbeddedPostgresServer embedded) {
    this.pool = pool;
    this.url = url;
    this.embedded = embedded;
  }

  /**
   * Connects (starting the embedded PostgreSQL if {@code cfg.url()} is empty), migrates, and
   * returns the open database.
   *
   * @param registry where the pool's {@code hikaricp.*} meters go
   * @throws StoreException when the database cannot be reached or migrated
   */
  public static Database open(ServerConfig.DatabaseConfig cfg, MeterRegistry registry) {
    EmbeddedPostgresServer embedded = null;
    String url;
    if (cfg.url().isPresent()) {
      url = cfg.url().get();
    } else {
      embedded = EmbeddedPostgresServer.start(cfg.dataDir());
      url = embedded.jdbcUrl();
    }
    HikariDataSource pool = null;
    try {
      HikariConfig hc = new HikariConfig();
      hc.setJdbcUrl(url);
      hc.setPoolName("membersdns");
      hc.setMaximumPoolSize(Math.max(1, cfg.poolSize()));
      hc.setMinimumIdle(Math.min(2, Math.max(1, cfg.poolSize())));
      hc.setInitializationFailTimeout(5_000);
      // A request for a connection waits at most this long: when the database is down, an update
      // is answered SERVFAIL within about 2 s (then at once, see DatabaseHealth), not after
      // Hikari's default 30 s while its UDP client retries and piles up.
      hc.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
      hc.setValidationTimeout(1_000);
      hc.addDataSourceProperty("connectTimeout", "2"); // seconds, pgjdbc's TCP connect
      // Multi-row INSERTs for JDBC batches (bulk import, the update writer's batches).
      hc.addDataSourceProperty("reWriteBatchedInserts", "true");
      hc.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
      pool = new HikariDataSource(hc);
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load()
          .migrate();
      return new Database(pool, url, embedded);
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      if (embedded != null) {
        embedded.close();
      }
      throw new StoreException(
          "cannot open the database " + redact(url) + ": " + rootMessage(e), e);
    }
  }

  /** The pool. Connections are auto-commit by default; writers switch it off per transaction. */
  public DataSource dataSource() {
    return pool;
  }

  /**
   * A new connection outside the pool, for work that holds one for the process's lifetime (the
   * change feed's {@code LISTEN}). The caller closes it.
   *
   * @param applicationName shown in {@code pg_stat_activity}, e.g. {@code membersdns-change-feed}
   */
  public Connection openDedicatedConnection(String applicationName) throws SQLException {
    Properties props = new Properties();
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(url, props);
  }

  /**
   * One round trip on a pooled connection ({@code DatabaseHealth}'s probe).
   *
   * @throws SQLException when no valid connection can be had
   */
  public void ping() throws SQLException {
    try (Connection c = pool.getConnection()) {
      if (!c.isValid(2)) {
        throw new SQLException("connection not valid", "08006");
      }
    }
  }

  /** Whether this process started the embedded PostgreSQL (and so stops it on close). */
  public boolean startedEmbedded() {
    return embedded != null && embedded.startedHere();
  }

  /** Closes the pool, then stops the embedded PostgreSQL if this process started it. */
  @Override
  public void close() {
    pool.close();
    if (embedded != null) {
      embedded.close();
    }
  }

  /** The URL without a password parameter, for messages. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
