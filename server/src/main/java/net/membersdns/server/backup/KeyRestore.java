package net.membersdns.server.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import net.membersdns.server.audit.AuditLog;
import net.membersdns.server.member.KeyAlgorithms;
import net.membersdns.server.member.MemberNames;
import net.membersdns.server.store.postgres.BackupDao;
import net.membersdns.server.store.postgres.HostDao;
import net.membersdns.server.store.postgres.MemberDao;
import net.membersdns.server.store.postgres.Transactions;
import net.membersdns.server.store.postgres.TsigKeyDao;
import net.membersdns.server.store.postgres.ZoneDao;
import net.membersdns.server.zone.Names;
import org.xbill.DNS.Name;

/**
 * Puts the keys of a {@link KeysFile} back, in ONE transaction: members (with their zone and their
 * key, the same secret), then host keys, then operator keys, each through the DAO that enrols it
 * (so zones are journaled and every server is notified), then any grant the file lists that the key
 * lacks. Keys already stored are left as they are: a restore adds what is missing and never
 * replaces a secret, so running it twice changes nothing.
 */
public final class KeyRestore {
  /** What a restore did: keys added, keys found stored already. */
  public record Summary(int restored, int present) {}

  private final DataSource dataSource;
  private final Name domain;
  private final Clock clock;

  public KeyRestore(DataSource dataSource, Name domain, Clock clock) {
    this.dataSource = dataSource;
    this.domain = domain;
    this.clock = clock;
  }

  /**
   * Reads {@code file} (every line checked before anything is written).
   *
   * @throws IOException naming the file and line of a bad entry
   */
  public static List<KeysFile.Entry> read(Path file, Name domain) throws IOException {
    List<KeysFile.Entry> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    for (int i = 0; i < lines.size(); i++) {
      try {
        KeysFile.Entry e = KeysFile.parse(lines.get(i), domain);
        if (e != null) {
          out.add(e);
        }
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  public Summary restore(List<KeysFile.Entry> entries) {
    return Transactions.inTransaction(dataSource, "restoring keys", c -> restore(c, entries));
  }

  private Summary restore(Connection c, List<KeysFile.Entry> entries) throws SQLException {
    List<MemberDao.NewMember> members = new ArrayList<>();
    for (KeysFile.Entry e : entries) {
      if (e.member() != null && e.host() == null) {
        members.add(
            new MemberDao.NewMember(
                e.member(),
                Names.canonical(MemberNames.zone(e.member(), domain)),
                ZoneDao.initialSerial(clock),
                e.keyName(),
                KeyAlgorithms.stored(e.key().algorithm()),
                e.key().secret(),
                e.kdf(),
                e.salt(),
                e.iterations()));
      }
    }
    List<String> enrolled = MemberDao.enrol(c, members);
    int restored = enrolled.size();
    for (String m : enrolled) {
      AuditLog.admin("member.restore").with("member", m).log();
    }
    for (KeysFile.Entry e : entries) {
      if (e.host() != null) {
        HostDao.AddOutcome outcome =
            HostDao.create(
                c,
                new HostDao.NewHost(
                    e.member(),
                    e.host(),
                    e.keyName(),
                    KeyAlgorithms.stored(e.key().algorithm()),
                    e.key().secret()));
        if (outcome instanceof HostDao.AddOutcome.Added) {
          restored++;
          AuditLog.admin("host.restore")
              .with("member", e.member())
              .with("host", e.host())
              .with("key", e.keyName())
              .log();
        } else if (outcome == HostDao.AddOutcome.Refused.NO_MEMBER) {
          throw new IllegalArgumentException(
              "host key " + e.keyName() + ": no member " + e.member() + " in the file or stored");
        }
      } else if (e.member() == null && !BackupDao.keyExists(c, e.keyName())) {
        TsigKeyDao.createOperatorKey(
            c,
            e.keyName(),
            KeyAlgorithms.stored(e.key().algorithm()),
            e.key().secret(),
            e.grants());
        restored++;
        AuditLog.admin("key.restore").with("key", e.keyName()).log();
      }
      BackupDao.addMissingGrants(c, e.keyName(), e.grants());
    }
    return new Summary(restored, entries.size() - restored);
  }
}
