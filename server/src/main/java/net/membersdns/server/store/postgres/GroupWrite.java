package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.membersdns.server.zone.SerialNumber;
import net.membersdns.server.zone.ZoneRecord;

/**
 * Everything a group commit writes, for many zones, in ONE statement: data-modifying CTEs over
 * {@code unnest} of parallel arrays delete, insert and update {@code records}, bump {@code zones}
 * (a new generation from {@code zone_generation} for every written zone, the next serial (RFC 1982,
 * wrapping at 2^32) only where content changed), append the journal rows of the zones whose content
 * changed with the serial and generation just drawn, and queue one {@code pg_notify} per written
 * zone (delivered at commit). One round trip, whatever the number of zones and rows.
 *
 * <p>The row sets must be disjoint (each row in at most one of delete, insert, update), as
 * PostgreSQL runs the CTEs on one snapshot: a row whose TTL changes is updated in place, not
 * deleted and inserted. The zone rows must be locked by the caller's transaction. Not thread-safe;
 * one per commit.
 */
final class GroupWrite {
  private static final String SQL =
      "WITH d AS (DELETE FROM records r"
          + " USING unnest(?::bigint[], ?::text[], ?::int[], ?::bytea[])"
          + " AS d(zone_id, owner, rtype, rdata)"
          + " WHERE r.zone_id = d.zone_id AND r.owner = d.owner AND r.rtype = d.rtype"
          + " AND r.rdata = d.rdata),"
          + " i AS (INSERT INTO records"
          + " (zone_id, owner, rtype, rclass, ttl, rdata, lease_expires, written_by)"
          + " SELECT i.zone_id, i.owner, i.rtype, i.rclass, i.ttl, i.rdata,"
          + " to_timestamp(i.lease / 1000.0), i.written_by"
          + " FROM unnest(?::bigint[], ?::text[], ?::int[], ?::int[], ?::bigint[], ?::bytea[],"
          + " ?::bigint[], ?::text[]) AS i(zone_id, owner, rtype, rclass, ttl, rdata, lease,"
          + " written_by)),"
          + " u AS (UPDATE records r SET rclass = coalesce(u.rclass, r.rclass),"
          + " ttl = coalesce(u.ttl, r.ttl), lease_expires = to_timestamp(u.lease / 1000.0),"
          + " written_by = coalesce(u.written_by, r.written_by)"
          + " FROM unnest(?::bigint[], ?::text[], ?::int[], ?::bytea[], ?::int[], ?::bigint[],"
          + " ?::bigint[], ?::text[]) AS u(zone_id, owner, rtype, rdata, rclass, ttl, lease,"
          + " written_by)"
          + " WHERE r.zone_id = u.zone_id AND r.owner = u.owner AND r.rtype = u.rtype"
          + " AND r.rdata = u.rdata),"
          + " b AS (UPDATE zones z SET"
          + " serial = CASE WHEN b.changed THEN "
          + SerialNumber.nextSql("z.serial")
          + " ELSE z.serial END,"
          + " generation = nextval('zone_generation'), updated_at = now()"
          + " FROM unnest(?::bigint[], ?::boolean[]) AS b(id, changed) WHERE z.id = b.id"
          + " RETURNING z.id, z.apex, z.serial, z.generation),"
          + " j AS (INSERT INTO zone_changes (generation, zone_id, apex, serial, kind, removed,"
          + " added) SELECT b.generation, b.id, b.apex, b.serial, x.kind, x.removed, x.added"
          + " FROM b JOIN unnest(?::bigint[], ?::text[], ?::text[], ?::text[])"
          + " AS x(id, kind, removed, added) ON x.id = b.id)"
          + " SELECT b.id, b.serial, b.generation, pg_notify('"
          + ZoneNotify.CHANNEL
          + "', b.apex) FROM b";

  /** Rows of {@code records}, column by column. */
  private static final class Rows {
    final List<Long> zoneId = new ArrayList<>();
    final List<String> owner = new ArrayList<>();
    final List<Integer> rtype = new ArrayList<>();
    final List<Integer> rclass = new ArrayList<>();
    final List<Long> ttl = new ArrayList<>();
    final List<byte[]> rdata = new ArrayList<>();
    final List<Long> lease = new ArrayList<>();
    final List<String> writtenBy = new ArrayList<>();

    /** Adds a row; {@code whole} false: only the key and the lease (a refresh). */
    void add(long zone, ZoneRecord zr, boolean whole, String writer) {
      zoneId.add(zone);
      owner.add(RecordCodec.owner(zr.record()));
      rtype.add(zr.record().getType());
      rdata.add(RecordCodec.rdata(zr.record()));
      rclass.add(whole ? zr.record().getDClass() : null);
      ttl.add(whole ? zr.record().getTTL() : null);
      lease.add(zr.leased() ? zr.leaseExpiresMillis() : null);
      writtenBy.add(whole ? writer : null);
    }

