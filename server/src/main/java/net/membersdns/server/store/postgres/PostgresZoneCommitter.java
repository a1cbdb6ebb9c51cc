package net.membersdns.server.store.postgres;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import net.membersdns.server.update.BatchPlan;
import net.membersdns.server.update.Grant;
import net.membersdns.server.update.RecordDiff;
import net.membersdns.server.update.ZoneCommitter;
import net.membersdns.server.zone.Names;
import net.membersdns.server.zone.ZoneContent;
import net.membersdns.server.zone.ZoneData;
import net.membersdns.server.zone.ZoneRecord;
import net.membersdns.server.zone.ZoneSettings;
import org.xbill.DNS.Name;

/**
 * {@link ZoneCommitter} on PostgreSQL: one transaction per batch, in this order — lock the zone row
 * ({@code SELECT ... FOR UPDATE}, which serialises writers of one zone across every process sharing
 * the database), reload the zone if this process's copy is not the stored generation, share-lock
 * the signing keys and read their grants, plan, then delete / insert / re-lease rows, bump serial
 * and generation ({@link ZoneDao#bump}: the serial only when content changed), append one journal
 * row when content changed, NOTIFY, commit. Any failure rolls everything back.
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
  public Commit commit(Name apex, ZoneData cached, Set<Name> keyNames, Planner planner) {
    String key = Names.canonical(apex);
    return Transactions.inTransaction(
        dataSource,
        "committing to zone " + key,
        c -> {
          Optional<ZoneDao.ZoneRow> row = ZoneDao.lock(c, key);
          Map<Name, List<Grant>> grants = grants(TsigKeyDao.grantsOf(c, canonical(keyNames)));
          ZoneData base = null;
          if (row.isPresent()) {
            ZoneDao.ZoneRow z = row.get();
            base =
                cached != null && cached.generation() == z.generation()
                    ? cached
                    : ZoneData.build(
                        new ZoneContent(
                            apex,
                            z.member(),
                            z.serial(),
                            z.generation(),
                            RecordDao.listForZone(c, z.id())),
                        settings);
          }
          BatchPlan plan = planner.plan(base, grants);
          RecordDiff diff = plan.diff();
          if (base == null || diff.isEmpty()) {
            long serial = base == null ? 0 : base.serial();
            long generation = base == null ? 0 : base.generation();
            return new Commit(plan, base, serial, generation, false);
          }
          long zoneId = row.get().id();
          RecordDao.delete(c, zoneId, diff.removed());
          RecordDao.insert(c, zoneId, diff.added(), plan::writer);
          RecordDao.updateLeases(c, zoneId, diff.leaseChanged());
          ZoneDao.Version v = ZoneDao.bump(c, zoneId, diff.contentChanged());
          if (diff.contentChanged()) {
            ZoneChangeDao.append(
                c,
                zoneId,
                key,
                v,
                plan.expiryOnly() ? ZoneChangeDao.EXPIRE : ZoneChangeDao.UPDATE,
                RecordCodec.journalText(diff.removed().stream().map(ZoneRecord::record).toList()),
                RecordCodec.journalText(diff.added().stream().map(ZoneRecord::record).toList()));
          }
          ZoneNotify.notify(c, key);
          return new Commit(plan, base, v.serial(), v.generation(), true);
        });
  }

  private static List<String> canonical(Set<Name> names) {
    List<String> out = new ArrayList<>(names.size());
    for (Name n : names) {
      out.add(Names.canonical(n));
    }
    return out;
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
