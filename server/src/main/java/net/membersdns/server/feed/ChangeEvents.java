package net.membersdns.server.feed;

import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;

/**
 * Hands {@link ZoneChange}s to the {@link ZoneChangeSink} exactly once each and in generation order
 * per zone, whichever path saw the commit first: this process's zone writer (its own commits) or
 * the change feed replaying the journal (commits of other processes, and of this one when the feed
 * got there first). A change at or below the last generation emitted for its zone is dropped.
 *
 * <p>Thread-safe; {@link #emit} holds a per-zone lock while calling the sink, which must not block
 * (its contract already says: queue and return).
 */
public final class ChangeEvents {
  private final ZoneChangeSink sink;
  private final ConcurrentHashMap<Name, Long> emitted = new ConcurrentHashMap<>();

  public ChangeEvents(ZoneChangeSink sink) {
    this.sink = sink;
  }

  /**
   * The zone is served at {@code generation} with nothing to announce (start-up load, a zone that
   * just appeared): later events start after it.
   */
  public void loaded(Name apex, long generation) {
    emitted.merge(apex, generation, Math::max);
  }

  /** The last generation emitted (or loaded) for {@code apex}; -1 if none. */
  public long emittedUpTo(Name apex) {
    return emitted.getOrDefault(apex, -1L);
  }

  /**
   * Emits {@code change} unless a change of the same or a later generation of its zone was emitted
   * already.
   *
   * @return whether it was emitted
   */
  public boolean emit(ZoneChange change) {
    boolean[] sent = new boolean[1];
    emitted.compute(
        change.apex(),
        (apex, last) -> {
          if (last != null && change.generation() <= last) {
            return last;
          }
          sink.changed(change);
          sent[0] = true;
          return change.generation();
        });
    if (change.zoneRemoved()) {
      emitted.remove(change.apex());
    }
    return sent[0];
  }

  /**
   * A commit took the zone from generation {@code from} to {@code to} without changing its content
   * (a lease refresh): nothing to announce. If everything up to {@code from} was emitted, so is
   * everything up to {@code to} (the commit's base was the stored zone, so nothing lies between);
   * otherwise the change feed still has journal rows to replay and nothing moves.
   */
  public void advanced(Name apex, long from, long to) {
    emitted.computeIfPresent(apex, (a, last) -> last == from && to > last ? to : last);
  }

  /** Forgets a zone that is gone (so a new zone at the same apex starts afresh). */
  public void forget(Name apex) {
    emitted.remove(apex);
  }
}
