package net.membersdns.server.query;

import java.util.ArrayList;
import java.util.List;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * RFC 1034 §4.3.2 lookup over the served zones, for authoritative data only: exact match, CNAME
 * chain (followed across our own zones), referral at a zone cut, NODATA and NXDOMAIN with the SOA
 * for negative caching (RFC 2308 §3). Pure: reads immutable {@link ZoneData}, allocates only the
 * result. Safe on any thread.
 */
public final class Lookup {
  /** Longest CNAME chain we follow before giving up with what we have (loop guard). */
  static final int MAX_CHAIN = 8;

  private final ServedZones zones;

  public Lookup(ServedZones zones) {
    this.zones = zones;
  }

  /**
   * Looks up {@code qname}/{@code qtype} at {@code nowMillis}.
   *
   * @return the result, or {@code null} when no served zone encloses {@code qname} (REFUSED)
   */
  public LookupResult lookup(Name qname, int qtype, long nowMillis) {
    ZoneData zone = zones.findZone(qname);
    if (zone == null) {
      return null;
    }
    List<RRset> answer = new ArrayList<>(2);
    List<ZoneData> sources = new ArrayList<>(1);
    sources.add(zone);
    Name name = qname;
    for (int hop = 0; ; hop++) {
      Name cut = findCut(zone, name);
      if (cut != null) {
        RRset ns = zone.node(cut).live(Type.NS, nowMillis);
        if (ns != null) {
          return answer.isEmpty()
              ? new LookupResult(Rcode.NOERROR, false, answer, List.of(ns), sources)
              : new LookupResult(Rcode.NOERROR, true, answer, List.of(), sources);
        }
      }
      ZoneData.Node node = zone.node(name);
      if (node == null || !node.hasLiveData(nowMillis) && node.size() > 0) {
        // A name whose every record's lease ran out no longer exists, even before the reaper.
        return negative(Rcode.NXDOMAIN, answer, zone, sources);
      }
      if (qtype == Type.ANY) {
        // RFC 8482 §4.1: answer ANY with one RRset, not the whole node.
        RRset first = firstLive(node, nowMillis);
        if (first == null) {
          return negative(Rcode.NOERROR, answer, zone, sources);
        }
        answer.add(first);
        return new LookupResult(Rcode.NOERROR, true, answer, List.of(), sources);
      }
      RRset exact = node.live(qtype, nowMillis);
      if (exact != null) {
        answer.add(exact);
        return new LookupResult(Rcode.NOERROR, true, answer, List.of(), sources);
      }
      RRset cname = qtype == Type.CNAME ? null : node.live(Type.CNAME, nowMillis);
      if (cname == null) {
        return negative(Rcode.NOERROR, answer, zone, sources);
      }
      answer.add(cname);
      Name target = ((CNAMERecord) cname.first()).getTarget();
      ZoneData next = zones.findZone(target);
      if (next == null || hop + 1 >= MAX_CHAIN) {
        // RFC 1034 §4.3.2 step 3a: the chain leaves our data; the resolver follows it.
        return new LookupResult(Rcode.NOERROR, true, answer, List.of(), sources);
      }
      zone = next;
      sources.add(zone);
      name = target;
    }
  }

  private static LookupResult negative(
      int rcode, List<RRset> answer, ZoneData zone, List<ZoneData> sources) {
    // RFC 2308 §3: the SOA's TTL in a negative answer is min(SOA TTL, SOA MINIMUM).
    SOARecord soa = zone.soa();
    long ttl = Math.min(soa.getTTL(), soa.getMinimum());
    RRset set = new RRset();
    set.addRR(
        new SOARecord(
            soa.getName(),
            soa.getDClass(),
            ttl,
            soa.getHost(),
            soa.getAdmin(),
            soa.getSerial(),
            soa.getRefresh(),
            soa.getRetry(),
            soa.getExpire(),
            soa.getMinimum()));
    // After a CNAME the rcode describes the last name of the chain (RFC 6604 §2).
    return new LookupResult(rcode, true, answer, List.of(set), sources);
  }

  /** The highest zone cut strictly below the apex at or above {@code name}, or {@code null}. */
  private static Name findCut(ZoneData zone, Name name) {
    if (zone.delegations().isEmpty()) {
      return null;
    }
    int apexLabels = zone.apex().labels();
    for (int skip = name.labels() - apexLabels - 1; skip >= 0; skip--) {
      Name candidate = skip == 0 ? name : new Name(name, skip);
      if (zone.delegations().contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** The live RRset of the smallest type at {@code node} (RFC 8482 §4.2: one RRset for ANY). */
  private static RRset firstLive(ZoneData.Node node, long now) {
    var sets = node.liveRRsets(now);
    return sets.isEmpty() ? null : sets.get(sets.firstKey());
  }

  /**
   * Addresses (A, AAAA) of {@code target} from our own zones, for additional-section processing;
   * the zone read is added to {@code sources}.
   */
  public List<Record> addresses(Name target, List<ZoneData> sources, long nowMillis) {
    ZoneData zone = zones.findZone(target);
    if (zone == null) {
      return List.of();
    }
    if (!sources.contains(zone)) {
      sources.add(zone);
    }
    ZoneData.Node node = zone.node(target);
    if (node == null) {
      return List.of();
    }
    List<Record> out = new ArrayList<>(2);
    for (int type : new int[] {Type.A, Type.AAAA}) {
      RRset set = node.live(type, nowMillis);
      if (set != null) {
        out.addAll(set.rrs(false));
      }
    }
    return out;
  }
}
