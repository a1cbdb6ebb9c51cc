package net.membersdns.server.store.postgres;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.SerialNumber;
import org.postgresql.PGConnection;
import org.xbill.DNS.Record;

/**
 * Writes one chunk of imported records in the caller's transaction: COPY into a session-local
 * temporary table, then one INSERT that skips records already stored, then per zone that gained
 * records: serial bump, an 'import' journal row with exactly the added records, and a NOTIFY; each
 * of those is one statement for all zones of the chunk.
 */
public final class RecordChunkWriter {
  /**
   * One record bound for zone {@code zoneId} (apex {@code apex}); {@code leaseExpires} is null for
   * a permanent record, else when its update lease (RFC 9664) runs out.
   */
  public record Row(long zoneId, String apex, Record record, Instant leaseExpires) {}

  private static final HexFormat HEX = HexFormat.of();

  /**
   * @return how many records were new
   */
  int write(Connection c, List<Row> rows) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TEMP TABLE IF NOT EXISTS import_rows (zone_id bigint, owner text, rtype int,"
              + " rclass int, ttl bigint, rdata bytea, lease_expires timestamptz)"
              + " ON COMMIT DELETE ROWS");
    }
    StringBuilder copy = new StringBuilder(rows.size() * 96);
    for (Row row : rows) {
      Record r = row.record();
      // COPY text format: tab-separated, backslash is the escape character (doubled here).
      copy.append(row.zoneId())
          .append('\t')
          .append(RecordCodec.owner(r).replace("\\", "\\\\"))
          .append('\t')
          .append(r.getType())
          .append('\t')
          .append(r.getDClass())
          .append('\t')
          .append(r.getTTL())
          .append("\t\\\\x")
          .append(HEX.formatHex(RecordCodec.rdata(r)))
          .append('\t')
          .append(row.leaseExpires() == null ? "\\N" : row.leaseExpires().toString())
          .append('\n');
    }
    try {
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn("COPY import_rows FROM STDIN", new StringReader(copy.toString()));
    } catch (IOException e) {
      throw new SQLException("COPY failed: " + e.getMessage(), e);
    }
    Map<Long, List<Record>> added = new LinkedHashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO records"
                    + " (zone_id, owner, rtype, rclass, ttl, rdata, lease_expires, written_by)"
                    + " SELECT zone_id, owner, rtype, rclass, ttl, rdata, lease_expires, 'import'"
                    + " FROM import_rows"
                    + " ON CONFLICT (zone_id, owner, rtype, rdata) DO NOTHING"
                    + " RETURNING zone_id, owner, rtype, rclass, ttl, rdata");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        added
            .computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
            .add(
                RecordCodec.decode(
                    Names.absolute(rs.getString(2)),
                    rs.getInt(3),
                    rs.getInt(4),
                    rs.getLong(5),
                    rs.getBytes(6)));
      }
    }
    if (added.isEmpty()) {
      return 0;
    }
    // One statement each, whatever the number of zones: bump, journal, notify.
    Long[] ids = added.keySet().toArray(Long[]::new);
    List<String> apexList = new ArrayList<>();
    List<Long> serials = new ArrayList<>();
    List<Long> generations = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    List<Long> zoneIds = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE zones SET serial = "
                + SerialNumber.nextSql("serial")
                + ","
                + " generation = nextval('zone_generation'), updated_at = now()"
                + " WHERE id = ANY (?) RETURNING id, apex, serial, generation")) {
      ps.setArray(1, c.createArrayOf("bigint", ids));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          zoneIds.add(rs.getLong(1));
          apexList.add(rs.getString(2));
          serials.add(rs.getLong(3));
          generations.add(rs.getLong(4));
          texts.add(RecordCodec.journalText(added.get(rs.getLong(1))));
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO zone_changes (generation, zone_id, apex, serial, kind, added)"
                + " SELECT g, z, a, s, '"
                + ZoneChangeDao.IMPORT
                + "', t FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::text[])"
                + " AS u (g, z, a, s, t)")) {
      ps.setArray(1, c.createArrayOf("bigint", generations.toArray()));
      ps.setArray(2, c.createArrayOf("bigint", zoneIds.toArray()));
      ps.setArray(3, c.createArrayOf("text", apexList.toArray()));
      ps.setArray(4, c.createArrayOf("bigint", serials.toArray()));
      ps.setArray(5, c.createArrayOf("text", texts.toArray()));
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT count(pg_notify(?, a)) FROM unnest(?::text[]) AS a")) {
      ps.setString(1, ZoneNotify.CHANNEL);
      ps.setArray(2, c.createArrayOf("text", apexList.toArray()));
      ps.executeQuery().close();
    }
    int count = 0;
    for (List<Record> rs : added.values()) {
      count += rs.size();
    }
    return count;
  }
}
