package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.membersdns.server.zone.SerialNumber;

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
   * The zones at {@code apexes} (canonical text) that exist, row-locked until the transaction ends,
   * locked in id order so that two transactions locking overlapping sets (two processes' group
   * commits) cannot deadlock.
   *
   * @return the rows by apex
   */
  public static Map<String, ZoneRow> lockAll(Connection c, List<String> apexes)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LOCK_ALL)) {
      ps.setArray(1, c.createArrayOf("text", apexes.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        return rows(rs);
      }
    }
  }

  /** {@link #lockAll}'s statement: one text[] parameter, the apexes. */
  static final String LOCK_ALL = SELECT + " WHERE z.apex = ANY (?) ORDER BY z.id FOR UPDATE OF z";

  /** The rows of a {@link #LOCK_ALL} result, by apex. */
  static Map<String, ZoneRow> rows(ResultSet rs) throws SQLException {
    Map<String, ZoneRow> out = new HashMap<>();
    while (rs.next()) {
      ZoneRow row = row(rs);
      out.put(row.apex(), row);
    }
    return out;
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
    return clock.instant().getEpochSecond() % SerialNumber.MODULUS;
  }
}
