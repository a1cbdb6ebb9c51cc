package net.membersdns.server.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.membersdns.server.zone.SerialNumber;

/**
 * SQL for enrolment: members with their zone, key and grants. Batches go through array parameters
 * ({@code unnest}), one statement per table whatever the batch size, so the bulk importer enrols
 * thousands of members in a few round trips. Every method runs in the caller's transaction.
 */
public final class MemberDao {
  private MemberDao() {}

  /**
   * What to create for one member. Names are canonical text (lower case, trailing dot).
   *
   * @param algorithm the key's algorithm as stored (dnsjava name)
   * @param kdf {@code null} unless the secret was derived from a password; then salt and iterations
   *     are set too
   */
  public record NewMember(
      String name,
      String zoneApex,
      long serial,
      String keyName,
      String algorithm,
      byte[] secret,
      String kdf,
      byte[] salt,
      Integer iterations) {}

  /** One member as listed. {@code keyName}/{@code algorithm} are null if it has no key. */
  public record MemberRow(
      String name, String zoneApex, String keyName, String algorithm, Instant createdAt) {}

  /**
   * Creates {@code members}: member rows, zones (with a new generation each), keys, 'update' and
   * 'read' grants on exactly the member's zone, a 'create' journal row per zone and a NOTIFY per
   * zone. Members whose name already exists are skipped.
   *
   * @return the names actually created
   */
  public static List<String> enrol(Connection c, List<NewMember> members) throws SQLException {
    if (members.isEmpty()) {
      return List.of();
    }
    Map<String, Long> ids = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO members (name) SELECT unnest(?::text[])"
                + " ON CONFLICT (name) DO NOTHING RETURNING id, name")) {
      ps.setArray(1, c.createArrayOf("text", members.stream().map(NewMember::name).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.put(rs.getString(2), rs.getLong(1));
        }
      }
    }
    List<NewMember> created = members.stream().filter(m -> ids.containsKey(m.name())).toList();
    if (created.isEmpty()) {
      return List.of();
    }
    Array memberIds =
        c.createArrayOf("bigint", created.stream().map(m -> ids.get(m.name())).toArray());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO zones (apex, member_id, serial)"
                + " SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[])")) {
      ps.setArray(1, c.createArrayOf("text", created.stream().map(NewMember::zoneApex).toArray()));
      ps.setArray(2, memberIds);
      ps.setArray(3, c.createArrayOf("bigint", created.stream().map(NewMember::serial).toArray()));
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO tsig_keys (name, algorithm, secret, member_id, kdf, salt, iterations)"
                + " SELECT * FROM unnest(?::text[], ?::text[], ?::bytea[], ?::bigint[],"
                + " ?::text[], ?::bytea[], ?::int[])")) {
      ps.setArray(1, c.createArrayOf("text", created.stream().map(NewMember::keyName).toArray()));
      ps.setArray(2, c.createArrayOf("text", created.stream().map(NewMember::algorithm).toArray()));
      ps.setArray(
          3,
          c.createArrayOf("bytea", created.stream().map(NewMember::secret).toArray(byte[][]::new)));
      ps.setArray(4, memberIds);
      ps.setArray(5, c.createArrayOf("text", created.stream().map(NewMember::kdf).toArray()));
      ps.setArray(
          6,
          c.createArrayOf("bytea", created.stream().map(NewMember::salt).toArray(byte[][]::new)));
      ps.setArray(
          7, c.createArrayOf("int4", created.stream().map(NewMember::iterations).toArray()));
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO key_grants (key_id, zone_pattern, scope, permission)"
                + " SELECT k.id, z.apex, 'zone', p.permission FROM tsig_keys k"
                + " JOIN zones z ON z.member_id = k.member_id"
                + " CROSS JOIN (VALUES ('update'), ('read')) AS p (permission)"
                + " WHERE k.member_id = ANY (?)")) {
      ps.setArray(1, memberIds);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO zone_changes (generation, zone_id, apex, serial, kind)"
                + " SELECT generation, id, apex, serial, 'create' FROM zones"
                + " WHERE member_id = ANY (?)")) {
      ps.setArray(1, memberIds);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(pg_notify(?, apex)) FROM zones WHERE member_id = ANY (?)")) {
      ps.setString(1, ZoneNotify.CHANNEL);
      ps.setArray(2, memberIds);
      ps.executeQuery().close();
    }
    ZoneNotify.keysChanged(c);
    return created.stream().map(NewMember::name).toList();
  }

  /**
   * Deletes member {@code name}: its zone, records, keys and grants go with it (ON DELETE CASCADE),
   * so its key stops working at once. Journals a 'remove' row (the removed records, the serial
   * after) and sends a NOTIFY for the zone.
   *
   * @return the removed zone's apex, or empty if there is no such member
   */
  public static Optional<String> remove(Connection c, String name) throws SQLException {
    Optional<ZoneDao.ZoneRow> zone = ZoneDao.findByMember(c, name);
    if (zone.isPresent()) {
      zone = ZoneDao.lock(c, zone.get().apex());
    }
    String removed = "";
    if (zone.isPresent()) {
      removed =
          RecordCodec.journalText(
              RecordDao.listForZone(c, zone.get().id()).stream()
                  .map(net.membersdns.server.zone.ZoneRecord::record)
                  .toList());
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM members WHERE name = ?")) {
      ps.setString(1, name);
      if (ps.executeUpdate() == 0) {
        return Optional.empty();
      }
    }
    if (zone.isEmpty()) {
      ZoneNotify.keysChanged(c);
      return Optional.of("");
    }
    ZoneDao.ZoneRow z = zone.get();
    long generation;
    try (PreparedStatement ps = c.prepareStatement("SELECT nextval('zone_generation')");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      generation = rs.getLong(1);
    }
    ZoneChangeDao.append(
        c,
        z.id(),
        z.apex(),
        new ZoneDao.Version(SerialNumber.next(z.serial()), generation),
        ZoneChangeDao.REMOVE,
        removed,
        "");
    ZoneNotify.notify(c, z.apex());
    ZoneNotify.keysChanged(c);
    return Optional.of(z.apex());
  }

  /**
   * Every member with its zone and member key(s), by name; host keys are {@link HostDao#list}'s.
   */
  public static List<MemberRow> list(Connection c) throws SQLException {
    List<MemberRow> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT m.name, z.apex, k.name, k.algorithm, m.created_at FROM members m"
                    + " LEFT JOIN zones z ON z.member_id = m.id"
                    + " LEFT JOIN tsig_keys k ON k.member_id = m.id AND k.host IS NULL"
                    + " ORDER BY m.name, k.name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new MemberRow(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getTimestamp(5).toInstant()));
      }
    }
    return out;
  }

  /** The names of all members (the importer's "already enrolled" set). */
  public static List<String> names(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM members");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
