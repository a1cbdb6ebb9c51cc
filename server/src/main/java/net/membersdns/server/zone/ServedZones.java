package net.membersdns.server.zone;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;

/**
 * Every zone this server answers for, each an immutable {@link ZoneData} swapped whole by its
 * single writer (the loader, a zone writer, or the change feed). Reads are lock-free; a query sees
 * either the old or the new version of a zone, never a mix.
 */
public final class ServedZones {
  private final ConcurrentHashMap<Name, ZoneData> zones = new ConcurrentHashMap<>();

  /** The closest enclosing zone of {@code name}, or {@code null} if we are not authoritative. */
  public ZoneData findZone(Name name) {
    int labels = name.labels();
    for (int skip = 0; skip < labels; skip++) {
      ZoneData z = zones.get(skip == 0 ? name : new Name(name, skip));
      if (z != null) {
        return z;
      }
    }
    return null;
  }

  /** The zone whose apex is exactly {@code apex}, or {@code null}. */
  public ZoneData get(Name apex) {
    return zones.get(apex);
  }

  /** Publishes {@code zone}, replacing any earlier version of it. */
  public void put(ZoneData zone) {
    zones.put(zone.apex(), zone);
  }

  public void remove(Name apex) {
    zones.remove(apex);
  }

  public Collection<ZoneData> all() {
    return zones.values();
  }

  public int zoneCount() {
    return zones.size();
  }
}
