package net.membersdns.server.importer;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.membersdns.server.store.postgres.RecordCodec;
import net.membersdns.server.store.postgres.ZoneChangeDao;
import net.membersdns.server.store.postgres.ZoneDao;
import net.membersdns.server.store.postgres.ZoneNotify;
import net.membersdns.server.zone.Names;
import org.postgresql.PGConnection;
import org.xbill.DNS.Record;

/**
 * Writes one chunk of imported records in the caller's transaction: COPY into a session-local
 * temporary table, then one INSERT that skips records already stored, then per zone that gained
 * records: serial bump, an 'import' journal row with exactly the added records, and a NOTIFY.
 */
final class RecordChunkWriter {
  /** One record bound for zone {@code zoneId} (apex {@code apex}). */
  record Row(long zoneId, String apex, Record record) {}

  private static final HexFormat HEX = HexFormat.of();

  /**
   * @return how many records were new
   */
  int write(Connection c, List<Row> rows) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TEMP TABLE IF NOT EXISTS import_rows (zone_id bigint, owner text, rtype int,"
              + " rclass int, ttl bigint, rdata bytea) ON COMMIT DELETE ROWS");
    }
    StringBuilder copy = new StringBuilder(rows.size() * 96);
    Map<Long, String> apexes = new LinkedHashMap<>();
    for (Row row : rows) {
      Record r = row.record();
      apexes.putIfAbsent(row.zoneId(), row.apex());
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
                "INSERT INTO records (zone_id, owner, rtype, rclass, ttl, rdata, written_by)"
                    + " SELECT zone_id, owner, rtype, rclass, ttl, rdata, 'import' FROM import_rows"
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
    int count = 0;
    for (var e : added.entrySet()) {
      String apex = apexes.get(e.getKey());
      ZoneDao.Version v = ZoneDao.bump(c, e.getKey(), true);
      ZoneChangeDao.append(
          c, e.getKey(), apex, v, ZoneChangeDao.IMPORT, "", RecordCodec.journalText(e.getValue()));
      ZoneNotify.notify(c, apex);
      count += e.getValue().size();
    }
    return count;
  }
}
