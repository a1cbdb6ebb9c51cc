package net.membersdns.server.zone;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * One zone, immutable and indexed for lookups: what queries read. Built by the store's loader or a
 * zone writer from {@link ZoneContent} plus the synthesised records of {@link ZoneSettings}, then
 * published whole in {@link ServedZones}. Never mutated after construction, so any thread may read
 * it without locks.
 *
 * <p>The records are kept compact ({@link ZoneIndex}: names and RDATA in wire form in a few arrays,
 * the synthesised records as a kind per RRset); dnsjava {@link RRset}s and {@link Record}s are made
 * when a reader asks for them (an answer the cache does not hold yet, an LLQ answer, an update's
 * evaluation) and are not kept. Finding a name that does not exist allocates nothing.
 */
public final class ZoneData {
  private final Name apex;
  private final String member;
  private final long serial;
  private final long generation;
  private final ZoneSettings settings;
  private final ZoneIndex index;
  private final Set<Name> delegations;
  private final boolean serverInZone;
  private final long earliestExpiry;
  private volatile boolean superseded;

  private ZoneData(ZoneRows rows, ZoneSettings settings, ZoneIndexBuilder built) {
    this.apex = rows.apex();
    this.member = rows.member();
    this.serial = rows.serial();
    this.generation = rows.generation();
    this.settings = settings;
    this.index = new ZoneIndex(apex, built);
    this.delegations = Set.copyOf(built.delegations);
    this.serverInZone = settings.serverName().subdomain(apex);
    this.earliestExpiry = built.earliestExpiry;
  }

  /**
   * Indexes {@code content} and adds the synthesised SOA, apex NS, discovery SRVs (member zones)
   * and the server's address records (when the server's name falls in this zone).
   */
  public static ZoneData build(ZoneContent content, ZoneSettings settings) {
    return build(ZoneRows.of(content), settings);
  }

  /** As {@link #build(ZoneContent, ZoneSettings)}, from the store's rows (the start-up load). */
  public static ZoneData build(ZoneRows rows, ZoneSettings settings) {
    return new ZoneData(rows, settings, ZoneIndexBuilder.build(rows, settings));
  }

  public Name apex() {
    return apex;
  }

  /** The owning member, or {@code null} for the members domain zone. */
  public String member() {
    return member;
  }

  public long serial() {
    return serial;
  }

  public long generation() {
    return generation;
  }

  /** The zone's SOA, made from the settings and the serial (not kept: it is 80 bytes a zone). */
  public SOARecord soa() {
    return new SOARecord(
        apex,
        DClass.IN,
        settings.soaTtl(),
        settings.serverName(),
        settings.hostmaster(),
        serial,
        settings.refresh(),
        settings.retry(),
        settings.expire(),
        settings.negativeTtl());
  }

  /** The records the store holds (no synthesised ones), as loaded; decoded on every call. */
  public List<ZoneRecord> storedRecords() {
    List<ZoneRecord> out = new ArrayList<>(index.recordCount());
    forEachStored((r, owner) -> {
      out.add(new ZoneRecord(index.record(r, owner), index.expiry(r)));
      return true;
    });
    return out;
  }

  /**
   * Calls {@code sink} with the owner and type of every stored record, in the stored order, without
   * making the records (the owner in canonical case).
   */
  public void forEachStoredType(StoredType sink) {
    forEachStored((r, owner) -> sink.accept(owner, index.type(r)));
  }

  /** A stored record's number and its owner's {@code Name}; {@code false} stops the walk. */
  private interface StoredVisitor {
    boolean visit(int record, Name owner);
  }

  /** Walks the stored records in order, making each owner's {@code Name} once per run of them. */
  private void forEachStored(StoredVisitor visitor) {
    int lastOwner = -1;
    Name ownerName = null;
    for (int r = 0; r < index.recordCount(); r++) {
      if (index.owner(r) != lastOwner) {
        lastOwner = index.owner(r);
        ownerName = index.name(lastOwner);
      }
      if (!visitor.visit(r, ownerName)) {
        return;
      }
    }
  }

  /** What {@link #forEachStoredType} calls; returns {@code false} to stop. */
  @FunctionalInterface
  public interface StoredType {
    boolean accept(Name owner, int type);
  }

  /** Whether {@code name} is one of the names the server synthesises (apex, discovery, server). */
  public boolean isSynthesised(Name name) {
    if (serverInZone && name.equals(settings.serverName())) {
      return true;
    }
    int node = index.find(name);
    return node >= 0 && index.synthesisedName(node);
  }

  /** Earliest lease expiry of any record, epoch ms; {@link ZoneRecord#PERMANENT} if none. */
  public long earliestExpiry() {
    return earliestExpiry;
  }

  /** The node at {@code name}, or {@code null} if the name does not exist in this zone. */
  public Node node(Name name) {
    int node = index.find(name);
    return node < 0 ? null : new Node(this, node);
  }

  /** The live RRset of {@code type} at {@code name} ({@link Node#live}), or {@code null}. */
  public RRset liveRRset(Name name, int type, long nowMillis) {
    Node node = node(name);
    return node == null ? null : node.live(type, nowMillis);
  }

  /** RFC 2136 §2.4.4 "name is in use": at least one live RR is owned by {@code name}. */
  public boolean nameInUse(Name name, long nowMillis) {
    int node = index.find(name);
    return node >= 0 && hasLiveData(node, nowMillis);
  }

