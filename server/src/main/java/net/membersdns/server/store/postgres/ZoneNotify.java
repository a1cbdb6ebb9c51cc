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

  private ZoneNotify() {}

  /** Queues a notification for {@code apex}, delivered at commit. */
  public static void notify(Connection c, String apex) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, CHANNEL);
      ps.setString(2, apex);
      ps.execute();
    }
  }
}
