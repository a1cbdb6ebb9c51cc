package net.membersdns.server.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.membersdns.server.config.ServerConfig;
import net.membersdns.server.store.StoreException;
import net.membersdns.server.testing.TcpProxy;
import net.membersdns.server.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction whose connection the database takes away fails with the failure that says so
 * (SQLSTATE class 08, which {@code DatabaseHealth} reads), not with the rollback's "Connection is
 * closed" on the connection the pool already evicted.
 */
class TransactionsIT {
  private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");

  @Test
  void aLostConnectionFailsWithItsConnectionStateNotTheRollbacks(@TempDir Path dir)
      throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      Matcher m = HOST_PORT.matcher(db.url());
      assertThat(m.find()).isTrue();
      try (TcpProxy proxy =
              new TcpProxy(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
          Database database =
              Database.open(
                  new ServerConfig.DatabaseConfig(
                      Optional.of(m.replaceFirst("//127.0.0.1:" + proxy.port() + "/")), dir, 2),
                  new SimpleMeterRegistry())) {
        StoreException e =
            catchThrowableOfType(
                StoreException.class,
                () ->
                    Transactions.inTransaction(
                        database.dataSource(),
                        "a commit",
                        c -> {
                          c.createStatement().execute("SELECT 1");
                          try {
                            proxy.cut(); // PostgreSQL goes away mid-transaction
                          } catch (java.io.IOException io) {
                            throw new IllegalStateException(io);
                          }
                          return c.createStatement().execute("SELECT 2");
                        }));
        assertThat(e).isNotNull();
        assertThat(e.getCause()).isInstanceOf(SQLException.class);
        assertThat(((SQLException) e.getCause()).getSQLState()).as(e.toString()).startsWith("08");
      }
    }
  }
}