    int bindKey(Connection c, PreparedStatement ps, int i) throws SQLException {
      ps.setArray(i++, c.createArrayOf("bigint", zoneId.toArray(new Long[0])));
      ps.setArray(i++, c.createArrayOf("text", owner.toArray(new String[0])));
      ps.setArray(i++, c.createArrayOf("integer", rtype.toArray(new Integer[0])));
      ps.setArray(i++, c.createArrayOf("bytea", rdata.toArray(new byte[0][])));
      return i;
    }
  }

  private final Rows deleted = new Rows();
  private final Rows inserted = new Rows();
  private final Rows updated = new Rows();
  private final List<Long> zoneIds = new ArrayList<>();
  private final List<Boolean> changed = new ArrayList<>();
  private final List<Long> journalIds = new ArrayList<>();
  private final List<String> kinds = new ArrayList<>();
  private final List<String> removedText = new ArrayList<>();
  private final List<String> addedText = new ArrayList<>();

  /** Rows of zone {@code zoneId} to delete (matched by owner, type and RDATA). */
  void delete(long zoneId, List<ZoneRecord> rows) {
    for (ZoneRecord zr : rows) {
      deleted.add(zoneId, zr, false, null);
    }
  }

  /** New rows of zone {@code zoneId}. */
  void insert(long zoneId, List<ZoneRecord> rows, Function<ZoneRecord, String> writtenBy) {
    for (ZoneRecord zr : rows) {
      inserted.add(zoneId, zr, true, writtenBy.apply(zr));
    }
  }

  /** Rows of zone {@code zoneId} rewritten in place: class, TTL, lease and writer. */
  void replace(long zoneId, List<ZoneRecord> rows, Function<ZoneRecord, String> writtenBy) {
    for (ZoneRecord zr : rows) {
      updated.add(zoneId, zr, true, writtenBy.apply(zr));
    }
  }

  /** Rows of zone {@code zoneId} whose lease expiry alone changes (an RFC 9664 refresh). */
  void lease(long zoneId, List<ZoneRecord> rows) {
    for (ZoneRecord zr : rows) {
      updated.add(zoneId, zr, false, null);
    }
  }

  /**
   * Zone {@code zoneId} was written: new generation; when {@code journalKind} is not null its
   * content changed (next serial, one journal row of that kind with the RRs removed and added).
   */
  void zone(long zoneId, String journalKind, String removed, String added) {
    zoneIds.add(zoneId);
    changed.add(journalKind != null);
    if (journalKind != null) {
      journalIds.add(zoneId);
      kinds.add(journalKind);
      removedText.add(removed);
      addedText.add(added);
    }
  }

  boolean isEmpty() {
    return zoneIds.isEmpty();
  }

  /**
   * Runs the statement on the caller's transaction.
   *
   * @return serial and generation after the commit, by zone id
   */
  Map<Long, ZoneDao.Version> execute(Connection c) throws SQLException {
    Map<Long, ZoneDao.Version> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(SQL)) {
      int i = deleted.bindKey(c, ps, 1);
      i = bindInsert(c, ps, i);
      i = updated.bindKey(c, ps, i);
      ps.setArray(i++, c.createArrayOf("integer", updated.rclass.toArray(new Integer[0])));
      ps.setArray(i++, c.createArrayOf("bigint", updated.ttl.toArray(new Long[0])));
      ps.setArray(i++, c.createArrayOf("bigint", updated.lease.toArray(new Long[0])));
      ps.setArray(i++, c.createArrayOf("text", updated.writtenBy.toArray(new String[0])));
      ps.setArray(i++, c.createArrayOf("bigint", zoneIds.toArray(new Long[0])));
      ps.setArray(i++, c.createArrayOf("boolean", changed.toArray(new Boolean[0])));
      ps.setArray(i++, c.createArrayOf("bigint", journalIds.toArray(new Long[0])));
      ps.setArray(i++, c.createArrayOf("text", kinds.toArray(new String[0])));
      ps.setArray(i++, c.createArrayOf("text", removedText.toArray(new String[0])));
      ps.setArray(i, c.createArrayOf("text", addedText.toArray(new String[0])));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getLong(1), new ZoneDao.Version(rs.getLong(2), rs.getLong(3)));
        }
      }
    }
    for (Long id : zoneIds) {
      if (!out.containsKey(id)) {
        throw new SQLException("zone " + id + " does not exist");
      }
    }
    return out;
  }

  private int bindInsert(Connection c, PreparedStatement ps, int i) throws SQLException {
    ps.setArray(i++, c.createArrayOf("bigint", inserted.zoneId.toArray(new Long[0])));
    ps.setArray(i++, c.createArrayOf("text", inserted.owner.toArray(new String[0])));
    ps.setArray(i++, c.createArrayOf("integer", inserted.rtype.toArray(new Integer[0])));
    ps.setArray(i++, c.createArrayOf("integer", inserted.rclass.toArray(new Integer[0])));
    ps.setArray(i++, c.createArrayOf("bigint", inserted.ttl.toArray(new Long[0])));
    ps.setArray(i++, c.createArrayOf("bytea", inserted.rdata.toArray(new byte[0][])));
    ps.setArray(i++, c.createArrayOf("bigint", inserted.lease.toArray(new Long[0])));
    ps.setArray(i++, c.createArrayOf("text", inserted.writtenBy.toArray(new String[0])));
    return i;
  }
}
