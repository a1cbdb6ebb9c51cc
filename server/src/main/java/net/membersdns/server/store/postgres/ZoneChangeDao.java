package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for the journal, {@code zone_changes}: one row per content commit, keyed by the commit's
 * generation and readable by zone and serial (the change feed and, later, IXFR replay it).
 */
public final class ZoneChangeDao {
  private ZoneChangeDao() {}

  /** Kinds of journal rows (the table's CHECK lists the same words). */
  public static final String CREATE = "create";

  public static final String UPDATE = "update";
  public static final String EXPIRE = "expire";
  public static final String IMPORT = "import";
  public static final String REMOVE = "remove";

  /**
   * One journal row.
   *
   * @param removed RRs removed, master-file lines with absolute names
   * @param added RRs added, same form
   */
  public record Change(
      long generation,
      long zoneId,
      String apex,
      long serial,
      String kind,
      String removed,
      String added,
      Instant changedAt) {}

  /** Appends a journal row in the caller's transaction. */
  public static void append(
      Connection c,
      long zoneId,
      String apex,
      ZoneDao.Version version,
      String kind,
      String removed,
      String added)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO zone_changes (generation, zone_id, apex, serial, kind, removed, added)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, version.generation());
      ps.setLong(2, zoneId);
      ps.setString(3, apex);
      ps.setLong(4, version.serial());
      ps.setString(5, kind);
      ps.setString(6, removed);
      ps.setString(7, added);
      ps.executeUpdate();
    }
  }

  /** The journal of the zone at {@code apex} after {@code afterGeneration}, oldest first. */
  public static List<Change> since(Connection c, String apex, long afterGeneration)
      throws SQLException {
    List<Change> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT generation, zone_id, apex, serial, kind, removed, added, changed_at"
                + " FROM zone_changes WHERE apex = ? AND generation > ? ORDER BY generation")) {
      ps.setString(1, apex);
      ps.setLong(2, afterGeneration);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Change(
                  rs.getLong(1),
                  rs.getLong(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getTimestamp(8).toInstant()));
        }
      }
    }
    return out;
  }
}