  private boolean hasLiveData(int node, long nowMillis) {
    for (int s = index.firstSet(node); s < index.endSet(node); s++) {
      if (index.live(s, nowMillis)) {
        return true;
      }
    }
    return false;
  }

  /** Non-apex names that carry NS records (zone cuts); usually empty for member zones. */
  public Set<Name> delegations() {
    return delegations;
  }

  /**
   * Whether a newer version of this zone was published, or the zone was removed, since this one
   * was: anything derived from it (cached answers) is stale. Set by {@link ServedZones} only.
   */
  public boolean superseded() {
    return superseded;
  }

  void markSuperseded() {
    superseded = true;
  }

  /** Number of names (empty non-terminals included), for metrics. */
  public int size() {
    return index.nameCount();
  }

  /** Set {@code s} as dnsjava records: the synthesised ones first, then the stored ones. */
  private Entry entry(int node, int s) {
    List<ZoneRecord> records = new ArrayList<>();
    byte kind = index.synthesised(s);
    if (kind != Synthesised.NONE) {
      List<Record> made = new ArrayList<>(2);
      Synthesised.addTo(made, kind, index.setType(s), this, settings);
      for (Record r : made) {
        records.add(ZoneRecord.permanent(r));
      }
    }
    Name ownerName = null;
    for (int m = index.firstMember(s); m < index.endMember(s); m++) {
      int r = index.member(m);
      if (ownerName == null) {
        ownerName = index.name(node);
      }
      records.add(new ZoneRecord(index.record(r, ownerName), index.expiry(r)));
    }
    return Entry.of(records);
  }

  /**
   * The RRsets at one owner name, read from the compact index: a view, made by {@link #node} for
   * one reader. Empty non-terminals have no RRsets.
   */
  public static final class Node {
    private final ZoneData zone;
    private final int node;

    private Node(ZoneData zone, int node) {
      this.zone = zone;
      this.node = node;
    }

    /** Number of RRsets here (0 for an empty non-terminal), expired ones included. */
    public int size() {
      return zone.index.endSet(node) - zone.index.firstSet(node);
    }

    /**
     * The live records of {@code type} here, or {@code null}: the one read of live data (queries,
     * update prerequisites and LLQ answers all go through it), so that no path ever serves or
     * relies on an expired lease (RFC 9664 §4).
     */
    public RRset live(int type, long nowMillis) {
      int s = zone.index.set(node, type);
      if (s < 0 || !zone.index.live(s, nowMillis)) {
        return null;
      }
      return zone.entry(node, s).live(nowMillis);
    }

    /** Whether any RRset here has a live record. */
    public boolean hasLiveData(long nowMillis) {
      return zone.hasLiveData(node, nowMillis);
    }

    /** Every live RRset here, keyed by type (ascending). */
    public SortedMap<Integer, RRset> liveRRsets(long nowMillis) {
      SortedMap<Integer, RRset> out = new TreeMap<>();
      ZoneIndex index = zone.index;
      for (int s = index.firstSet(node); s < index.endSet(node); s++) {
        if (index.live(s, nowMillis)) {
          RRset set = zone.entry(node, s).live(nowMillis);
          if (set != null) {
            out.put(index.setType(s), set);
          }
        }
      }
      return out;
    }

    /** The RRset of {@code type} here with its records' expiries, or {@code null}. */
    public Entry get(int type) {
      int s = zone.index.set(node, type);
      return s < 0 ? null : zone.entry(node, s);
    }
  }

  /**
   * One RRset with each record's lease expiry (RFC 9664). {@code expiries} is {@code null} when all
   * records are permanent, else aligned with {@link RRset#rrs()}.
   */
  public record Entry(RRset rrset, long[] expiries, long earliestExpiry) {
    static Entry of(List<ZoneRecord> records) {
      RRset set = new RRset();
      long earliest = ZoneRecord.PERMANENT;
      for (ZoneRecord zr : records) {
        set.addRR(zr.record());
      }
      List<Record> ordered = set.rrs(false);
      long[] expiries = null;
      for (ZoneRecord zr : records) {
        earliest = Math.min(earliest, zr.leaseExpiresMillis());
      }
      if (earliest != ZoneRecord.PERMANENT) {
        expiries = new long[ordered.size()];
        for (int i = 0; i < ordered.size(); i++) {
          expiries[i] = expiryOf(records, ordered.get(i));
        }
      }
      return new Entry(set, expiries, earliest);
    }

    private static long expiryOf(List<ZoneRecord> records, Record r) {
      long best = Long.MIN_VALUE;
      for (ZoneRecord zr : records) {
        if (zr.record().equals(r)) {
          best = Math.max(best, zr.leaseExpiresMillis());
        }
      }
      return best;
    }

    /**
     * The records live at {@code nowMillis}, or {@code null} when none is: expired leases are never
     * served, even before the reaper removes them.
     */
    public RRset live(long nowMillis) {
      if (nowMillis < earliestExpiry) {
        return rrset;
      }
      List<Record> all = rrset.rrs(false);
      RRset out = new RRset();
      for (int i = 0; i < all.size(); i++) {
        if (expiries[i] > nowMillis) {
          out.addRR(all.get(i));
        }
      }
      return out.size() == 0 ? null : out;
    }
  }
}
