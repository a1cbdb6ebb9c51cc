package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL for {@code export} and the key part of {@code import}: every zone and key as they are stored,
 * read in one consistent snapshot, and the grants a restored key lacks. Every method runs in the
 * caller's transaction.
 */
public final class BackupDao {
  private BackupDao() {}

  /** One zone: its apex and, for a member zone, the member. */
  public record ZoneEntry(long id, String apex, String member) {}

  /**
   * One key as stored. {@code member} is null for operator keys, {@code host} for all but host
   * keys; {@code kdf}, {@code salt} and {@code iterations} are set only for password-derived keys.
   */
  public record KeyEntry(
      String name,
      String algorithm,
      byte[] secret,
      String member,
      String host,
      String kdf,
      byte[] salt,
      Integer iterations,
      List<TsigKeyDao.Grant> grants) {}

  /**
   * Makes the caller's transaction one read-only snapshot (REPEATABLE READ): the zone file and the
   * keys file of one export then describe the same moment although written by several queries. Must
   * be the transaction's first statement.
   */
  public static void snapshot(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }
  }

  /** Every zone, the members domain's first, then by apex. */
  public static List<ZoneEntry> zones(Connection c) throws SQLException {
    List<ZoneEntry> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT z.id, z.apex, m.name FROM zones z LEFT JOIN members m ON m.id = z.member_id"
                    + " ORDER BY z.member_id IS NOT NULL, z.apex");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new ZoneEntry(rs.getLong(1), rs.getString(2), rs.getString(3)));
      }
    }
    return out;
  }

  /** Every key with its grants, by name. */
  public static List<KeyEntry> keys(Connection c) throws SQLException {
    Map<Long, KeyEntry> keys = new LinkedHashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT k.id, k.name, k.algorithm, k.secret, m.name, k.host, k.kdf, k.salt,"
                    + " k.iterations FROM tsig_keys k LEFT JOIN members m ON m.id = k.member_id"
                    + " ORDER BY k.name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        keys.put(
            rs.getLong(1),
            new KeyEntry(
                rs.getString(2),
                rs.getString(3),
                rs.getBytes(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getBytes(8),
                (Integer) rs.getObject(9),
                new ArrayList<>()));
      }
    }
    TsigKeyDao.allGrants(
        c,
        (keyId, g) -> {
          KeyEntry k = keys.get(keyId);
          if (k != null) {
            k.grants().add(g);
          }
        });
    return List.copyOf(keys.values());
  }

  /** Whether a key named {@code name} (canonical) exists. */
  public static boolean keyExists(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tsig_keys WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Gives key {@code name} those of {@code grants} it does not hold yet, and tells every server to
   * reload its keys if any was added.
   *
   * @return how many were added
   */
  public static int addMissingGrants(Connection c, String name, List<TsigKeyDao.Grant> grants)
      throws SQLException {
    int added = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO key_grants (key_id, zone_pattern, scope, permission, host)"
                + " SELECT k.id, ?, ?, ?, ? FROM tsig_keys k WHERE k.name = ?"
                + " AND NOT EXISTS (SELECT 1 FROM key_grants g WHERE g.key_id = k.id"
                + " AND g.zone_pattern = ? AND g.scope = ? AND g.permission = ?"
                + " AND g.host IS NOT DISTINCT FROM ?)")) {
      for (TsigKeyDao.Grant g : grants) {
        ps.setString(1, g.zonePattern());
        ps.setString(2, g.scope());
        ps.setString(3, g.permission());
        ps.setString(4, g.host());
        ps.setString(5, name);
        ps.setString(6, g.zonePattern());
        ps.setString(7, g.scope());
        ps.setString(8, g.permission());
        ps.setString(9, g.host());
        added += ps.executeUpdate();
      }
    }
    if (added > 0) {
      ZoneNotify.keysChanged(c);
    }
    return added;
  }
}
