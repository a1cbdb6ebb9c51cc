package net.membersdns.server.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import net.membersdns.server.update.UpdateSignature;
import net.membersdns.server.zone.Names;

/**
 * SQL for {@code update_signatures} (V7): the TSIG signatures of the updates the writers evaluated,
 * recorded in the commit's own transaction so that each is used once across every process sharing
 * the database, and pruned once they no longer verify.
 */
final class UpdateSignatureDao {
  private UpdateSignatureDao() {}

  /**
   * Records signatures and returns the ones that were there already. Four array parameters: key
   * names, Time Signed, MAC, expiry (seconds). {@code ON CONFLICT DO NOTHING} keeps a replay from
   * failing the group's other updates; a conflicting row of a transaction still in flight (the same
   * update on another process) makes this one wait for its outcome, so exactly one of the two
   * records it. Only the new rows are returned.
   */
  static final String RECORD =
      "INSERT INTO update_signatures (key_name, time_signed, mac, expires)"
          + " SELECT s.key_name, to_timestamp(s.time_signed), s.mac, to_timestamp(s.expires)"
          + " FROM unnest(?::text[], ?::bigint[], ?::bytea[], ?::bigint[])"
          + " AS s(key_name, time_signed, mac, expires)"
          + " ON CONFLICT DO NOTHING"
          + " RETURNING key_name, extract(epoch FROM time_signed)::bigint, mac";

  /** Binds {@link #RECORD}'s four parameters from {@code index} on. */
  static void bindRecord(
      Connection c, PreparedStatement ps, int index, Collection<UpdateSignature> signatures)
      throws SQLException {
    int n = signatures.size();
    String[] keys = new String[n];
    Long[] times = new Long[n];
    byte[][] macs = new byte[n][];
    Long[] expires = new Long[n];
    int i = 0;
    for (UpdateSignature s : signatures) {
      keys[i] = Names.canonical(s.key());
      times[i] = s.timeSigned();
      macs[i] = s.mac();
      expires[i] = s.expiresSeconds();
      i++;
    }
    ps.setArray(index, c.createArrayOf("text", keys));
    ps.setArray(index + 1, c.createArrayOf("bigint", times));
    ps.setArray(index + 2, c.createArrayOf("bytea", macs));
    ps.setArray(index + 3, c.createArrayOf("bigint", expires));
  }

  /** The signatures of {@code all} that a {@link #RECORD} result did not return: used before. */
  static Set<UpdateSignature> used(ResultSet inserted, Collection<UpdateSignature> all)
      throws SQLException {
    Set<UpdateSignature> used = new HashSet<>(all);
    while (inserted.next()) {
      used.remove(
          new UpdateSignature(
              Names.absolute(inserted.getString(1)), inserted.getLong(2), 0, inserted.getBytes(3)));
    }
    return used;
  }

  /** Records {@code signatures} on their own (tests, tools); returns the ones used before. */
  static Set<UpdateSignature> record(Connection c, List<UpdateSignature> signatures)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RECORD)) {
      bindRecord(c, ps, 1, signatures);
      try (ResultSet rs = ps.executeQuery()) {
        return used(rs, signatures);
      }
    }
  }

  /**
   * Deletes the signatures that stopped verifying more than {@code margin} ago by the database's
   * clock (the margin covers server clocks behind it). Each row is deleted by whoever locks it
   * first ({@code SKIP LOCKED}): two processes pruning at once never wait for each other, nor for a
   * commit.
   *
   * @return rows deleted
   */
  static int prune(DataSource ds, Duration margin, int limit) {
    return Transactions.inTransaction(
        ds,
        "pruning update signatures",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM update_signatures WHERE ctid = ANY (ARRAY("
                      + "SELECT ctid FROM update_signatures"
                      + " WHERE expires < now() - ? * interval '1 second'"
                      + " LIMIT ? FOR UPDATE SKIP LOCKED))")) {
            ps.setLong(1, margin.toSeconds());
            ps.setInt(2, limit);
            return ps.executeUpdate();
          }
        });
  }
}
