package net.membersdns.server.update;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.Name;

/**
 * The store port of the zone writers: runs ONE transaction for a group of batches, each the queued
 * jobs of a different zone (docs/architecture.md, Data flow: an update). It locks the zone rows of
 * the group, reads each zone as stored (reusing {@code cached} when its generation is the stored
 * one), re-reads the signing keys' grants, lets each batch's {@link Planner} evaluate it, and
 * writes the result of every zone together: rows deleted, inserted and re-leased, the serial bumped
 * where content changed, one journal row per zone whose content changed, and a NOTIFY per written
 * zone. The number of statements does not grow with the group. All or nothing: one commit (one WAL
 * flush) for every zone of the group, or nothing at all.
 *
 * <p>Blocks on JDBC: called on a committer thread, never on an event loop. Infrastructure failures
 * (and bugs in a planner) surface as runtime exceptions after the rollback, for the whole group.
 */
public interface ZoneCommitter {

  /** Evaluates one zone's batch against the zone as stored, inside the transaction. */
  @FunctionalInterface
  interface Planner {
    /**
     * @param base the zone as stored, or {@code null} if it does not exist
     * @param grants the grants of each requested key that still exists
     * @param used the batch's signatures that were already recorded (replays)
     */
    BatchPlan plan(ZoneData base, Map<Name, List<Grant>> grants, Set<UpdateSignature> used);
  }

  /**
   * The queued jobs of one zone, as the group hands them to the store.
   *
   * @param apex the zone
   * @param cached the version this process serves, or {@code null}
   * @param keyNames the signing keys of the batch, to re-check inside the transaction
   * @param signatures the signatures of the batch's updates, recorded in the transaction; those
   *     recorded before are handed to the planner as {@code used}
   * @param planner evaluates the batch
   */
  record Batch(
      Name apex,
      ZoneData cached,
      Set<Name> keyNames,
      Set<UpdateSignature> signatures,
      Planner planner) {
    public Batch {
      Objects.requireNonNull(apex, "apex");
      keyNames = Set.copyOf(keyNames);
      signatures = Set.copyOf(signatures);
      Objects.requireNonNull(planner, "planner");
    }
  }

  /**
   * The outcome of one zone's batch.
   *
   * @param plan what the planner decided
   * @param base the zone version the plan was computed from ({@code null}: zone gone)
   * @param serial the SOA serial after the commit
   * @param generation the zone's generation after the commit
   * @param written whether anything was written to this zone (false: nothing to change)
   */
  record Commit(BatchPlan plan, ZoneData base, long serial, long generation, boolean written) {}

  /**
   * The store cannot be reached (the database is down, or was a moment ago): nothing was committed.
   * Reported once by whoever watches the database, so the writers answer SERVFAIL without logging
   * each group.
   */
  final class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Commits {@code batches} (distinct zones) in one transaction.
   *
   * @return one {@link Commit} per batch, in the same order
   * @throws IllegalArgumentException if two batches name the same zone
   */
  List<Commit> commit(List<Batch> batches);
}
