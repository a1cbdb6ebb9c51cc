package net.membersdns.server.store.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.auth.TsigKey;
import net.membersdns.server.keys.KeySource;
import net.membersdns.server.zone.Names;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link KeySource} on {@code tsig_keys} and {@code key_grants}. Blocks on JDBC. */
public final class PostgresKeySource implements KeySource {
  private static final Logger log = LoggerFactory.getLogger(PostgresKeySource.class);

  private final DataSource dataSource;

  public PostgresKeySource(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public List<StoredKey> loadAll() {
    List<TsigKeyDao.KeyRow> rows =
        Transactions.inTransaction(dataSource, "loading TSIG keys", TsigKeyDao::loadAll);
    List<StoredKey> out = new ArrayList<>(rows.size());
    for (TsigKeyDao.KeyRow row : rows) {
      Optional<TsigAlgorithm> alg = TsigAlgorithm.fromName(Names.absolute(row.algorithm()));
      if (alg.isEmpty()) {
        log.warn(
            "keys: {} has algorithm {} which we do not implement", row.name(), row.algorithm());
        continue;
      }
      out.add(
          new StoredKey(
              new TsigKey(Names.absolute(row.name()), alg.get(), row.secret()),
              row.grants().stream().map(TsigKeyDao.Grant::toPolicy).toList()));
    }
    return out;
  }

  @Override
  public String fingerprint() {
    return Transactions.inTransaction(
        dataSource, "reading the keys fingerprint", TsigKeyDao::fingerprint);
  }
}
