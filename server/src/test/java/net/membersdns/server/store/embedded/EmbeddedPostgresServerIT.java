package net.membersdns.server.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import net.membersdns.server.config.ServerConfig;
import net.membersdns.server.store.postgres.Database;
import org.junit.jupiter.api.Test;

/** The embedded PostgreSQL, started for real in a directory under {@code target/}. */
class EmbeddedPostgresServerIT {

  private static Path freshDir(String name) throws Exception {
    Path dir = Path.of("target", "embedded-it", name).toAbsolutePath();
    Unprivileged.deleteTree(dir.resolve("pg"));
    Files.createDirectories(dir);
    return dir;
  }

  private static int selectOne(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void startsConnectsAndStops() throws Exception {
    Path dir = freshDir("start-stop");
    EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir);
    try {
      assertThat(pg.startedHere()).isTrue();
      assertThat(selectOne(pg.jdbcUrl())).isEqualTo(1);
      assertThat(Files.readString(dir.resolve("postgres.port")).strip())
          .isEqualTo(Integer.toString(pg.port()));
    } finally {
      pg.close();
    }
    assertThatThrownBy(() -> selectOne(pg.jdbcUrl())).isInstanceOf(SQLException.class);
  }

  @Test
  void secondOpenSharesTheRunningInstanceAndLeavesItRunning() throws Exception {
    Path dir = freshDir("shared");
    try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dir)) {
      EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dir);
      assertThat(second.startedHere()).isFalse();
      assertThat(second.port()).isEqualTo(first.port());
      assertThat(selectOne(second.jdbcUrl())).isEqualTo(1);
      second.close();
      assertThat(selectOne(first.jdbcUrl())).isEqualTo(1);
    }
  }

  @Test
  void databaseWithoutUrlUsesTheEmbeddedPostgresAndMigrates() throws Exception {
    Path dir = freshDir("database");
    var cfg = new ServerConfig.DatabaseConfig(Optional.empty(), dir, 2);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Database db = Database.open(cfg, registry)) {
      assertThat(db.startedEmbedded()).isTrue();
      try (Connection c = db.dataSource().getConnection();
          ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM zones")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
      // A second process (here: a second Database) attaches and does not stop it.
      try (Database other = Database.open(cfg, new SimpleMeterRegistry())) {
        assertThat(other.startedEmbedded()).isFalse();
      }
      try (Connection c = db.dataSource().getConnection()) {
        assertThat(c.isValid(2)).isTrue();
      }
      assertThat(registry.find("hikaricp.connections").gauge()).isNotNull();
    }
  }
}
