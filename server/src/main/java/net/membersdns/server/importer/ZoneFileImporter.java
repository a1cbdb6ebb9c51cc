package net.membersdns.server.importer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.backup.KeyRestore;
import net.membersdns.server.backup.KeysFile;
import net.membersdns.server.backup.Leases;
import net.membersdns.server.member.Enrolment;
import net.membersdns.server.member.KeyMaterial;
import net.membersdns.server.member.MemberService;
import net.membersdns.server.store.postgres.BackupStore;
import net.membersdns.server.store.postgres.MemberDao;
import net.membersdns.server.store.postgres.MemberStore;
import net.membersdns.server.store.postgres.RecordChunkWriter;
import net.membersdns.server.store.postgres.TsigKeyDao;
import net.membersdns.server.zone.Names;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Loads a members domain from an RFC 1035 master file ({@code $ORIGIN}, {@code $TTL}, relative
 * names: dnsjava's {@link Master}). Members the file implies (see {@link ImportPlan}) are enrolled
 * like {@code member add} with random keys, 1,000 per transaction; their key lines go to {@code
 * keysFile} when given (created mode 600), else nowhere. Records are stored permanent (or with the
 * lease an export noted, {@link Leases}; ones expired since are skipped), 5,000 per transaction, by
 * COPY into a temporary table and one {@code INSERT ... ON CONFLICT DO NOTHING}, so re-running an
 * import adds nothing. Each chunk bumps the serial of the zones it added to, journals the added
 * records and sends a NOTIFY per zone: running servers pick the import up as it goes.
 *
 * <p>The file is parsed into memory first (the member rule needs the whole file): about 300 bytes
 * per record. One import at a time per object; blocks on JDBC.
 */
public final class ZoneFileImporter {
  static final int RECORD_CHUNK = 5_000;
  static final int MEMBER_CHUNK = 1_000;

  private final MemberStore store;
  private final BackupStore backups;
  private final MemberService members;
  private final Set<String> reserved;
  private final SecureRandom random;

  public ZoneFileImporter(
      MemberStore store,
      BackupStore backups,
      MemberService members,
      Set<String> reserved,
      SecureRandom random) {
    this.store = store;
    this.backups = backups;
    this.members = members;
    this.reserved = Set.copyOf(reserved);
    this.random = random;
  }

  /**
   * Imports {@code zoneFile} into the members domain of {@link MemberService#domain()}.
   *
   * @param keysFile where to append the key lines of members created, or empty for nowhere
   * @param algorithm the algorithm of the keys made for new members
   * @param progress where the progress line goes (stderr in the CLI)
   * @throws IOException when the file cannot be read or parsed (message names file and line)
   */
  public ImportSummary importFile(
      Path zoneFile, Optional<Path> keysFile, TsigAlgorithm algorithm, PrintWriter progress)
      throws IOException {
    long t0 = System.nanoTime();
    Name domain = members.domain();
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(zoneFile.toString(), domain)) {
      Record r;
      while ((r = master.nextRecord()) != null) {
        records.add(r);
      }
    }
    Map<Record, Instant> leases = Leases.read(zoneFile, domain);
    store.ensureDomainZone(domain);
    KeyRestore.Summary keys = restoreKeys(keysFile, domain);
    Set<String> existing = store.memberNames();
    ImportPlan plan = ImportPlan.of(records, domain, existing, reserved);
    records = null; // the plan holds them now
    int created = enrolNewMembers(plan.newMembers, algorithm, keysFile);
    Map<String, Long> zoneIds = store.zoneIds();
    int total = plan.recordCount();
    int done = 0;
    int added = 0;
    int expired = 0;
    Instant now = Instant.now();
    List<RecordChunkWriter.Row> chunk = new ArrayList<>(RECORD_CHUNK);
    for (var zone : plan.byZone.entrySet()) {
      long zoneId = zoneIds.get(zone.getKey());
      for (Record r : zone.getValue()) {
        Instant lease = leases.get(r);
        if (lease != null && !lease.isAfter(now)) {
          expired++; // its lease ran out since the export: never served again, so not stored
          continue;
        }
        chunk.add(new RecordChunkWriter.Row(zoneId, zone.getKey(), r, lease));
        if (chunk.size() == RECORD_CHUNK) {
          added += store.importRecords(chunk);
          done += chunk.size();
          chunk.clear();
          progress.printf("\rimport: %d/%d records", done, total).flush();
        }
      }
    }
    if (!chunk.isEmpty()) {
      added += store.importRecords(chunk);
      done += chunk.size();
    }
    progress.printf("\rimport: %d/%d records%n", done, total).flush();
    int memberZones =
        (int) plan.byZone.keySet().stream().filter(z -> !z.equals(Names.canonical(domain))).count();
    return new ImportSummary(
        plan.read,
        added,
        created,
        memberZones,
        plan.outside + plan.synthesised + expired,
        keys,
        Duration.ofNanos(System.nanoTime() - t0));
  }

  /** Restores the keys {@code keysFile} holds, when it exists (see {@link KeyRestore}). */
  private KeyRestore.Summary restoreKeys(Optional<Path> keysFile, Name domain) throws IOException {
    if (keysFile.isEmpty() || !Files.exists(keysFile.get())) {
      return new KeyRestore.Summary(0, 0);
    }
    List<KeysFile.Entry> entries = KeyRestore.read(keysFile.get(), domain);
    return new KeyRestore(backups, domain, Clock.systemUTC()).restore(entries);
  }

  private int enrolNewMembers(List<String> names, TsigAlgorithm algorithm, Optional<Path> keysFile)
      throws IOException {
    int created = 0;
    try (Writer keys = keysFile.isPresent() ? openKeys(keysFile.get()) : Writer.nullWriter()) {
      for (int i = 0; i < names.size(); i += MEMBER_CHUNK) {
        List<MemberDao.NewMember> batch = new ArrayList<>();
        Map<String, Enrolment> enrolments = new HashMap<>();
        for (String name : names.subList(i, Math.min(names.size(), i + MEMBER_CHUNK))) {
          KeyMaterial key = KeyMaterial.random(algorithm, random);
          MemberDao.NewMember row = members.newMember(name, algorithm, key);
          batch.add(row);
          enrolments.put(
              name,
              new Enrolment(
                  name,
                  Names.absolute(row.zoneApex()),
                  Names.absolute(row.keyName()),
                  algorithm,
                  key.secret()));
        }
        List<String> done = store.enrol(batch);
        for (String name : done) {
          Enrolment e = enrolments.get(name);
          MemberService.audit("member.add", e);
          keys.write(KeysFile.format(memberEntry(e)) + "\n");
        }
        created += done.size();
      }
    }
    return created;
  }

  /** The keys file entry of a member enrolled here, with the grants enrolment gives. */
  private static KeysFile.Entry memberEntry(Enrolment e) {
    String zone = Names.canonical(e.zone());
    return new KeysFile.Entry(
        e.key(),
        e.member(),
        null,
        null,
        null,
        null,
        List.of(
            new TsigKeyDao.Grant(zone, TsigKeyDao.Grant.ZONE, "update"),
            new TsigKeyDao.Grant(zone, TsigKeyDao.Grant.ZONE, "read")));
  }

  private static Writer openKeys(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.newBufferedWriter(file, StandardOpenOption.APPEND);
  }
}
