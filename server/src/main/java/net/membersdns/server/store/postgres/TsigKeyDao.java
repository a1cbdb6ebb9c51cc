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
   * @param scope {@code zone} (exactly that zone), {@code members} (every member zone under it) or
   *     {@code host} (the names of one host in that zone; V6)
   * @param permission {@code update} or {@code read}
   * @param host the host label of scope {@code host}, else {@code null}
   */
  public record Grant(String zonePattern, String scope, String permission, String host) {
    /** Scope words of the table's CHECK. */
    public static final String ZONE = "zone";

    public static final String MEMBERS = "members";
    public static final String HOST = "host";

    /** A grant of scope {@code zone} or {@code members}. */
    public Grant(String zonePattern, String scope, String permission) {
      this(zonePattern, scope, permission, null);
    }

    /** As the update policy reads it: scope {@code members} becomes {@code *.<domain>}. */
    public net.membersdns.server.update.Grant toPolicy() {
      return new net.membersdns.server.update.Grant(
          MEMBERS.equals(scope) ? "*." + zonePattern : zonePattern,
          "read".equals(permission)
              ? net.membersdns.server.update.Grant.Permission.READ
              : net.membersdns.server.update.Grant.Permission.UPDATE,
          HOST.equals(scope) ? host : null);
    }

    /**
     * As the CLI shows it: {@code update members.example. (members)}, {@code update
     * alice.members.example. (host mbp)}, {@code read alice.members.example.}.
     */
    @Override
    public String toString() {
      String what =
          switch (scope) {
            case MEMBERS -> " (members)";
            case HOST -> " (host " + host + ")";
            default -> "";
          };
      return permission + " " + zonePattern + what;
    }
  }

  /** The grant columns {@link #grant} reads, in its order. */
  static final String GRANT_COLUMNS = "g.zone_pattern, g.scope, g.permission, g.host";

  /** The grant of a row whose {@link #GRANT_COLUMNS} start at column {@code first}. */
  static Grant grant(ResultSet rs, int first) throws SQLException {
    return new Grant(
        rs.getString(first),
        rs.getString(first + 1),
        rs.getString(first + 2),
        rs.getString(first + 3));
  }

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
    allGrants(
        c,
        (keyId, g) -> {
          KeyRow k = keys.get(keyId);
          if (k != null) {
            k.grants().add(g);
          }
        });
    List<KeyRow> out = new ArrayList<>();
    for (KeyRow k : keys.values()) {
      out.add(
          new KeyRow(
              k.id(), k.name(), k.algorithm(), k.secret(), k.member(), List.copyOf(k.grants())));
    }
    return out;
  }

  /** Hands every grant to {@code sink} with its key's id, in the order they were made. */
  static void allGrants(Connection c, java.util.function.BiConsumer<Long, Grant> sink)
      throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT g.key_id, " + GRANT_COLUMNS + " FROM key_grants g ORDER BY g.id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        sink.accept(rs.getLong(1), grant(rs, 2));
      }
    }
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
    insertGrants(c, id, grants);
    ZoneNotify.keysChanged(c);
    return id;
  }

  /** Adds {@code grants} to key {@code keyId}, in the caller's transaction. */
  static void insertGrants(Connection c, long keyId, List<Grant> grants) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO key_grants (key_id, zone_pattern, scope, permission, host)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      for (Grant g : grants) {
        ps.setLong(1, keyId);
        ps.setString(2, g.zonePattern());
        ps.setString(3, g.scope());
        ps.setString(4, g.permission());
        ps.setString(5, g.host());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Deletes the key {@code name} (its grants go with it) and tells every process to reload.
   *
   * @return whether it existed
   */
  public static boolean remove(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM tsig_keys WHERE name = ?")) {
      ps.setString(1, name);
      if (ps.executeUpdate() == 0) {
        return false;
      }
    }
    ZoneNotify.keysChanged(c);
    return true;
  }

  /**
   * The grants of those of {@code names} that exist, key rows share-locked until the transaction
   * ends: a key removed before this read is absent, and one removed after it waits for the caller's
   * commit. The update path calls this inside its commit transaction.
   *
   * @param names canonical key names
   * @return grants by key name; keys without grants map to an empty list
   */
  public static Map<String, List<Grant>> grantsOf(Connection c, List<String> names)
      throws SQLException {
    if (names.isEmpty()) {
      return new LinkedHashMap<>();
    }
    try (PreparedStatement ps = c.prepareStatement(GRANTS_OF)) {
      ps.setArray(1, c.createArrayOf("text", names.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        return grants(rs);
      }
    }
  }

  /** {@link #grantsOf}'s statement: one text[] parameter, the key names. */
  static final String GRANTS_OF =
      "SELECT k.name, "
          + GRANT_COLUMNS
          + " FROM tsig_keys k"
          + " LEFT JOIN key_grants g ON g.key_id = k.id WHERE k.name = ANY (?)"
          + " FOR SHARE OF k";

  /** The grants of a {@link #GRANTS_OF} result, by key name. */
  static Map<String, List<Grant>> grants(ResultSet rs) throws SQLException {
    Map<String, List<Grant>> out = new LinkedHashMap<>();
    while (rs.next()) {
      List<Grant> grants = out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
      if (rs.getString(2) != null) {
        grants.add(grant(rs, 2));
      }
    }
    return out;
  }

  /**
   * A cheap summary of both tables that changes whenever a key or grant is added or removed (rows
   * are never updated in place): the keyring's repair sweep compares it.
   */
  public static String fingerprint(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) FROM tsig_keys)"
                    + " || '/' || (SELECT count(*) || ':' || coalesce(max(id), 0) FROM key_grants)");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }
}
