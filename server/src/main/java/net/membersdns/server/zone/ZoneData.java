package net.membersdns.server.zone;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.membersdns.protocol.names.DiscoveryNames;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * One zone, immutable and indexed for lookups: what queries read. Built by the store's loader or a
 * zone writer from {@link ZoneContent} plus the synthesised records of {@link ZoneSettings}, then
 * published whole in {@link ServedZones}. Never mutated after construction, so any thread may read
 * it without locks.
 */
public final class ZoneData {
  private final Name apex;
  private final String member;
  private final long serial;
  private final long generation;
  private final SOARecord soa;
  private final Map<Name, Node> nodes;
  private final Set<Name> delegations;
  private final Set<Name> synthesised;
  private final long earliestExpiry;
  private final List<ZoneRecord> stored;
  private volatile boolean superseded;

  private ZoneData(
      ZoneContent content,
      SOARecord soa,
      Map<Name, Node> nodes,
      Set<Name> delegations,
      Set<Name> synthesised,
      long earliestExpiry) {
    this.apex = content.apex();
    this.member = content.member();
    this.serial = content.serial();
    this.generation = content.generation();
    this.soa = soa;
    this.nodes = nodes;
    this.delegations = delegations;
    this.synthesised = synthesised;
    this.earliestExpiry = earliestExpiry;
    this.stored = content.records();
  }

  /**
   * Indexes {@code content} and adds the synthesised SOA, apex NS, discovery SRVs (member zones)
   * and the server's address records (when the server's name falls in this zone).
   */
  public static ZoneData build(ZoneContent content, ZoneSettings settings) {
    Name apex = content.apex();
    Map<Name, Map<Integer, List<ZoneRecord>>> byName = new HashMap<>();
    Set<Name> synthesised = new HashSet<>();
    SOARecord soa =
        new SOARecord(
            apex,
            DClass.IN,
            settings.soaTtl(),
            settings.serverName(),
            settings.hostmaster(),
            content.serial(),
            settings.refresh(),
            settings.retry(),
            settings.expire(),
            settings.negativeTtl());
    add(byName, ZoneRecord.permanent(soa));
    add(
        byName,
        ZoneRecord.permanent(
            new NSRecord(apex, DClass.IN, settings.soaTtl(), settings.serverName())));
    synthesised.add(apex);
    if (content.member() != null) {
      // The discovery SRVs of RFC 6281 §4 (DiscoveryNames): TLS services, then plain DNS ones.
      for (String service : DiscoveryNames.TLS) {
        Name owner = DiscoveryNames.in(service, apex);
        add(byName, srv(owner, settings, settings.tlsPort()));
        synthesised.add(owner);
      }
      for (String service : DiscoveryNames.UDP) {
        Name owner = DiscoveryNames.in(service, apex);
        add(byName, srv(owner, settings, settings.dnsPort()));
        synthesised.add(owner);
      }
    }
    if (settings.serverName().subdomain(apex)) {
      for (InetAddress address : settings.serverAddresses()) {
        Record r =
            address instanceof Inet4Address
                ? new ARecord(settings.serverName(), DClass.IN, settings.addressTtl(), address)
                : new AAAARecord(settings.serverName(), DClass.IN, settings.addressTtl(), address);
        add(byName, ZoneRecord.permanent(r));
      }
      synthesised.add(settings.serverName());
    }
    long earliest = ZoneRecord.PERMANENT;
    for (ZoneRecord zr : content.records()) {
      Record r = zr.record();
      // The synthesised apex SOA/NS win over stored copies (an imported file carries its own).
      if (r.getName().equals(apex) && (r.getType() == Type.SOA || r.getType() == Type.NS)) {
        continue;
      }
      add(byName, zr);
      earliest = Math.min(earliest, zr.leaseExpiresMillis());
    }
    Map<Name, Node> nodes = new HashMap<>(byName.size() * 2);
    Set<Name> delegations = new HashSet<>();
    for (var e : byName.entrySet()) {
      Map<Integer, Entry> types = new HashMap<>(e.getValue().size() * 2);
      for (var t : e.getValue().entrySet()) {
        types.put(t.getKey(), Entry.of(t.getValue()));
      }
      nodes.put(e.getKey(), new Node(Map.copyOf(types)));
      if (!e.getKey().equals(apex) && types.containsKey(Type.NS)) {
        delegations.add(e.getKey());
      }
    }
    // Empty non-terminals exist (RFC 4592 §2.2.2): NODATA, not NXDOMAIN, for _tcp.<zone>.
    for (Name name : new ArrayList<>(nodes.keySet())) {
      for (int skip = 1; name.labels() - skip > apex.labels(); skip++) {
        nodes.putIfAbsent(new Name(name, skip), Node.EMPTY);
      }
    }
    return new ZoneData(
        content,
        soa,
        Collections.unmodifiableMap(nodes),
        Set.copyOf(delegations),
        Set.copyOf(synthesised),
        earliest);
  }

