package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL for TSIG keys and their grants: what the update path's keyring and policy are built from
 * (issue 3). Grants are rows, never code.
 */
public final class TsigKeyDao {
  private TsigKeyDao() {}

  /**
   * One grant.
   *
   * @param zonePattern a zone apex; with scope {@code members}, the members domain
   * @param scope {@code zone} (exactly that zone) or {@code members} (every member zone under it)
   * @param permission {@code update} or {@code read}
   */
  public record Grant(String zonePattern, String scope, String permission) {}

  /**
   * One key. {@code member} is null for operator keys.
   *
   * @param algorithm dnsjava's name, e.g. {@code hmac-sha256.}
   */
  public record KeyRow(
      long id, String name, String algorithm, byte[] secret, String member, List<Grant> grants) {}

  /** Every key with its grants, by name. */
  public static List<KeyRow> loadAll(Connection c) throws SQLException {
    Map<Long, KeyRow> keys = new LinkedHashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT k.id, k.name, k.algorithm, k.secret, m.name FROM tsig_keys k"
                    + " LEFT JOIN members m ON m.id = k.member_id ORDER BY k.name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        keys.put(
            rs.getLong(1),
            new KeyRow(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getBytes(4),
                rs.getString(5),
                new ArrayList<>()));
      }
    }
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT key_id, zone_pattern, scope, permission FROM key_grants ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        KeyRow k = keys.get(rs.getLong(1));
        if (k != null) {
          k.grants().add(new Grant(rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
    }
    List<KeyRow> out = new ArrayList<>();
    for (KeyRow k : keys.values()) {
      out.add(
          new KeyRow(
              k.id(), k.name(), k.algorithm(), k.secret(), k.member(), List.copyOf(k.grants())));
    }
    return out;
  }

  /**
   * Creates an operator key (no member) with {@code grants}; for admin tooling and benchmarks.
   *
   * @return the key's id
   */
  public static long createOperatorKey(
      Connection c, String name, String algorithm, byte[] secret, List<Grant> grants)
      throws SQLException {
    long id;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO tsig_keys (name, algorithm, secret) VALUES (?, ?, ?) RETURNING id")) {
      ps.setString(1, name);
      ps.setString(2, algorithm);
      ps.setBytes(3, secret);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO key_grants (key_id, zone_pattern, scope, permission) VALUES (?, ?, ?, ?)")) {
      for (Grant g : grants) {
        ps.setLong(1, id);
        ps.setString(2, g.zonePattern());
        ps.setString(3, g.scope());
        ps.setString(4, g.permission());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return id;
  }
}
