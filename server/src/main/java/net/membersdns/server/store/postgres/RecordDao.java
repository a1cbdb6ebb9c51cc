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
   * Rows of one zone for the set-based statements below, which take the rows of many zones at once
   * (the group commit): one statement, whatever the number of zones and rows.
   *
   * @param writtenBy who wrote each row ({@code records.written_by}); only {@link #insert} asks,
   *     {@code null} for the others
   */
  public record ZoneRows(
      long zoneId, List<ZoneRecord> rows, Function<ZoneRecord, String> writtenBy) {
    public ZoneRows(long zoneId, List<ZoneRecord> rows) {
      this(zoneId, rows, null);
    }
  }

  /** Inserts the rows of every zone of {@code zones} in one statement. */
  public static void insert(Connection c, List<ZoneRows> zones) throws SQLException {
    Columns cols = new Columns(zones);
    if (cols.size == 0) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO records (zone_id, owner, rtype, rclass, ttl, rdata, lease_expires,"
                + " written_by) SELECT i.zone_id, i.owner, i.rtype, i.rclass, i.ttl, i.rdata,"
                + " to_timestamp(i.lease / 1000.0), i.written_by"
                + " FROM unnest(?::bigint[], ?::text[], ?::int[], ?::int[], ?::bigint[],"
                + " ?::bytea[], ?::bigint[], ?::text[])"
                + " AS i(zone_id, owner, rtype, rclass, ttl, rdata, lease, written_by)")) {
      Integer[] rclass = new Integer[cols.size];
      Long[] ttl = new Long[cols.size];
      String[] writtenBy = new String[cols.size];
      int i = 0;
      for (ZoneRows z : zones) {
        for (ZoneRecord zr : z.rows()) {
          rclass[i] = zr.record().getDClass();
          ttl[i] = zr.record().getTTL();
          writtenBy[i] = z.writtenBy().apply(zr);
          i++;
        }
      }
      ps.setArray(1, c.createArrayOf("bigint", cols.zoneId));
      ps.setArray(2, c.createArrayOf("text", cols.owner));
      ps.setArray(3, c.createArrayOf("integer", cols.rtype));
      ps.setArray(4, c.createArrayOf("integer", rclass));
      ps.setArray(5, c.createArrayOf("bigint", ttl));
      ps.setArray(6, c.createArrayOf("bytea", cols.rdata));
      ps.setArray(7, c.createArrayOf("bigint", cols.lease));
      ps.setArray(8, c.createArrayOf("text", writtenBy));
      ps.executeUpdate();
    }
  }

  /**
   * Deletes the rows (matched by owner, type and RDATA) of every zone of {@code zones} in one
   * statement.
   */
  public static void delete(Connection c, List<ZoneRows> zones) throws SQLException {
    Columns cols = new Columns(zones);
    if (cols.size == 0) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM records r"
                + " USING unnest(?::bigint[], ?::text[], ?::int[], ?::bytea[])"
                + " AS d(zone_id, owner, rtype, rdata)"
                + " WHERE r.zone_id = d.zone_id AND r.owner = d.owner AND r.rtype = d.rtype"
                + " AND r.rdata = d.rdata")) {
      cols.bindKey(c, ps);
      ps.executeUpdate();
    }
  }

  /**
   * Sets the lease expiry of the rows (matched by owner, type and RDATA) of every zone of {@code
   * zones} in one statement: RFC 9664 refreshes.
   */
  public static void updateLeases(Connection c, List<ZoneRows> zones) throws SQLException {
    Columns cols = new Columns(zones);
    if (cols.size == 0) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE records r SET lease_expires = to_timestamp(u.lease / 1000.0)"
                + " FROM unnest(?::bigint[], ?::text[], ?::int[], ?::bytea[], ?::bigint[])"
                + " AS u(zone_id, owner, rtype, rdata, lease)"
                + " WHERE r.zone_id = u.zone_id AND r.owner = u.owner AND r.rtype = u.rtype"
                + " AND r.rdata = u.rdata")) {
      cols.bindKey(c, ps);
      ps.setArray(5, c.createArrayOf("bigint", cols.lease));
      ps.executeUpdate();
    }
  }

  /** The key columns (and lease) of rows of many zones, as parallel arrays for {@code unnest}. */
  private static final class Columns {
    final int size;
    final Long[] zoneId;
    final String[] owner;
    final Integer[] rtype;
    final byte[][] rdata;
    final Long[] lease;

    Columns(List<ZoneRows> zones) {
      int n = 0;
      for (ZoneRows z : zones) {
        n += z.rows().size();
      }
      size = n;
      zoneId = new Long[n];
      owner = new String[n];
      rtype = new Integer[n];
      rdata = new byte[n][];
      lease = new Long[n];
      int i = 0;
      for (ZoneRows z : zones) {
        for (ZoneRecord zr : z.rows()) {
          zoneId[i] = z.zoneId();
          owner[i] = RecordCodec.owner(zr.record());
          rtype[i] = zr.record().getType();
          rdata[i] = RecordCodec.rdata(zr.record());
          lease[i] = zr.leased() ? zr.leaseExpiresMillis() : null;
          i++;
        }
      }
    }

    void bindKey(Connection c, PreparedStatement ps) throws SQLException {
      ps.setArray(1, c.createArrayOf("bigint", zoneId));
      ps.setArray(2, c.createArrayOf("text", owner));
      ps.setArray(3, c.createArrayOf("integer", rtype));
      ps.setArray(4, c.createArrayOf("bytea", rdata));
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
