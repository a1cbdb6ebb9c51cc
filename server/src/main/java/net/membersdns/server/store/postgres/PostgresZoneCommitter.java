package net.membersdns.server.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import net.membersdns.server.update.BatchPlan;
import net.membersdns.server.update.Grant;
import net.membersdns.server.update.RecordDiff;
import net.membersdns.server.update.UpdateSignature;
import net.membersdns.server.update.ZoneCommitter;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import net.membersdns.server.zone.ZoneSettings;
import org.xbill.DNS.Name;

/**
 * {@link ZoneCommitter} on PostgreSQL: ONE transaction per group of zones, with a fixed number of
 * set-based statements whatever the size of the group, in this order:
 *
 * <ol>
 *   <li>in one round trip (three statements with the next two): lock the zone rows of the group
 *       ({@code SELECT ... WHERE apex = ANY(?) ORDER BY id FOR UPDATE}: serialises writers of one
 *       zone across every process sharing the database, and the id order keeps two processes'
 *       groups from deadlocking);
 *   <li>share-lock the signing keys of the group and read their grants (a key removed before this
 *       writes nothing; one removed after waits for this commit);
 *   <li>record the updates' TSIG signatures ({@code update_signatures}, V7); the ones recorded
 *       before are replays, refused by the planner while the rest of the group commits;
 *   <li>reload the zones whose stored generation is not the one this process serves (one query for
 *       all of them, none when the snapshot is current);
 *   <li>plan every zone's batch (pure, in memory);
 *   <li>ONE statement ({@link GroupWrite}) writes every zone: rows deleted, inserted and updated in
 *       place ({@code unnest} of parallel arrays), serial (only where content changed) and
 *       generation ({@code zone_generation}) bumped, journal rows appended for the zones whose
 *       content changed, one {@code pg_notify} per written zone;
 *   <li>commit: one WAL flush for the group.
 * </ol>
 *
 * Three round trips at most (lock and grants, reload, write) and the commit. Any failure rolls
 * everything back, for every zone.
 *
 * <p>Thread-safe; blocks on JDBC (one pooled connection per call).
 */
public final class PostgresZoneCommitter implements ZoneCommitter {
  private final DataSource dataSource;
  private final ZoneSettings settings;

  public PostgresZoneCommitter(DataSource dataSource, ZoneSettings settings) {
    this.dataSource = dataSource;
    this.settings = settings;
  }

