package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The NOTIFY half of the change feed. PostgreSQL delivers a NOTIFY only when (and if) the
 * transaction that sent it commits, so sending it inside the writer's transaction announces exactly
 * the committed changes; listeners then read the zone (and the journal) themselves.
 */
public final class ZoneNotify {
  /** The channel every process LISTENs on; the payload is the changed zone's apex. */
  public static final String CHANNEL = "membersdns_zones";

  /** The channel announcing that TSIG keys or grants changed (no payload): keyrings reload. */
  public static final String KEYS_CHANNEL = "membersdns_keys";

  private ZoneNotify() {}

  /**
   * Queues a notification that keys or grants changed, delivered at commit: every process reloads
   * its in-memory keyring (a removed key stops verifying within the notification's latency; the
   * update path also re-checks keys inside its own transaction).
   */
  public static void keysChanged(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, '')")) {
      ps.setString(1, KEYS_CHANNEL);
      ps.execute();
    }
  }

  /** Queues a notification for {@code apex}, delivered at commit. */
  public static void notify(Connection c, String apex) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, CHANNEL);
      ps.setString(2, apex);
      ps.execute();
    }
  }
}
