package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
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
