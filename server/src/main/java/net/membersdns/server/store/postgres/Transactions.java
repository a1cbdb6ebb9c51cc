package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import net.membersdns.server.store.StoreException;

/** Runs a piece of SQL work in one transaction on a pooled connection. */
public final class Transactions {
  private Transactions() {}

  /** SQL work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws.
   *
   * @throws StoreException wrapping any {@link SQLException}; runtime exceptions pass unchanged
   */
  public static <T> T inTransaction(DataSource ds, String what, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      return thenReset(
          () -> {
            T result = work.apply(c);
            c.commit();
            return result;
          },
          () -> {
            c.rollback(); // after a commit: nothing to undo
            c.setAutoCommit(true);
          });
    } catch (SQLException e) {
      throw new StoreException(what + " failed: " + e.getMessage(), e);
    }
  }

  /** SQL work that uses a connection the caller holds. */
  @FunctionalInterface
  public interface Step<T> {
    T run() throws SQLException;
  }

  /** Puts a connection back as the pool lends it: rollback, isolation, read-only, auto-commit. */
  @FunctionalInterface
  public interface Reset {
    void run() throws SQLException;
  }

  /**
   * Runs {@code work}, then {@code reset} whether it succeeded or not. When {@code work} failed,
   * the failure is what the caller needs (DatabaseHealth reads its SQLSTATE): a reset on a
   * connection the failure broke fails too (Hikari's "Connection is closed", no SQLSTATE) and is
   * added to it as suppressed instead of hiding it.
   */
  public static <T> T thenReset(Step<T> work, Reset reset) throws SQLException {
    T result;
    try {
      result = work.run();
    } catch (SQLException | RuntimeException e) {
      try {
        reset.run();
      } catch (SQLException failedReset) {
        e.addSuppressed(failedReset);
      }
      throw e;
    }
    reset.run();
    return result;
  }
}
