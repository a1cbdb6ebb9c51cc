package net.membersdns.server.store;

import java.util.List;
import net.membersdns.server.update.ZoneCommitter;

/**
 * The zone writers' {@link ZoneCommitter} as seen through the {@link DatabaseHealth}: while the
 * database is known to be unreachable a group fails at once ({@link ZoneCommitter.Unavailable})
 * instead of waiting for the pool's connection timeout, and a group that fails because the database
 * went away turns the health down (and fails as {@link ZoneCommitter.Unavailable} too, already
 * logged by the health). Either way nothing was committed: the writers answer the group SERVFAIL.
 */
public final class HealthCheckedCommitter implements ZoneCommitter {
  private final ZoneCommitter store;
  private final DatabaseHealth health;

  public HealthCheckedCommitter(ZoneCommitter store, DatabaseHealth health) {
    this.store = store;
    this.health = health;
  }

  @Override
  public List<Commit> commit(List<Batch> batches) {
    if (!health.isUp()) {
      throw new Unavailable("database unreachable", null);
    }
    try {
      return store.commit(batches);
    } catch (RuntimeException e) {
      if (health.failed(e)) {
        throw new Unavailable("database unreachable: " + e.getMessage(), e);
      }
      throw e;
    }
  }
}
