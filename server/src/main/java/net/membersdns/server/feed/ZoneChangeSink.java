package net.membersdns.server.feed;

/**
 * Receives every committed {@link ZoneChange} after the new zone version is published in {@code
 * ServedZones} (so a client that re-queries after an event sees the new data, docs/architecture.md,
 * Invariants 2). Called on the committing writer's or the change feed's thread; must not block:
 * queue and return.
 */
@FunctionalInterface
public interface ZoneChangeSink {
  void changed(ZoneChange change);

  ZoneChangeSink NONE = change -> {};
}
