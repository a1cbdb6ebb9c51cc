package net.membersdns.server.feed;

import org.xbill.DNS.Name;

/**
 * Told when a zone changed in the store (by this process or another one sharing the database).
 * Called on the change feed's thread; implementations must not block for long.
 */
public interface ZoneChangeListener {
  /** The zone at {@code apex} was created or its content or leases changed. */
  void zoneChanged(Name apex);

  /**
   * The zone at {@code apex} changed and is stored at {@code generation} (read just now): a
   * listener that already holds that generation may skip the reload. By default, {@link
   * #zoneChanged(Name)}.
   */
  default void zoneChanged(Name apex, long generation) {
    zoneChanged(apex);
  }

  /** The zone at {@code apex} no longer exists (member removed). */
  void zoneRemoved(Name apex);
}
