package net.membersdns.server.feed;

import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Hands {@link ZoneChange}s to the {@link ZoneChangeSink} exactly once each and in generation order
 * per zone, whichever path saw the commit first: this process's zone writer (its own commits) or
 * the change feed replaying the journal (commits of other processes, and of this one when the feed
 * got there first). A change at or below the last generation emitted for its zone is dropped.
 *
 * <p>A writer's change that does not follow on from the last one emitted (another process committed
 * to the zone in between, and the feed has not replayed that yet) is not emitted ahead of the
 * commit it skips: the {@link GapFiller} replays the zone's journal up to and including it, so
 * every replica's subscribers hear of every change once and in serial order.
 *
 * <p>Thread-safe; {@link #emit} holds a per-zone lock while calling the sink, which must not block
 * (its contract already says: queue and return).
 */
public final class ChangeEvents {
  /** Emits the journal of a zone after the last generation emitted, up to a generation. */
  @FunctionalInterface
  public interface GapFiller {
    /** Blocks on the store; called on the thread of the writer that found the gap. */
    void replay(Name apex, long upToGeneration);
  }

  private static final Logger log = LoggerFactory.getLogger(ChangeEvents.class);

  private final ZoneChangeSink sink;
  private final ConcurrentHashMap<Name, Long> emitted = new ConcurrentHashMap<>();
  private volatile GapFiller gaps = (apex, upTo) -> {};

  public ChangeEvents(ZoneChangeSink sink) {
    this.sink = sink;
  }

  /** Sets what replays a gap (the {@link SnapshotUpdater} sets itself); nothing does by default. */
  public void fillGapsWith(GapFiller filler) {
    this.gaps = filler;
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
   * Emits a change committed by this process from the zone at generation {@code base}: at once if
   * every change up to {@code base} was emitted, else after the gap before it is replayed from the
   * journal (which holds this change too). A failed replay is left to the change feed, which
   * replays the zone when its NOTIFY for this commit arrives.
   */
  public void emitCommitted(ZoneChange change, long base) {
    Long last = emitted.get(change.apex());
    if (last == null || last >= base) {
      emit(change);
      return;
    }
    fill(change.apex(), change.generation());
  }

  private void fill(Name apex, long upTo) {
    try {
      gaps.replay(apex, upTo);
    } catch (RuntimeException e) {
      log.warn(
          "change-events: replaying {} up to generation {} failed: {}", apex, upTo, e.toString());
    }
  }

  /**
   * A commit of this process took the zone from generation {@code from} to {@code to} without
   * changing its content (a lease refresh): nothing to announce. Once everything up to {@code from}
   * was emitted (replaying the gap before it first, as {@link #emitCommitted} does), so is
   * everything up to {@code to}, since the commit's base was the stored zone.
   */
  public void advanced(Name apex, long from, long to) {
    Long last = emitted.get(apex);
    if (last != null && last < from) {
      fill(apex, from);
    }
    emitted.computeIfPresent(apex, (a, l) -> l == from && to > l ? to : l);
  }

  /** Forgets a zone that is gone (so a new zone at the same apex starts afresh). */
  public void forget(Name apex) {
    emitted.remove(apex);
  }
}
