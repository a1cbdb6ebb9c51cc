package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** SQL for the {@code zones} table. Every method runs on the caller's connection/transaction. */
public final class ZoneDao {
  private ZoneDao() {}

  /** One row of {@code zones}; {@code member} is {@code null} for the members domain zone. */
  public record ZoneRow(long id, String apex, String member, long serial, long generation) {}

  /** Serial and generation after a commit. */
  public record Version(long serial, long generation) {}

  private static final String SELECT =
      "SELECT z.id, z.apex, m.name, z.serial, z.generation FROM zones z"
          + " LEFT JOIN members m ON m.id = z.member_id";

  /** The zone at {@code apex} (canonical text), without locking. */
  public static Optional<ZoneRow> find(Connection c, String apex) throws SQLException {
    return one(c, SELECT + " WHERE z.apex = ?", apex);
  }

  /**
   * The zone at {@code apex}, row-locked until the transaction ends: writers of one zone take this
   * lock first, so their commits (and generations) are serialised.
   */
  public static Optional<ZoneRow> lock(Connection c, String apex) throws SQLException {
    return one(c, SELECT + " WHERE z.apex = ? FOR UPDATE OF z", apex);
  }

  /** The zone of member {@code member}. */
  public static Optional<ZoneRow> findByMember(Connection c, String member) throws SQLException {
    return one(c, SELECT + " WHERE m.name = ?", member);
  }

  private static Optional<ZoneRow> one(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  static ZoneRow row(ResultSet rs) throws SQLException {
    return new ZoneRow(
        rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5));
  }

  /**
   * Records a commit to zone {@code zoneId}: a new generation always, and the next serial (RFC 1982
   * §3.1, wrapping at 2^32) when {@code contentChanged}. Lease-only refreshes pass {@code false}.
   */
  public static Version bump(Connection c, long zoneId, boolean contentChanged)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE zones SET serial = CASE WHEN ? THEN (serial + 1) % 4294967296 ELSE serial END,"
                + " generation = nextval('zone_generation'), updated_at = now()"
                + " WHERE id = ? RETURNING serial, generation")) {
      ps.setBoolean(1, contentChanged);
      ps.setLong(2, zoneId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("zone " + zoneId + " does not exist");
        }
        return new Version(rs.getLong(1), rs.getLong(2));
      }
    }
  }

  /**
   * Creates the zone at {@code apex} with no member unless it exists.
   *
   * @return the new row, or empty if the zone already existed
   */
  public static Optional<ZoneRow> createDomainZone(Connection c, String apex, long serial)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO zones (apex, serial) VALUES (?, ?) ON CONFLICT (apex) DO NOTHING"
                + " RETURNING id, apex, NULL::text, serial, generation")) {
      ps.setString(1, apex);
      ps.setLong(2, serial);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /** An initial serial: the current time in seconds, as many zones do, within 32 bits. */
  public static long initialSerial(java.time.Clock clock) {
    return clock.instant().getEpochSecond() % 4294967296L;
  }
}
