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
      T result;
      try {
        result = work.apply(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        // The failure is what the caller needs (DatabaseHealth reads its SQLSTATE): a rollback on
        // a connection the failure broke fails too ("Connection is closed") and must not hide it.
        try {
          c.rollback();
          c.setAutoCommit(true);
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
      c.setAutoCommit(true);
      return result;
    } catch (SQLException e) {
      throw new StoreException(what + " failed: " + e.getMessage(), e);
    }
  }
}
