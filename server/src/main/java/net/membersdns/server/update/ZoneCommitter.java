package net.membersdns.server.update;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.Name;

/**
 * The store port of the {@link ZoneWriter}: runs ONE transaction for a batch (design.md §2). It
 * locks the zone row, reads the zone as stored (reusing {@code cached} when its generation is the
 * stored one), re-reads the signing keys' grants, lets the {@link Planner} evaluate the batch, and
 * writes the result: rows deleted, inserted and re-leased, the serial bumped when content changed,
 * one journal row with the added and removed RRs, and a NOTIFY. All or nothing.
 *
 * <p>Blocks on JDBC: called on a writer thread, never on an event loop. Infrastructure failures
 * (and bugs in the planner) surface as runtime exceptions after the rollback.
 */
public interface ZoneCommitter {

  /** Evaluates the batch against the zone as stored, inside the transaction. */
  @FunctionalInterface
  interface Planner {
    /**
     * @param base the zone as stored, or {@code null} if it does not exist
     * @param grants the grants of each requested key that still exists
     */
    BatchPlan plan(ZoneData base, Map<Name, List<Grant>> grants);
  }

  /**
   * The outcome of a commit.
   *
   * @param plan what the planner decided
   * @param base the zone version the plan was computed from ({@code null}: zone gone)
   * @param serial the SOA serial after the commit
   * @param generation the zone's generation after the commit
   * @param written whether anything was written (false: nothing to change, nothing committed)
   */
  record Commit(BatchPlan plan, ZoneData base, long serial, long generation, boolean written) {}

  /**
   * @param cached the version this process serves, or {@code null}
   * @param keyNames the signing keys of the batch, to re-check inside the transaction
   */
  Commit commit(Name apex, ZoneData cached, Set<Name> keyNames, Planner planner);
}
