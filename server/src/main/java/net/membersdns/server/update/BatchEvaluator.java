package net.membersdns.server.update;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import net.membersdns.server.zone.ZoneSettings;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * Evaluates a batch of queued jobs for one zone, in order, each against the zone as the previous
 * one left it (RFC 2136 §3.7: updates are applied as if serialised). A rejected update changes
 * nothing and the others still apply. Pure: the {@link ZoneCommitter} calls it inside the
 * transaction, after locking the zone row, with the zone as stored and the signing keys' grants as
 * they are right now (so a key removed a moment ago writes nothing).
 */
public final class BatchEvaluator {
  private final UpdateLeasePolicy leases;
  private final ZoneSettings settings;

  public BatchEvaluator(UpdateLeasePolicy leases, ZoneSettings settings) {
    this.leases = Objects.requireNonNull(leases, "leases");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * @param base the zone as stored, or {@code null} if it no longer exists (member removed)
   * @param jobs the batch, in queue order
   * @param grants the grants of every signing key of the batch that still exists; a key absent from
   *     this map was removed
   * @param nowMillis the batch clock: lease expiries and what counts as expired
   */
  public BatchPlan evaluate(
      ZoneData base, List<WriterJob> jobs, Map<Name, List<Grant>> grants, long nowMillis) {
    List<JobResult> results = new ArrayList<>(jobs.size());
    if (base == null) {
      for (WriterJob job : jobs) {
        results.add(
            switch (job) {
              case WriterJob.Update u when !grants.containsKey(u.keyName()) ->
                  new JobResult.KeyRevoked();
              case WriterJob.Update u -> new JobResult.Rejected(Rcode.NOTAUTH, "zone removed");
              case WriterJob.Reap r -> new JobResult.Reaped(0);
            });
      }
      return new BatchPlan(results, List.of(), RecordDiff.NONE, false, Map.of(), null);
    }
    UpdateProcessor processor =
        new UpdateProcessor(new UpdatePolicy(k -> grants.getOrDefault(k, List.of())), leases);
    Map<ZoneRecord, Name> writtenBy = new HashMap<>();
    ZoneData current = base;
    boolean updated = false;
    for (WriterJob job : jobs) {
      switch (job) {
        case WriterJob.Update u -> {
          if (!grants.containsKey(u.keyName())) {
            results.add(new JobResult.KeyRevoked());
            continue;
          }
          switch (processor.process(u.request(), Optional.of(u.keyName()), current, nowMillis)) {
            case Rejection r -> results.add(new JobResult.Rejected(r.rcode(), r.reason()));
            case UpdateOutcome.Applied a -> {
              ChangeSet changes = a.changes();
              if (!changes.isEmpty()) {
                current = ZoneData.build(changes.content(current), settings);
                changes.added().forEach(zr -> writtenBy.put(zr, u.keyName()));
                updated |= changes.contentChanged();
              }
              results.add(new JobResult.Applied(a.replyLease(), granted(changes, nowMillis)));
            }
          }
        }
        case WriterJob.Reap r -> {
          List<ZoneRecord> live = new ArrayList<>();
          for (ZoneRecord zr : current.storedRecords()) {
            if (zr.leaseExpiresMillis() > nowMillis) {
              live.add(zr);
            }
          }
          int reaped = current.storedRecords().size() - live.size();
          if (reaped > 0) {
            current =
                ZoneData.build(
                    new ZoneContent(
                        current.apex(),
                        current.member(),
                        current.serial(),
                        current.generation() + 1,
                        live),
                    settings);
          }
          results.add(new JobResult.Reaped(reaped));
        }
      }
    }
    RecordDiff diff = RecordDiff.between(base.storedRecords(), current.storedRecords(), nowMillis);
    writtenBy.keySet().retainAll(diff.added());
    return new BatchPlan(results, current.storedRecords(), diff, !updated, writtenBy, current);
  }

  /** Seconds of lease given to what the update added or refreshed (for the lease metric). */
  private static OptionalLong granted(ChangeSet changes, long nowMillis) {
    long expiry = Long.MIN_VALUE;
    for (List<ZoneRecord> rows : List.of(changes.added(), changes.leaseRenewed())) {
      for (ZoneRecord zr : rows) {
        if (zr.leased()) {
          expiry = Math.max(expiry, zr.leaseExpiresMillis());
        }
      }
    }
    return expiry == Long.MIN_VALUE
        ? OptionalLong.empty()
        : OptionalLong.of(Math.max(0, (expiry - nowMillis) / 1000));
  }
}
