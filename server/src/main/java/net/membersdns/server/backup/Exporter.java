package net.membersdns.server.backup;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import net.membersdns.server.store.postgres.BackupDao;
import net.membersdns.server.store.postgres.BackupStore;
import net.membersdns.server.zone.ZoneRecord;
import org.xbill.DNS.Name;

/**
 * Writes a members domain out: its records as one RFC 1035 master file (absolute names, explicit
 * TTLs; what {@code import} reads and BIND, Knot or NSD would load), leased records with their
 * expiry ({@link Leases}), and its keys as a {@link KeysFile}. Synthesised data (apex SOA and NS,
 * discovery SRVs, the server's address) is not written: the server makes it. Records whose lease
 * has run out are left out, as they are never served.
 *
 * <p>One read-only REPEATABLE READ transaction: both files describe one moment, while servers keep
 * committing. Each file is written beside its target and moved into place, so a backup job never
 * leaves a half-written file where the last good one was; both are mode 0600 (the keys file holds
 * secrets, the records are the members' private data).
 */
public final class Exporter {
  /** What an export wrote. */
  public record Summary(int zones, int records, int leased, int keys) {
    public String line() {
      return "exported "
          + zones
          + " zones, "
          + records
          + " records ("
          + leased
          + " leased), "
          + keys
          + " keys";
    }
  }

  private final BackupStore store;
  private final Name domain;
  private final Clock clock;

  public Exporter(BackupStore store, Name domain, Clock clock) {
    this.store = store;
    this.domain = domain;
    this.clock = clock;
  }

  /** Writes the master file {@code zoneFile} and the keys file {@code keysFile}. */
  public Summary export(Path zoneFile, Path keysFile) throws IOException {
    BackupStore.Snapshot s = store.snapshot();
    Instant now = clock.instant();
    int[] counts = new int[2];
    replace(
        zoneFile,
        w -> {
          w.write("; membersdns export of " + domain + " at " + now + "\n");
          w.write(
              "; restore: membersdns import THIS-FILE --keys-file KEYS-FILE (README: Backup)\n");
          for (BackupDao.ZoneEntry z : s.zones()) {
            w.write("; zone " + z.apex());
            w.write(z.member() == null ? "\n" : " (member " + z.member() + ")\n");
            for (ZoneRecord r : s.records().getOrDefault(z.id(), List.of())) {
              if (r.leaseExpiresMillis() == ZoneRecord.PERMANENT) {
                w.write(r.record() + "\n");
              } else if (r.leaseExpiresMillis() > now.toEpochMilli()) {
                w.write(
                    Leases.annotate(r.record(), Instant.ofEpochMilli(r.leaseExpiresMillis()))
                        + "\n");
                counts[1]++;
              } else {
                continue;
              }
              counts[0]++;
            }
          }
        });
    replace(
        keysFile,
        w -> {
          w.write("# membersdns keys of " + domain + " at " + now + ": SECRETS, keep private\n");
          for (BackupDao.KeyEntry k : s.keys()) {
            w.write(KeysFile.format(KeysFile.Entry.of(k)) + "\n");
          }
        });
    return new Summary(s.zones().size(), counts[0], counts[1], s.keys().size());
  }

  @FunctionalInterface
  private interface Body {
    void write(Writer w) throws IOException;
  }

  /** Writes {@code target} through a 0600 temporary file beside it, moved into place at the end. */
  private static void replace(Path target, Body body) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp =
        Files.createTempFile(
            dir,
            "." + target.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        body.write(w);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
