package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ZoneRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * SQL for per-host keys (V6): a TSIG key with {@code tsig_keys.host} set, owned by a member, with a
 * {@code host} grant (update, restricted to that host's names) and a {@code read} grant on the
 * member's zone. Every method runs in the caller's transaction and sends the keys NOTIFY, so every
 * server process reloads its keyring when that transaction commits.
 */
public final class HostDao {
  private HostDao() {}

  /**
   * A host key to create. Names are canonical text.
   *
   * @param algorithm as stored (the wire name, e.g. {@code hmac-sha256.})
   */
  public record NewHost(
      String member, String host, String keyName, String algorithm, byte[] secret) {}

  /** One host key as listed; {@code algorithm} as stored. */
  public record HostRow(
      String host,
      String keyName,
      String algorithm,
      Instant createdAt,
      List<TsigKeyDao.Grant> grants) {}

  /** What {@link #create} did. */
  public sealed interface AddOutcome {
    /** Created, with these grants on the member's zone {@code zoneApex}. */
    record Added(String zoneApex, List<TsigKeyDao.Grant> grants) implements AddOutcome {}

    /** Nothing created. */
    enum Refused implements AddOutcome {
      NO_MEMBER,
      HOST_EXISTS,
      /** Another key (an operator's) has the name the host key would get. */
      KEY_NAME_TAKEN
    }
  }

  /** What {@link #remove} did. */
  public sealed interface RemoveOutcome {
    /**
     * The key is gone, and so are {@code records} from {@code zoneApex}; {@code version} is the
     * zone's serial and generation after that commit, empty when the host had no records.
     */
    record Removed(
        String keyName, String zoneApex, List<Record> records, Optional<ZoneDao.Version> version)
        implements RemoveOutcome {}

    /** Nothing removed. */
    enum Refused implements RemoveOutcome {
      NO_MEMBER,
      NO_HOST
    }
  }

  /**
   * Creates host key {@code h} with its two grants on the member's zone. The member row is
   * share-locked first, so a concurrent {@code member remove} cannot leave a host key behind.
   */
  public static AddOutcome create(Connection c, NewHost h) throws SQLException {
    long memberId;
    String apex;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT m.id, z.apex FROM members m JOIN zones z ON z.member_id = m.id"
                + " WHERE m.name = ? FOR SHARE OF m")) {
      ps.setString(1, h.member());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return AddOutcome.Refused.NO_MEMBER;
        }
        memberId = rs.getLong(1);
        apex = rs.getString(2);
      }
    }
    Optional<Long> keyId;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO tsig_keys (name, algorithm, secret, member_id, host)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id")) {
      ps.setString(1, h.keyName());
      ps.setString(2, h.algorithm());
      ps.setBytes(3, h.secret());
      ps.setLong(4, memberId);
      ps.setString(5, h.host());
      try (ResultSet rs = ps.executeQuery()) {
        keyId = rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
    if (keyId.isEmpty()) {
      return hostKeyId(c, memberId, h.host()).isPresent()
          ? AddOutcome.Refused.HOST_EXISTS
          : AddOutcome.Refused.KEY_NAME_TAKEN;
    }
    List<TsigKeyDao.Grant> grants =
        List.of(
            new TsigKeyDao.Grant(apex, TsigKeyDao.Grant.HOST, "update", h.host()),
            new TsigKeyDao.Grant(apex, TsigKeyDao.Grant.ZONE, "read"));
    TsigKeyDao.insertGrants(c, keyId.get(), grants);
    ZoneNotify.keysChanged(c);
    return new AddOutcome.Added(apex, grants);
  }

  /** The host keys of {@code member} by host label, or empty if there is no such member. */
  public static Optional<List<HostRow>> list(Connection c, String member) throws SQLException {
    Optional<Long> memberId = memberId(c, member);
    if (memberId.isEmpty()) {
      return Optional.empty();
    }
    Map<Long, HostRow> rows = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, host, name, algorithm, created_at FROM tsig_keys"
                + " WHERE member_id = ? AND host IS NOT NULL ORDER BY host")) {
      ps.setLong(1, memberId.get());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.put(
              rs.getLong(1),
              new HostRow(
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getTimestamp(5).toInstant(),
                  new ArrayList<>()));
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT g.key_id, "
                + TsigKeyDao.GRANT_COLUMNS
                + " FROM key_grants g WHERE g.key_id = ANY (?) ORDER BY g.id")) {
      ps.setArray(1, c.createArrayOf("bigint", rows.keySet().toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.get(rs.getLong(1)).grants().add(TsigKeyDao.grant(rs, 2));
        }
      }
    }
    return Optional.of(List.copyOf(rows.values()));
  }

  /**
   * Deletes host {@code host}'s key (its grants go with it) and, in the same transaction, the
   * stored records of the member's zone that {@code owned} picks, as one journaled commit of that
   * zone ({@link GroupWrite}: serial and generation bumped, an {@code update} journal row with the
   * removed records, the zone's NOTIFY), so every server drops them and tells its LLQ subscribers.
   *
   * <p>The zone row is locked before the key row is deleted: the order the update path's group
   * commit takes them in (zones, then signing keys), so the two never deadlock, and an update of
   * this host queued before the removal finds its key gone when it commits.
   *
   * @param owned whether a stored record of the zone (apex given) is the host's
   */
  public static RemoveOutcome remove(
      Connection c, String member, String host, BiPredicate<Name, Record> owned)
      throws SQLException {
    Optional<ZoneDao.ZoneRow> zone = ZoneDao.findByMember(c, member);
    if (zone.isPresent()) {
      zone = ZoneDao.lock(c, zone.get().apex());
    }
    if (zone.isEmpty()) {
      return RemoveOutcome.Refused.NO_MEMBER;
    }
    ZoneDao.ZoneRow z = zone.get();
    String keyName;
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM tsig_keys WHERE host = ?"
                + " AND member_id = (SELECT id FROM members WHERE name = ?) RETURNING name")) {
      ps.setString(1, host);
      ps.setString(2, member);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return RemoveOutcome.Refused.NO_HOST;
        }
        keyName = rs.getString(1);
      }
    }
    Name apex = Names.absolute(z.apex());
    List<ZoneRecord> gone =
        RecordDao.listForZone(c, z.id()).stream()
            .filter(zr -> owned.test(apex, zr.record()))
            .toList();
    List<Record> records = gone.stream().map(ZoneRecord::record).toList();
    Optional<ZoneDao.Version> version = Optional.empty();
    if (!gone.isEmpty()) {
      GroupWrite write = new GroupWrite();
      write.delete(z.id(), gone);
      write.zone(z.id(), ZoneChangeDao.UPDATE, RecordCodec.journalText(records), "");
      version = Optional.of(write.execute(c).get(z.id()));
    }
    ZoneNotify.keysChanged(c);
    return new RemoveOutcome.Removed(keyName, z.apex(), records, version);
  }

  private static Optional<Long> memberId(Connection c, String member) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM members WHERE name = ?")) {
      ps.setString(1, member);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  private static Optional<Long> hostKeyId(Connection c, long memberId, String host)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM tsig_keys WHERE member_id = ? AND host = ?")) {
      ps.setLong(1, memberId);
      ps.setString(2, host);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }
}
