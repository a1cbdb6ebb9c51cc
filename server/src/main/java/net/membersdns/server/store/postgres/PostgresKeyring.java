package net.membersdns.server.store.postgres;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import net.membersdns.server.auth.TsigAlgorithm;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.auth.TsigKeyring;
import net.membersdns.server.update.Grant;
import net.membersdns.server.zone.Names;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The TSIG keys and grants of the store, held in memory so that lookups on the request path never
 * block (the {@link TsigKeyring} contract); {@link #reload} (blocking, JDBC) replaces them whole.
 * The composition root reloads at start-up and whenever the change feed reports a zone change,
 * since enrolment and removal of members change keys in the same transaction as the zone.
 *
 * <p>Stopgap for the LLQ work (issue 4) until the update path's keyring (issue 3) is merged; the
 * two read the same tables.
 */
public final class PostgresKeyring implements TsigKeyring {
  private static final Logger log = LoggerFactory.getLogger(PostgresKeyring.class);

  private record Entry(TsigKey key, List<Grant> grants) {}

  private final DataSource dataSource;
  private volatile Map<Name, Entry> keys = Map.of();

  public PostgresKeyring(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** Reads every key and grant again (blocks on JDBC; never call on an event loop). */
  public void reload() {
    List<TsigKeyDao.KeyRow> rows =
        Transactions.inTransaction(dataSource, "loading TSIG keys", TsigKeyDao::loadAll);
    Map<Name, Entry> next = new HashMap<>(rows.size() * 2);
    for (TsigKeyDao.KeyRow row : rows) {
      Optional<TsigAlgorithm> algorithm = TsigAlgorithm.fromName(Names.absolute(row.algorithm()));
      if (algorithm.isEmpty() || row.secret().length == 0) {
        log.warn("auth: skipping key {} with algorithm {}", row.name(), row.algorithm());
        continue;
      }
      Name name = Names.absolute(row.name());
      List<Grant> grants =
          row.grants().stream()
              .map(g ->
                  new Grant(
                      "members".equals(g.scope()) ? "*." + g.zonePattern() : g.zonePattern(),
                      "update".equals(g.permission())
                          ? Grant.Permission.UPDATE
                          : Grant.Permission.READ))
              .toList();
      next.put(name, new Entry(new TsigKey(name, algorithm.get(), row.secret()), grants));
    }
    keys = Map.copyOf(next);
  }

  @Override
  public Optional<TsigKey> lookup(Name keyName) {
    Entry e = keys.get(keyName);
    return e == null ? Optional.empty() : Optional.of(e.key());
  }

  /** The grants of {@code keyName} (empty for unknown keys): {@code UpdatePolicy}'s input. */
  public List<Grant> grants(Name keyName) {
    Entry e = keys.get(keyName);
    return e == null ? List.of() : e.grants();
  }

  public int size() {
    return keys.size();
  }
}
