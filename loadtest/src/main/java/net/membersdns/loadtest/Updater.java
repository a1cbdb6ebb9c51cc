package net.membersdns.loadtest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Makes changes at a steady rate: each picks a random subscribed name and adds its AAAA if absent,
 * else deletes it, and notes the time just before the commit in {@code commits}. Two ways in:
 *
 * <ul>
 *   <li>{@code sql}: one PostgreSQL transaction per change (record row, generation bump, NOTIFY),
 *       as any writer sharing the database does; the server's change feed picks it up.
 *   <li>{@code dns}: a TSIG-signed RFC 2136 UPDATE to the server (needs the update path).
 * </ul>
 */
final class Updater {
  private final String mode;
  private final String dbUrl;
  private final InetSocketAddress server;
  private final TSIG tsig;
  private final Name zone;
  private final int names;
  private final AtomicLongArray commits;
  private final boolean[] present;
  private final SplittableRandom random = new SplittableRandom(42);

  Updater(
      String mode,
      String dbUrl,
      InetSocketAddress server,
      TSIG tsig,
      Name zone,
      int names,
      AtomicLongArray commits) {
    this.mode = mode;
    this.dbUrl = dbUrl;
    this.server = server;
    this.tsig = tsig;
    this.zone = zone;
    this.names = names;
    this.commits = commits;
    this.present = new boolean[names];
  }

  /** Runs {@code perSecond} changes a second for {@code duration}; returns how many were made. */
  long run(double perSecond, Duration duration) throws Exception {
    long interval = (long) (1_000_000_000L / perSecond);
    long end = System.nanoTime() + duration.toNanos();
    long next = System.nanoTime();
    long made = 0;
    try (Sql sql = mode.equals("sql") ? new Sql() : null) {
      while (System.nanoTime() < end) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        next += interval;
        int j = random.nextInt(names);
        AAAARecord rr =
            new AAAARecord(
                Subscribers.name(j, zone),
                DClass.IN,
                60,
                InetAddress.getByName("fd00::" + Integer.toHexString(j & 0xFFFF)));
        boolean add = !present[j];
        if (sql != null) {
          sql.change(j, rr, add);
        } else {
          dns(j, rr, add);
        }
        present[j] = add;
        made++;
      }
    }
    return made;
  }

  private void dns(int j, AAAARecord rr, boolean add) throws Exception {
    Update u = new Update(zone);
    if (add) {
      u.add(rr);
    } else {
      u.delete(rr);
    }
    SimpleResolver r = new SimpleResolver(server);
    r.setTSIGKey(tsig);
    r.setTimeout(Duration.ofSeconds(5));
    commits.set(j, System.nanoTime());
    Message reply = r.send(u);
    if (reply.getRcode() != Rcode.NOERROR) {
      System.err.println("update " + rr + " → " + Rcode.string(reply.getRcode()));
    }
  }

  /** The SQL way: what a writer of issue 3 commits, minus the journal text. */
  private final class Sql implements AutoCloseable {
    private final Connection c;
    private final long zoneId;
    private final PreparedStatement insert;
    private final PreparedStatement delete;
    private final PreparedStatement bump;
    private final PreparedStatement notify;

    Sql() throws SQLException {
      c = DriverManager.getConnection(dbUrl);
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM zones WHERE apex = ?")) {
        ps.setString(1, zone.canonicalize().toString());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("no zone " + zone + " (enrol the member first)");
          }
          zoneId = rs.getLong(1);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM records WHERE zone_id = ? AND owner LIKE 'h%'")) {
        ps.setLong(1, zoneId);
        ps.executeUpdate();
      }
      c.setAutoCommit(false);
      insert =
          c.prepareStatement(
              "INSERT INTO records (zone_id, owner, rtype, rclass, ttl, rdata, written_by)"
                  + " VALUES (?, ?, ?, 1, 60, ?, 'loadtest')");
      delete =
          c.prepareStatement(
              "DELETE FROM records WHERE zone_id = ? AND owner = ? AND rtype = ? AND rdata = ?");
      bump =
          c.prepareStatement(
              "UPDATE zones SET serial = (serial + 1) % 4294967296,"
                  + " generation = nextval('zone_generation') WHERE id = ?");
      notify = c.prepareStatement("SELECT pg_notify('membersdns_zones', ?)");
    }

    void change(int j, AAAARecord rr, boolean add) throws SQLException {
      PreparedStatement ps = add ? insert : delete;
      ps.setLong(1, zoneId);
      ps.setString(2, rr.getName().canonicalize().toString());
      ps.setInt(3, Type.AAAA);
      ps.setBytes(4, rr.rdataToWireCanonical());
      ps.executeUpdate();
      bump.setLong(1, zoneId);
      bump.executeUpdate();
      notify.setString(1, zone.canonicalize().toString());
      notify.executeQuery().close();
      commits.set(j, System.nanoTime());
      c.commit();
    }

    @Override
    public void close() throws SQLException {
      c.close();
    }
  }
}
