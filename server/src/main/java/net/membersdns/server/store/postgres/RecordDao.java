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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /** The stored records of the zones {@code zoneIds}, by zone, each ordered by owner and type. */
  public static Map<Long, List<ZoneRecord>> listForZones(Connection c, Collection<Long> zoneIds)
      throws SQLException {
    Map<Long, List<ZoneRecord>> out = new HashMap<>();
    if (zoneIds.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT zone_id, "
                + COLUMNS
                + " FROM records WHERE zone_id = ANY (?) ORDER BY zone_id, owner, rtype, id")) {
      ps.setArray(1, c.createArrayOf("bigint", zoneIds.toArray(new Long[0])));
      try (ResultSet rs = ps.executeQuery()) {
        Reader reader = new Reader();
        while (rs.next()) {
          out.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(reader.read(rs, 2));
        }
      }
    }
    return out;
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
