package net.membersdns.server.feed;

import java.util.Optional;
import net.membersdns.server.store.ZoneStore;
import net.membersdns.server.zone.ServedZones;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneSettings;
import org.xbill.DNS.Name;

/**
 * The listener that keeps {@link ServedZones} equal to the store: on a change it reloads the one
 * zone from the store and publishes a rebuilt {@link ZoneData}; on a removal it stops serving it.
 *
 * <p>Called on the change feed's thread (blocks on JDBC for one zone). Another writer in this
 * process (the update path) may publish the same zone concurrently; a loaded version is published
 * only if its generation is newer than the one served, so a slow reload never replaces a newer
 * snapshot. Generations come from one database sequence and grow per zone in commit order.
 */
public final class SnapshotUpdater implements ZoneChangeListener {
  private final ZoneStore store;
  private final ServedZones served;
  private final ZoneSettings settings;

  public SnapshotUpdater(ZoneStore store, ServedZones served, ZoneSettings settings) {
    this.store = store;
    this.served = served;
    this.settings = settings;
  }

  /** Start-up: publishes every zone of the store. Call before the transports start. */
  public void loadAll() {
    for (ZoneContent content : store.loadAllZones()) {
      served.put(ZoneData.build(content, settings));
    }
  }

  @Override
  public void zoneChanged(Name apex) {
    Optional<ZoneContent> content = store.loadZone(apex);
    if (content.isEmpty()) {
      served.remove(apex); // removed again before we got to read it
      return;
    }
    ZoneData current = served.get(apex);
    if (current == null || content.get().generation() > current.generation()) {
      served.put(ZoneData.build(content.get(), settings));
    }
  }

  @Override
  public void zoneRemoved(Name apex) {
    served.remove(apex);
  }
}
