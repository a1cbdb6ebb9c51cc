package net.membersdns.agent.register;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.xbill.DNS.Record;

/**
 * The records a host registers, grouped by RRset. Immutable. Two sets are equal when they hold the
 * same RRs with the same TTLs (a TTL change is a change to register).
 */
public final class RecordSet {
  public static final RecordSet EMPTY = new RecordSet(new TreeMap<>());

  private final Map<RRsetKey, List<Record>> rrsets;

  private RecordSet(Map<RRsetKey, List<Record>> rrsets) {
    this.rrsets = rrsets;
  }

  /** The set of {@code records} (duplicates, by dnsjava's RR equality, kept once). */
  public static RecordSet of(List<Record> records) {
    Map<RRsetKey, Set<Record>> grouped = new TreeMap<>();
    for (Record r : records) {
      grouped
          .computeIfAbsent(new RRsetKey(r.getName(), r.getType()), k -> new LinkedHashSet<>())
          .add(r);
    }
    Map<RRsetKey, List<Record>> out = new TreeMap<>();
    grouped.forEach((k, v) -> out.put(k, List.copyOf(v)));
    return new RecordSet(Collections.unmodifiableMap(out));
  }

  public Set<RRsetKey> keys() {
    return rrsets.keySet();
  }

  /** The RRs of {@code key}; empty when absent. */
  public List<Record> get(RRsetKey key) {
    return rrsets.getOrDefault(key, List.of());
  }

  public List<Record> records() {
    List<Record> all = new ArrayList<>();
    rrsets.values().forEach(all::addAll);
    return all;
  }

  public boolean isEmpty() {
    return rrsets.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RecordSet other) || !rrsets.keySet().equals(other.rrsets.keySet())) {
      return false;
    }
    for (var e : rrsets.entrySet()) {
      List<Record> mine = e.getValue();
      List<Record> theirs = other.rrsets.get(e.getKey());
      if (mine.size() != theirs.size()) {
        return false;
      }
      for (Record r : mine) {
        if (theirs.stream().noneMatch(t -> t.equals(r) && t.getTTL() == r.getTTL())) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return rrsets.keySet().hashCode();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Record r : records()) {
      b.append(r).append('\n');
    }
    return b.toString();
  }
}
