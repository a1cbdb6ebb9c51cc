package net.membersdns.server.update;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
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
    return evaluate(base, jobs, grants, Set.of(), nowMillis);
  }

  /**
   * As {@link #evaluate(ZoneData, List, Map, long)}, refusing replays: an update whose signature is
   * in {@code used} (recorded by an earlier commit), or that an earlier job of this batch carried,
   * is {@link JobResult.Replayed} and changes nothing. Every other update's signature counts as
   * used by this batch, whatever its result: a refused update (a prerequisite that failed) replayed
   * later, when the prerequisite holds, must not apply either.
   */
  public BatchPlan evaluate(
      ZoneData base,
      List<WriterJob> jobs,
      Map<Name, List<Grant>> grants,
      Set<UpdateSignature> used,
      long nowMillis) {
    List<JobResult> results = new ArrayList<>(jobs.size());
    Set<UpdateSignature> seen = new HashSet<>(used);
    if (base == null) {
      for (WriterJob job : jobs) {
        results.add(
            switch (job) {
              case WriterJob.Update u when !grants.containsKey(u.keyName()) ->
                  new JobResult.KeyRevoked();
              case WriterJob.Update u when replayed(u, seen) -> new JobResult.Replayed();
              case WriterJob.Update u -> new JobResult.Rejected(Rcode.NOTAUTH, "zone removed");
              case WriterJob.Reap r -> new JobResult.Reaped(0);
            });
      }
      return new BatchPlan(results, List.of(), RecordDiff.NONE, false, Map.of());
    }
    UpdateProcessor processor =
        new UpdateProcessor(new UpdatePolicy(k -> grants.getOrDefault(k, List.of())), leases);
    Map<ZoneRecord, Name> writtenBy = new HashMap<>();
    // The zone as the jobs so far left it: built into a ZoneData only when a later job reads it
    // (the writer builds the published version itself, at the committed serial and generation).
    Zone zone = new Zone(base, settings);
    boolean updated = false;
    for (WriterJob job : jobs) {
      switch (job) {
        case WriterJob.Update u -> {
          if (!grants.containsKey(u.keyName())) {
            results.add(new JobResult.KeyRevoked());
            continue;
          }
          if (replayed(u, seen)) {
            results.add(new JobResult.Replayed());
            continue;
          }
          ZoneData current = zone.data();
          switch (processor.process(u.request(), Optional.of(u.keyName()), current, nowMillis)) {
            case Rejection r -> results.add(new JobResult.Rejected(r.rcode(), r.reason()));
            case UpdateOutcome.Applied a -> {
              ChangeSet changes = a.changes();
              if (!changes.isEmpty()) {
                zone.becomes(changes.content(current));
                changes.added().forEach(zr -> writtenBy.put(zr, u.keyName()));
                updated |= changes.contentChanged();
              }
              results.add(new JobResult.Applied(a.replyLease(), granted(changes, nowMillis)));
            }
          }
        }
        case WriterJob.Reap r -> {
          ZoneContent before = zone.content();
          List<ZoneRecord> live = new ArrayList<>();
          for (ZoneRecord zr : before.records()) {
            if (zr.leaseExpiresMillis() > nowMillis) {
              live.add(zr);
            }
          }
          int reaped = before.records().size() - live.size();
          if (reaped > 0) {
            zone.becomes(
                new ZoneContent(
                    before.apex(),
                    before.member(),
                    before.serial(),
                    before.generation() + 1,
                    live));
          }
          results.add(new JobResult.Reaped(reaped));
        }
      }
    }
    List<ZoneRecord> records = zone.content().records();
    RecordDiff diff = RecordDiff.between(base.storedRecords(), records, nowMillis);
    writtenBy.keySet().retainAll(diff.added());
    return new BatchPlan(results, records, diff, !updated, writtenBy);
  }

  /** Whether {@code u}'s signature is in {@code seen}; adds it if not. */
  private static boolean replayed(WriterJob.Update u, Set<UpdateSignature> seen) {
    return u.signature().map(s -> !seen.add(s)).orElse(false);
  }

  /** The zone during a batch: its content, and its index once something asked for it. */
  private static final class Zone {
    private final ZoneSettings settings;
    private ZoneContent content;
    private ZoneData data;

    Zone(ZoneData base, ZoneSettings settings) {
      this.settings = settings;
      this.data = base;
      this.content =
          new ZoneContent(
              base.apex(), base.member(), base.serial(), base.generation(), base.storedRecords());
    }

    ZoneContent content() {
      return content;
    }

    ZoneData data() {
      if (data == null) {
        data = ZoneData.build(content, settings);
      }
      return data;
    }

    void becomes(ZoneContent next) {
      content = next;
      data = null;
    }
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
