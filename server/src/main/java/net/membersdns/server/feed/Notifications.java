package net.membersdns.server.feed;

import java.util.Map;
import java.util.Set;

/**
 * The change feed's own line to the store's commit notifications (PostgreSQL LISTEN on a dedicated
 * connection, {@code store.postgres.PgNotifications}): which zones were committed, whether keys
 * changed, and the stored generations of notified zones. Used by the feed's thread only; every
 * method may block, and throws {@link net.membersdns.server.store.StoreException} when the line
 * broke (the feed then opens a new one).
 */
public interface Notifications extends AutoCloseable {
  /** Opens a line that is listening when it returns. */
  @FunctionalInterface
  interface Opener {
    Notifications open();
  }

  /**
   * What arrived in one wait.
   *
   * @param zones the apexes (canonical text) of zones committed, each once, in arrival order
   * @param keysChanged whether TSIG keys or grants were committed
   */
  record Batch(Set<String> zones, boolean keysChanged) {
    public static final Batch EMPTY = new Batch(Set.of(), false);

    public boolean isEmpty() {
      return zones.isEmpty() && !keysChanged;
    }

    /** This batch followed by {@code later}: zones in order of first arrival. */
    public Batch and(Batch later) {
      if (later.isEmpty()) {
        return this;
      }
      Set<String> all = new java.util.LinkedHashSet<>(zones);
      all.addAll(later.zones);
      return new Batch(all, keysChanged || later.keysChanged);
    }
  }

  /** Waits up to {@code millis} for notifications; {@link Batch#EMPTY} when none came. */
  Batch await(int millis);

  /** A round trip, so that a silently dead line is noticed. */
  void ping();

  /** The stored generation of each of {@code apexes} that still exists, in one round trip. */
  Map<String, Long> generations(Set<String> apexes);

  /** Closes the line; never throws. */
  @Override
  void close();
}