  private static ZoneRecord srv(Name owner, ZoneSettings settings, int port) {
    return ZoneRecord.permanent(
        new SRVRecord(
            owner, DClass.IN, settings.discoveryTtl(), 0, 0, port, settings.serverName()));
  }

  private static void add(Map<Name, Map<Integer, List<ZoneRecord>>> byName, ZoneRecord zr) {
    Record r = zr.record();
    byName
        .computeIfAbsent(r.getName(), k -> new HashMap<>())
        .computeIfAbsent(r.getRRsetType(), k -> new ArrayList<>())
        .add(zr);
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

  public SOARecord soa() {
    return soa;
  }

  /** The records the store holds (no synthesised ones), as loaded. */
  public List<ZoneRecord> storedRecords() {
    return stored;
  }

  /** Whether {@code name} is one of the names the server synthesises (apex, discovery, server). */
  public boolean isSynthesised(Name name) {
    return synthesised.contains(name);
  }

  /** Earliest lease expiry of any record, epoch ms; {@link ZoneRecord#PERMANENT} if none. */
  public long earliestExpiry() {
    return earliestExpiry;
  }

  /** The node at {@code name}, or {@code null} if the name does not exist in this zone. */
  public Node node(Name name) {
    return nodes.get(name);
  }

  /** The live RRset of {@code type} at {@code name} ({@link Node#live}), or {@code null}. */
  public RRset liveRRset(Name name, int type, long nowMillis) {
    Node node = nodes.get(name);
    return node == null ? null : node.live(type, nowMillis);
  }

  /** RFC 2136 §2.4.4 "name is in use": at least one live RR is owned by {@code name}. */
  public boolean nameInUse(Name name, long nowMillis) {
    Node node = nodes.get(name);
    return node != null && node.hasLiveData(nowMillis);
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

  /** Number of names, for metrics. */
  public int size() {
    return nodes.size();
  }

  /** All RRsets at one owner name, keyed by type. {@link #EMPTY} for empty non-terminals. */
  public record Node(Map<Integer, Entry> rrsets) {
    public static final Node EMPTY = new Node(Map.of());

    /**
     * The live records of {@code type} here, or {@code null}: the one read of live data (queries,
     * update prerequisites and LLQ answers all go through it), so that no path ever serves or
     * relies on an expired lease (RFC 9664 §4).
     */
    public RRset live(int type, long nowMillis) {
      Entry e = rrsets.get(type);
      return e == null ? null : e.live(nowMillis);
    }

    /** Whether any RRset here has a live record. */
    public boolean hasLiveData(long nowMillis) {
      for (Entry e : rrsets.values()) {
        if (e.live(nowMillis) != null) {
          return true;
        }
      }
      return false;
    }

    /** Every live RRset here, keyed by type (ascending). */
    public java.util.SortedMap<Integer, RRset> liveRRsets(long nowMillis) {
      java.util.SortedMap<Integer, RRset> out = new java.util.TreeMap<>();
      for (Map.Entry<Integer, Entry> e : rrsets.entrySet()) {
        RRset set = e.getValue().live(nowMillis);
        if (set != null) {
          out.put(e.getKey(), set);
        }
      }
      return out;
    }

    public Entry get(int type) {
      return rrsets.get(type);
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