  @Override
  public List<Commit> commit(List<Batch> batches) {
    if (batches.isEmpty()) {
      return List.of();
    }
    List<String> apexes = new ArrayList<>(batches.size());
    Set<String> keyNames = new HashSet<>();
    Set<UpdateSignature> signatures = new HashSet<>();
    for (Batch b : batches) {
      apexes.add(Names.canonical(b.apex()));
      for (Name k : b.keyNames()) {
        keyNames.add(Names.canonical(k));
      }
      signatures.addAll(b.signatures());
    }
    if (new HashSet<>(apexes).size() != apexes.size()) {
      throw new IllegalArgumentException("a zone appears twice in one group: " + apexes);
    }
    String what =
        batches.size() == 1
            ? "committing to zone " + apexes.get(0)
            : "committing to " + batches.size() + " zones";
    return Transactions.inTransaction(
        dataSource,
        what,
        c -> {
          Map<String, ZoneDao.ZoneRow> rows;
          Map<Name, List<Grant>> grants;
          Set<UpdateSignature> used;
          // Zones locked, keys share-locked, signatures recorded: three statements, one round
          // trip. The signatures come after the zone locks: the same signature always names the
          // same zone (the MAC covers the zone section), so a replay on another process waits for
          // the zone before it meets the original's row.
          try (PreparedStatement ps =
              c.prepareStatement(
                  ZoneDao.LOCK_ALL
                      + "; "
                      + TsigKeyDao.GRANTS_OF
                      + "; "
                      + UpdateSignatureDao.RECORD)) {
            ps.setArray(1, c.createArrayOf("text", apexes.toArray()));
            ps.setArray(2, c.createArrayOf("text", keyNames.toArray()));
            UpdateSignatureDao.bindRecord(c, ps, 3, signatures);
            ps.execute();
            try (ResultSet rs = ps.getResultSet()) {
              rows = ZoneDao.rows(rs);
            }
            if (!ps.getMoreResults()) {
              throw new SQLException("no result for the signing keys");
            }
            try (ResultSet rs = ps.getResultSet()) {
              grants = grants(TsigKeyDao.grants(rs));
            }
            if (!ps.getMoreResults()) {
              throw new SQLException("no result for the update signatures");
            }
            try (ResultSet rs = ps.getResultSet()) {
              used = UpdateSignatureDao.used(rs, signatures);
            }
          }

          Set<Long> stale = new HashSet<>();
          for (int i = 0; i < batches.size(); i++) {
            ZoneDao.ZoneRow row = rows.get(apexes.get(i));
            ZoneData cached = batches.get(i).cached();
            if (row != null && (cached == null || cached.generation() != row.generation())) {
              stale.add(row.id());
            }
          }
          Map<Long, List<ZoneRecord>> reloaded = RecordDao.listForZones(c, stale);

          List<BatchPlan> plans = new ArrayList<>(batches.size());
          List<ZoneData> bases = new ArrayList<>(batches.size());
          GroupWrite write = new GroupWrite();
          for (int i = 0; i < batches.size(); i++) {
            Batch batch = batches.get(i);
            ZoneDao.ZoneRow row = rows.get(apexes.get(i));
            ZoneData base = null;
            if (row != null) {
              base =
                  stale.contains(row.id())
                      ? ZoneData.build(
                          new ZoneContent(
                              batch.apex(),
                              row.member(),
                              row.serial(),
                              row.generation(),
                              reloaded.getOrDefault(row.id(), List.of())),
                          settings)
                      : batch.cached();
            }
            BatchPlan plan = batch.planner().plan(base, grants, used);
            plans.add(plan);
            bases.add(base);
            RecordDiff diff = plan.diff();
            if (base == null || diff.isEmpty()) {
              continue;
            }
            long id = row.id();
            write.delete(id, diff.deleted());
            write.insert(id, diff.inserted(), plan::writer);
            write.replace(id, diff.replaced(), plan::writer);
            write.lease(id, diff.leaseChanged());
            if (diff.contentChanged()) {
              write.zone(
                  id,
                  plan.expiryOnly() ? ZoneChangeDao.EXPIRE : ZoneChangeDao.UPDATE,
                  RecordCodec.journalText(diff.removed().stream().map(ZoneRecord::record).toList()),
                  RecordCodec.journalText(diff.added().stream().map(ZoneRecord::record).toList()));
            } else {
              write.zone(id, null, null, null);
            }
          }
          if (write.isEmpty()) {
            return unwritten(plans, bases);
          }
          Map<Long, ZoneDao.Version> versions = write.execute(c);
          List<Commit> out = new ArrayList<>(batches.size());
          for (int i = 0; i < batches.size(); i++) {
            ZoneDao.ZoneRow row = rows.get(apexes.get(i));
            ZoneDao.Version v = row == null ? null : versions.get(row.id());
            out.add(
                v == null
                    ? unwritten(plans.get(i), bases.get(i))
                    : new Commit(plans.get(i), bases.get(i), v.serial(), v.generation(), true));
          }
          return out;
        });
  }

  private static List<Commit> unwritten(List<BatchPlan> plans, List<ZoneData> bases) {
    List<Commit> out = new ArrayList<>(plans.size());
    for (int i = 0; i < plans.size(); i++) {
      out.add(unwritten(plans.get(i), bases.get(i)));
    }
    return out;
  }

  private static Commit unwritten(BatchPlan plan, ZoneData base) {
    long serial = base == null ? 0 : base.serial();
    long generation = base == null ? 0 : base.generation();
    return new Commit(plan, base, serial, generation, false);
  }

  private static Map<Name, List<Grant>> grants(Map<String, List<TsigKeyDao.Grant>> stored) {
    Map<Name, List<Grant>> out = new HashMap<>();
    for (var e : stored.entrySet()) {
      out.put(
          Names.absolute(e.getKey()),
          e.getValue().stream().map(TsigKeyDao.Grant::toPolicy).toList());
    }
    return out;
  }
}
