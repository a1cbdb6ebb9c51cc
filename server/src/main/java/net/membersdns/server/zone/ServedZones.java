package net.membersdns.server.zone;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.Name;

/**
 * Every zone this server answers for, each an immutable {@link ZoneData} swapped whole by its
 * single writer (the loader, a zone writer, or the change feed). Reads are lock-free; a query sees
 * either the old or the new version of a zone, never a mix.
 */
public final class ServedZones {
  /**
   * Told of every version published and every zone removed (the lease reaper's alarm listens), on
   * the publishing thread, after the version is served. Must not block.
   */
  public interface Observer {
    void published(ZoneData zone);

    void removed(Name apex);
  }

  private final ConcurrentHashMap<Name, ZoneData> zones = new ConcurrentHashMap<>();
  private final AtomicLong structure = new AtomicLong();
  private volatile Observer observer;

  /**
   * Sets the one {@link Observer} and tells it of every zone served now (versions published while
   * this runs may be told twice, never not at all).
   */
  public void observe(Observer observer) {
    this.observer = observer;
    for (ZoneData zone : zones.values()) {
      observer.published(zone);
    }
  }

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
    ZoneData old = zones.put(zone.apex(), zone);
    if (old == null) {
      structure.incrementAndGet();
    } else if (old != zone) {
      old.markSuperseded();
    }
    tell(zone);
  }

  /**
   * Publishes {@code zone} unless the version already served has the same or a newer generation
   * (generations come from one database sequence and grow per zone in commit order). Writers that
   * race (a zone writer, the change feed) can never replace a newer snapshot with an older one.
   *
   * @return whether {@code zone} is now the served version
   */
  public boolean putIfNewer(ZoneData zone) {
    boolean[] outcome = new boolean[2]; // published, added
    zones.compute(
        zone.apex(),
        (apex, old) -> {
          if (old == null || zone.generation() > old.generation()) {
            outcome[0] = true;
            outcome[1] = old == null;
            if (old != null) {
              old.markSuperseded(); // answers cached from it are stale now
            }
            return zone;
          }
          return old;
        });
    if (outcome[1]) {
      structure.incrementAndGet();
    }
    if (outcome[0]) {
      tell(zone);
    }
    return outcome[0];
  }

  public void remove(Name apex) {
    ZoneData old = zones.remove(apex);
    if (old != null) {
      old.markSuperseded();
      structure.incrementAndGet();
      Observer o = observer;
      if (o != null) {
        o.removed(apex);
      }
    }
  }

  private void tell(ZoneData zone) {
    Observer o = observer;
    if (o != null) {
      o.published(zone);
    }
  }

  /**
   * Changes whenever a zone is added or removed (not when one is replaced): an answer computed
   * under one value may have picked the wrong enclosing zone under another.
   */
  public long structureVersion() {
    return structure.get();
  }

  public Collection<ZoneData> all() {
    return zones.values();
  }

  public int zoneCount() {
    return zones.size();
  }
}
