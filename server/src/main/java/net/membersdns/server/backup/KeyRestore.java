package net.membersdns.server.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import net.membersdns.server.audit.AuditLog;
import net.membersdns.server.member.MemberNames;
import net.membersdns.server.store.postgres.BackupDao;
import net.membersdns.server.store.postgres.BackupStore;
import net.membersdns.server.store.postgres.MemberDao;
import net.membersdns.server.store.postgres.ZoneDao;
import net.membersdns.server.zone.Names;
import org.xbill.DNS.Name;

/**
 * Puts the keys of a {@link KeysFile} back, in ONE transaction ({@link BackupStore#restoreKeys}):
 * members (with their zone and their key, the same secret), then host keys, then operator keys,
 * each enrolled as the commands enrol them (so zones are journaled and every server is notified),
 * then any grant the file lists that the key lacks. Keys already stored are left as they are: a
 * restore adds what is missing and never replaces a secret, so running it twice changes nothing.
 * Each key added gets an audit line once the transaction committed.
 */
public final class KeyRestore {
  /** What a restore did: keys added, keys found stored already. */
  public record Summary(int restored, int present) {}

  private final BackupStore store;
  private final Name domain;
  private final Clock clock;

  public KeyRestore(BackupStore store, Name domain, Clock clock) {
    this.store = store;
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
    List<MemberDao.NewMember> members = new ArrayList<>();
    List<BackupDao.KeyEntry> keys = new ArrayList<>();
    for (KeysFile.Entry e : entries) {
      BackupDao.KeyEntry k = e.stored();
      if (k.member() != null && k.host() == null) {
        members.add(
            new MemberDao.NewMember(
                k.member(),
                Names.canonical(MemberNames.zone(k.member(), domain)),
                ZoneDao.initialSerial(clock),
                k.name(),
                k.algorithm(),
                k.secret(),
                k.kdf(),
                k.salt(),
                k.iterations()));
      }
      keys.add(k);
    }
    BackupStore.Restored done = store.restoreKeys(members, keys);
    for (String m : done.members()) {
      AuditLog.admin("member.restore").with("member", m).log();
    }
    for (BackupDao.KeyEntry h : done.hosts()) {
      AuditLog.admin("host.restore")
          .with("member", h.member())
          .with("host", h.host())
          .with("key", h.name())
          .log();
    }
    for (String k : done.operatorKeys()) {
      AuditLog.admin("key.restore").with("key", k).log();
    }
    return new Summary(done.count(), entries.size() - done.count());
  }
}
