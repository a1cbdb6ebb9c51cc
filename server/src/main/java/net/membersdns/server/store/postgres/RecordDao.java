package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ZoneRecord;
import org.xbill.DNS.Name;

/** SQL for the {@code records} table. Every method runs on the caller's connection. */
public final class RecordDao {
  private RecordDao() {}

  /** Columns in the order {@link Reader#read} expects them, after any leading columns. */
  static final String COLUMNS = "owner, rtype, rclass, ttl, rdata, lease_expires";

  /** The stored records of one zone, ordered by owner and type. */
  public static List<ZoneRecord> listForZone(Connection c, long zoneId) throws SQLException {
    List<ZoneRecord> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM records WHERE zone_id = ? ORDER BY owner, rtype, id")) {
      ps.setLong(1, zoneId);
      try (ResultSet rs = ps.executeQuery()) {
        Reader reader = new Reader();
        while (rs.next()) {
          out.add(reader.read(rs, 1));
        }
      }
    }
    return out;
  }

  /** Inserts {@code rows} into zone {@code zoneId} (one JDBC batch). */
  public static void insert(
      Connection c, long zoneId, List<ZoneRecord> rows, Function<ZoneRecord, String> writtenBy)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO records (zone_id, owner, rtype, rclass, ttl, rdata, lease_expires,"
                + " written_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (ZoneRecord zr : rows) {
        ps.setLong(1, zoneId);
        ps.setString(2, RecordCodec.owner(zr.record()));
        ps.setInt(3, zr.record().getType());
        ps.setInt(4, zr.record().getDClass());
        ps.setLong(5, zr.record().getTTL());
        ps.setBytes(6, RecordCodec.rdata(zr.record()));
        ps.setObject(7, leaseColumn(zr));
        ps.setString(8, writtenBy.apply(zr));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Deletes {@code rows} (matched by owner, type and RDATA) from zone {@code zoneId}. */
  public static void delete(Connection c, long zoneId, List<ZoneRecord> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM records WHERE zone_id = ? AND owner = ? AND rtype = ? AND rdata = ?")) {
      for (ZoneRecord zr : rows) {
        bindKey(ps, zoneId, zr, 1);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Sets the lease expiry of {@code rows} (matched by owner, type and RDATA): a refresh. */
  public static void updateLeases(Connection c, long zoneId, List<ZoneRecord> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE records SET lease_expires = ?"
                + " WHERE zone_id = ? AND owner = ? AND rtype = ? AND rdata = ?")) {
      for (ZoneRecord zr : rows) {
        ps.setObject(1, leaseColumn(zr));
        bindKey(ps, zoneId, zr, 2);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Apexes of zones holding a record whose lease expired at {@code now}, at most {@code limit} (the
   * lease reaper's scan; served by the partial index {@code records_lease_expires}).
   */
  public static List<String> zonesWithExpiredLeases(Connection c, Instant now, int limit)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT z.apex FROM zones z WHERE z.id IN (SELECT DISTINCT zone_id FROM records"
                + " WHERE lease_expires IS NOT NULL AND lease_expires <= ?) LIMIT ?")) {
      ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static void bindKey(PreparedStatement ps, long zoneId, ZoneRecord zr, int first)
      throws SQLException {
    ps.setLong(first, zoneId);
    ps.setString(first + 1, RecordCodec.owner(zr.record()));
    ps.setInt(first + 2, zr.record().getType());
    ps.setBytes(first + 3, RecordCodec.rdata(zr.record()));
  }

  private static OffsetDateTime leaseColumn(ZoneRecord zr) {
    return zr.leased()
        ? OffsetDateTime.ofInstant(Instant.ofEpochMilli(zr.leaseExpiresMillis()), ZoneOffset.UTC)
        : null;
  }

  /**
   * Decodes record rows, parsing each distinct owner name once (hosts have several RRsets at one
   * name). Not thread-safe: one per result set.
   */
  static final class Reader {
    private final Map<String, Name> names = new HashMap<>();

    /** Reads the six {@link #COLUMNS} starting at column {@code first}. */
    ZoneRecord read(ResultSet rs, int first) throws SQLException {
      Name owner = names.computeIfAbsent(rs.getString(first), Names::absolute);
      Timestamp lease = rs.getTimestamp(first + 5);
      return new ZoneRecord(
          RecordCodec.decode(
              owner,
              rs.getInt(first + 1),
              rs.getInt(first + 2),
              rs.getLong(first + 3),
              rs.getBytes(first + 4)),
          lease == null ? ZoneRecord.PERMANENT : lease.getTime());
    }
  }
}
