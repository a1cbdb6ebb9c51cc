package net.membersdns.server.store.postgres;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import javax.sql.DataSource;
import net.membersdns.server.zone.ZoneRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The transactions of the administrative side (members, hosts, operator keys, bulk import), each
 * one method, so that the services and commands above the store hold no SQL. Thread-safe; every
 * method blocks on JDBC and runs in a transaction of its own.
 */
public final class MemberStore {
  private final DataSource ds;

  public MemberStore(Database database) {
    this.ds = database.dataSource();
  }

  /** For tests and tools that hold a data source already. */
  public MemberStore(DataSource ds) {
    this.ds = ds;
  }

  /** Creates the members; returns the names created (those not taken already). */
  public List<String> enrol(List<MemberDao.NewMember> members) {
    return Transactions.inTransaction(ds, "enrolling members", c -> MemberDao.enrol(c, members));
  }

  public List<MemberDao.MemberRow> members() {
    return Transactions.inTransaction(ds, "listing members", MemberDao::list);
  }

  public Set<String> memberNames() {
    return new HashSet<>(Transactions.inTransaction(ds, "reading members", MemberDao::names));
  }

  /** Removes a member with zone, records, key and grants; its zone apex, or empty if none. */
  public Optional<String> removeMember(String member) {
    return Transactions.inTransaction(
        ds, "removing member " + member, c -> MemberDao.remove(c, member));
  }

  /** The stored records of {@code member}'s zone, or empty if there is no such member. */
  public Optional<List<ZoneRecord>> records(String member) {
    return Transactions.inTransaction(
        ds,
        "reading records of " + member,
        c -> {
          Optional<ZoneDao.ZoneRow> zone = ZoneDao.findByMember(c, member);
          return zone.isEmpty()
              ? Optional.empty()
              : Optional.of(RecordDao.listForZone(c, zone.get().id()));
        });
  }

  public HostDao.AddOutcome addHost(HostDao.NewHost host) {
    return Transactions.inTransaction(
        ds, "adding host " + host.host() + " of " + host.member(), c -> HostDao.create(c, host));
  }

  /** The host keys of {@code member}, or empty if there is no such member. */
  public Optional<List<HostDao.HostRow>> hosts(String member) {
    return Transactions.inTransaction(
        ds, "listing hosts of " + member, c -> HostDao.list(c, member));
  }

  /** {@link HostDao#remove}, in a transaction of its own. */
  public HostDao.RemoveOutcome removeHost(
      String member, String host, BiPredicate<Name, Record> owned) {
    return Transactions.inTransaction(
        ds, "removing host " + host + " of " + member, c -> HostDao.remove(c, member, host, owned));
  }

  public void addOperatorKey(
      String key, String algorithm, byte[] secret, List<TsigKeyDao.Grant> grants) {
    Transactions.inTransaction(
        ds,
        "adding key " + key,
        c -> TsigKeyDao.createOperatorKey(c, key, algorithm, secret, grants));
  }

  public List<TsigKeyDao.KeyRow> keys() {
    return Transactions.inTransaction(ds, "listing keys", TsigKeyDao::loadAll);
  }

  /** Removes a key with its grants; whether it existed. */
  public boolean removeKey(String key) {
    return Transactions.inTransaction(ds, "removing key " + key, c -> TsigKeyDao.remove(c, key));
  }

  /** Makes sure the members domain zone exists (idempotent). */
  public void ensureDomainZone(Name domain) {
    new PostgresZoneStore(ds, Clock.systemUTC()).ensureDomainZone(domain);
  }

  /** Apex (canonical) → id of every zone. */
  public Map<String, Long> zoneIds() {
    return Transactions.inTransaction(
        ds,
        "reading zones",
        c -> {
          Map<String, Long> out = new HashMap<>();
          try (var ps = c.prepareStatement("SELECT apex, id FROM zones");
              var rs = ps.executeQuery()) {
            while (rs.next()) {
              out.put(rs.getString(1), rs.getLong(2));
            }
          }
          return out;
        });
  }

  /** Writes one chunk of imported records ({@link RecordChunkWriter}); how many were new. */
  public int importRecords(List<RecordChunkWriter.Row> rows) {
    return Transactions.inTransaction(
        ds, "importing records", c -> new RecordChunkWriter().write(c, rows));
  }
}
