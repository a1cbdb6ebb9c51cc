package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import net.membersdns.server.feed.Notifications;
import net.membersdns.server.store.StoreException;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@link Notifications} over one dedicated connection (not from the pool: it is held for as long as
 * the feed runs) that LISTENs on {@link ZoneNotify#CHANNEL} and {@link ZoneNotify#KEYS_CHANNEL}.
 * PostgreSQL delivers a NOTIFY only after its transaction committed, and none while the connection
 * is down: the feed's sweep repairs those. Used by one thread.
 */
public final class PgNotifications implements Notifications {
  private final Connection connection;

  private PgNotifications(Connection connection) {
    this.connection = connection;
  }

  /** Opens lines on {@code database}, named {@code applicationName} in {@code pg_stat_activity}. */
  public static Notifications.Opener opener(Database database, String applicationName) {
    return () -> open(database, applicationName);
  }

  private static Notifications open(Database database, String applicationName) {
    Connection c = null;
    try {
      c = database.openDedicatedConnection(applicationName);
      try (Statement s = c.createStatement()) {
        s.execute("LISTEN " + ZoneNotify.CHANNEL);
        s.execute("LISTEN " + ZoneNotify.KEYS_CHANNEL);
      }
      return new PgNotifications(c);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new StoreException("listening for commits failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Batch await(int millis) {
    PGNotification[] batch;
    try {
      batch = connection.unwrap(PGConnection.class).getNotifications(millis);
    } catch (SQLException e) {
      throw new StoreException("reading notifications failed: " + e.getMessage(), e);
    }
    if (batch == null || batch.length == 0) {
      return Batch.EMPTY;
    }
    Set<String> zones = new LinkedHashSet<>(); // coalesce repeats of one zone
    boolean keys = false;
    for (PGNotification n : batch) {
      if (ZoneNotify.KEYS_CHANNEL.equals(n.getName())) {
        keys = true;
      } else {
        zones.add(n.getParameter());
      }
    }
    return new Batch(zones, keys);
  }

  @Override
  public void ping() {
    try (Statement s = connection.createStatement()) {
      s.execute("SELECT 1");
    } catch (SQLException e) {
      throw new StoreException("ping failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Long> generations(Set<String> apexes) {
    Map<String, Long> stored = new HashMap<>();
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT apex, generation FROM zones WHERE apex = ANY (?)")) {
      ps.setArray(1, connection.createArrayOf("text", apexes.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.put(rs.getString(1), rs.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("reading generations failed: " + e.getMessage(), e);
    }
    return stored;
  }

  @Override
  public void close() {
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // already broken
    }
  }
}
