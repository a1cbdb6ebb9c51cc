package net.membersdns.server.store.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import net.membersdns.server.zone.ZoneRecord;

/**
 * The transactions of {@code export} and of the key part of {@code import}, so that the backup
 * package above the store holds no SQL: one consistent read of everything, and one transaction that
 * puts missing keys back. Thread-safe; every method blocks on JDBC.
 */
public final class BackupStore {
  /** Everything an export writes, read at one moment. */
  public record Snapshot(
      List<BackupDao.ZoneEntry> zones,
      Map<Long, List<ZoneRecord>> records,
      List<BackupDao.KeyEntry> keys) {}

  /** What a key restore added: members enrolled, host keys and operator keys created. */
  public record Restored(
      List<String> members, List<BackupDao.KeyEntry> hosts, List<String> operatorKeys) {
    public int count() {
      return members.size() + hosts.size() + operatorKeys.size();
    }
  }

  private final DataSource ds;

  public BackupStore(Database database) {
    this.ds = database.dataSource();
  }

  /** For tests and tools that hold a data source already. */
  public BackupStore(DataSource ds) {
    this.ds = ds;
  }

  /**
   * Every zone with its records and every key with its grants, in one read-only REPEATABLE READ
   * transaction: the zone file and the keys file of an export describe the same moment while
   * servers keep committing.
   */
  public Snapshot snapshot() {
    return Transactions.inTransaction(
        ds,
        "reading the members domain",
        c -> {
          BackupDao.snapshot(c);
          List<BackupDao.ZoneEntry> zones = BackupDao.zones(c);
          return new Snapshot(
              zones,
              RecordDao.listForZones(c, zones.stream().map(BackupDao.ZoneEntry::id).toList()),
              BackupDao.keys(c));
        });
  }

  /**
   * Puts keys back in ONE transaction: {@code members} (with their zone and the same secret), then,
   * in the order of {@code keys}, host keys and operator keys, each through the DAO that enrols it
   * (so zones are journaled and every server is notified), then any grant a key of {@code keys}
   * lacks. Keys already stored are left as they are: nothing is replaced, so running it twice
   * changes nothing.
   *
   * @param members the member keys of {@code keys} as member rows
   * @param keys every key to restore with its grants; member keys among them get their grants only
   * @throws IllegalArgumentException for a host key whose member is neither given nor stored (the
   *     transaction is rolled back)
   */
  public Restored restoreKeys(List<MemberDao.NewMember> members, List<BackupDao.KeyEntry> keys) {
    return Transactions.inTransaction(
        ds,
        "restoring keys",
        c -> {
          List<String> enrolled = MemberDao.enrol(c, members);
          List<BackupDao.KeyEntry> hosts = new ArrayList<>();
          List<String> operators = new ArrayList<>();
          for (BackupDao.KeyEntry k : keys) {
            if (k.host() != null) {
              HostDao.AddOutcome outcome =
                  HostDao.create(
                      c,
                      new HostDao.NewHost(
                          k.member(), k.host(), k.name(), k.algorithm(), k.secret()));
              if (outcome instanceof HostDao.AddOutcome.Added) {
                hosts.add(k);
              } else if (outcome == HostDao.AddOutcome.Refused.NO_MEMBER) {
                throw new IllegalArgumentException(
                    "host key "
                        + k.name()
                        + ": no member "
                        + k.member()
                        + " in the file or stored");
              }
            } else if (k.member() == null && !BackupDao.keyExists(c, k.name())) {
              TsigKeyDao.createOperatorKey(c, k.name(), k.algorithm(), k.secret(), k.grants());
              operators.add(k.name());
            }
            BackupDao.addMissingGrants(c, k.name(), k.grants());
          }
          return new Restored(enrolled, hosts, operators);
        });
  }
}
