package net.membersdns.server.store.postgres;

import java.time.Duration;
import javax.sql.DataSource;
import net.membersdns.server.update.UsedSignatures;

/**
 * {@link UsedSignatures} on PostgreSQL ({@code update_signatures}, V7). A row is deleted {@link
 * #MARGIN} after its signature stopped verifying by the database's clock: a server whose clock is
 * behind the database's by less than that still refuses the replay. Thread-safe.
 */
public final class PostgresUsedSignatures implements UsedSignatures {
  /** How long past its expiry a used signature is kept. */
  public static final Duration MARGIN = Duration.ofMinutes(5);

  private final DataSource dataSource;

  public PostgresUsedSignatures(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public int prune(int limit) {
    return UpdateSignatureDao.prune(dataSource, MARGIN, limit);
  }
}
