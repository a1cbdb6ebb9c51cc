package net.membersdns.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.Callable;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.importer.ImportSummary;
import net.membersdns.server.importer.ZoneFileImporter;
import net.membersdns.server.member.MemberNames;
import net.membersdns.server.store.postgres.BackupStore;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.store.postgres.MemberStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code import ZONEFILE}: bulk-loads a members domain from an RFC 1035 master file, and restores
 * what {@code export} wrote. Progress goes to stderr, the summary line to stdout. The keys in
 * {@code --keys-file}, when it exists, are restored first (members with their own secrets, host
 * keys, operator keys, grants); members the zone file implies beyond those are enrolled with random
 * keys, whose lines are appended to {@code --keys-file} if given, else not shown at all.
 */
@Command(
    name = "import",
    description = "Load a members domain from a master file, creating member zones",
    mixinStandardHelpOptions = true)
public final class ImportCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private DatabaseOptions db;

  @Parameters(index = "0", paramLabel = "ZONEFILE", description = "RFC 1035 master file")
  private Path zoneFile;

  @Option(
      names = "--keys-file",
      paramLabel = "FILE",
      description =
          "The domain's keys file: keys it holds (as export wrote them) are restored first;"
              + " the keys of members created are appended (a new file is mode 600)")
  private Path keysFile;

  @Mixin private AlgorithmOption algorithm;

  @Override
  public Integer call() throws IOException {
    if (!Files.isReadable(zoneFile)) {
      throw db.usage("ZONEFILE: cannot read " + zoneFile);
    }
    TsigAlgorithm alg = algorithm.get();
    db.domain();
    try (Database database = db.open()) {
      ZoneFileImporter importer =
          new ZoneFileImporter(
              new MemberStore(database),
              new BackupStore(database),
              db.members(database),
              MemberNames.DEFAULT_RESERVED,
              new SecureRandom());
      ImportSummary summary =
          importer.importFile(
              zoneFile, Optional.ofNullable(keysFile), alg, spec.commandLine().getErr());
      PrintWriter out = spec.commandLine().getOut();
      out.println(summary.line());
      out.flush();
    }
    return 0;
  }
}
