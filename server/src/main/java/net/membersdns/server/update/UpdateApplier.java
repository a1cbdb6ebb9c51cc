package net.membersdns.server.update;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.membersdns.server.zone.SerialNumber;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * RFC 2136 §3.4.2: applies a checked update section, in order, to the stored records of a zone and
 * returns the resulting {@link ChangeSet}. All or nothing: the input zone is never modified; the
 * caller commits the change set or drops it.
 *
 * <p>Rules (RFC 2136 §3.4.2, RFC 9664 §4):
 *
 * <ul>
 *   <li>class IN: add the RR to its RRset; an RR with the same RDATA is replaced (new TTL, new
 *       lease). Re-adding identical data only moves its lease expiry.
 *   <li>CNAME and other data never share a name: the conflicting add is ignored (§3.4.2.2).
 *   <li>SOA, and NS at the apex, are synthesised by the server: adds and deletes of them are
 *       ignored (the policy already refuses them for every key).
 *   <li>class ANY type T: delete the RRset; class ANY type ANY: delete every RRset at the name,
 *       except the apex SOA and NS; class NONE: delete one RR (§3.4.2.3–4).
 *   <li>Expired (unreaped) rows are invisible to the conflict and duplicate rules; re-adding one is
 *       a content change.
 * </ul>
 */
public final class UpdateApplier {
  private UpdateApplier() {}

  /**
   * @param zone the zone the update was checked against
   * @param updates the update section, already through {@link UpdatePrescan} and {@link
   *     UpdatePolicy}
   * @param lease the lease of added records; empty for permanent records (admin CLI)
   * @param nowMillis the commit clock, epoch ms
   */
  public static ChangeSet apply(
      ZoneData zone, List<Record> updates, Optional<LeaseGrant> lease, long nowMillis) {
    Working w = new Working(zone, nowMillis);
    for (Record rr : updates) {
      int dclass = rr.getDClass();
      if (dclass == DClass.IN) {
        long expiry =
            lease.map(g -> g.expiryFor(rr.getType(), nowMillis)).orElse(ZoneRecord.PERMANENT);
        w.add(rr, expiry);
      } else if (dclass == DClass.ANY) {
        if (rr.getType() == Type.ANY) {
          w.deleteName(rr.getName());
        } else {
          w.deleteRRset(rr.getName(), rr.getType());
        }
      } else if (dclass == DClass.NONE) {
        w.deleteRR(rr);
      } else {
        throw new IllegalArgumentException("not prescanned: class " + dclass);
      }
    }
    return diff(zone, w.rows(), nowMillis);
  }

  /** The update's {@link ChangeSet}: the {@link RecordDiff} of the zone's rows, and the serial. */
  private static ChangeSet diff(ZoneData zone, List<ZoneRecord> after, long nowMillis) {
    RecordDiff d = RecordDiff.between(zone.storedRecords(), after, nowMillis);
    boolean changed = d.contentChanged();
    long serial = changed ? SerialNumber.next(zone.serial()) : zone.serial();
    return new ChangeSet(
        zone.apex(),
        zone.serial(),
        serial,
        d.added(),
        d.removed(),
        d.leaseChanged(),
        after,
        changed);
  }

  /** The stored rows being edited, by owner name and RRset type, in their original order. */
  private static final class Working {
    private final ZoneData zone;
    private final long now;
    private final Map<Name, Map<Integer, List<ZoneRecord>>> rows = new LinkedHashMap<>();

    Working(ZoneData zone, long now) {
      this.zone = zone;
      this.now = now;
      for (ZoneRecord zr : zone.storedRecords()) {
        rrset(zr.record().getName(), zr.record().getRRsetType()).add(zr);
      }
    }

    List<ZoneRecord> rows() {
      List<ZoneRecord> out = new ArrayList<>();
      rows.values().forEach(byType -> byType.values().forEach(out::addAll));
      return out;
    }

    void add(Record rr, long expiry) {
      Name name = rr.getName();
      int type = rr.getRRsetType();
      if (synthesisedRRset(name, type)) {
        return;
      }
      // RFC 2136 §3.4.2.2: CNAME and other data are exclusive; the conflicting add is ignored.
      if (type == Type.CNAME) {
        if (hasLiveOtherThanCname(name)) {
          return;
        }
        dropExpired(name, t -> t != Type.CNAME);
      } else {
        if (hasLive(name, Type.CNAME)) {
          return;
        }
        dropExpired(name, t -> t == Type.CNAME);
      }
      List<ZoneRecord> set = rrset(name, type);
      ZoneRecord row = new ZoneRecord(rr, expiry);
      if (type == Type.CNAME) {
        // Only one CNAME per name: the add replaces it.
        set.clear();
        set.add(row);
        return;
      }
      for (int i = 0; i < set.size(); i++) {
        if (RRKey.sameData(set.get(i).record(), rr)) {
          set.set(i, row); // duplicate RDATA: new TTL and lease (RFC 2136 §3.4.2.2)
          return;
        }
      }
      set.add(row);
    }

    void deleteRRset(Name name, int type) {
      if (synthesisedRRset(name, type)) {
        return;
      }
      Map<Integer, List<ZoneRecord>> byType = rows.get(name);
      if (byType != null) {
        byType.remove(type);
      }
    }

    void deleteName(Name name) {
      Map<Integer, List<ZoneRecord>> byType = rows.get(name);
      if (byType != null) {
        byType.keySet().removeIf(type -> !synthesisedRRset(name, type));
      }
    }

    void deleteRR(Record rr) {
      Name name = rr.getName();
      int type = rr.getRRsetType();
      if (synthesisedRRset(name, type)) {
        return;
      }
      Map<Integer, List<ZoneRecord>> byType = rows.get(name);
      if (byType != null && byType.containsKey(type)) {
        byType.get(type).removeIf(zr -> RRKey.sameData(zr.record(), rr));
      }
    }

    /** SOA anywhere and NS at the apex are the server's own (ZoneData synthesises them). */
    private boolean synthesisedRRset(Name name, int type) {
      return type == Type.SOA || (type == Type.NS && name.equals(zone.apex()));
    }

    private boolean hasLive(Name name, int type) {
      Map<Integer, List<ZoneRecord>> byType = rows.get(name);
      if (byType == null || !byType.containsKey(type)) {
        return false;
      }
      return byType.get(type).stream().anyMatch(zr -> zr.leaseExpiresMillis() > now);
    }

    private boolean hasLiveOtherThanCname(Name name) {
      if (zone.isSynthesised(name)) {
        return true; // apex SOA/NS, discovery SRV, the server's addresses
      }
      Map<Integer, List<ZoneRecord>> byType = rows.get(name);
      if (byType == null) {
        return false;
      }
      for (var e : byType.entrySet()) {
        if (e.getKey() != Type.CNAME
            && e.getValue().stream().anyMatch(zr -> zr.leaseExpiresMillis() > now)) {
          return true;
        }
      }
      return false;
    }

    private void dropExpired(Name name, java.util.function.IntPredicate typeFilter) {
      Map<Integer, List<ZoneRecord>> byType = rows.get(name);
      if (byType == null) {
        return;
      }
      for (var e : byType.entrySet()) {
        if (typeFilter.test(e.getKey())) {
          e.getValue().removeIf(zr -> zr.leaseExpiresMillis() <= now);
        }
      }
    }

    private List<ZoneRecord> rrset(Name name, int type) {
      return rows.computeIfAbsent(name, k -> new LinkedHashMap<>())
          .computeIfAbsent(type, k -> new ArrayList<>());
    }
  }
}
