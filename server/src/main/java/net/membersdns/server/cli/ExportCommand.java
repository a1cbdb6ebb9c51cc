package net.membersdns.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import net.membersdns.server.backup.Exporter;
import net.membersdns.server.store.postgres.BackupStore;
import net.membersdns.server.store.postgres.Database;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code export ZONEFILE --keys-file KEYS}: the counterpart of {@code import}, for backups and
 * moves between databases. Works while servers run (one consistent snapshot). The summary line goes
 * to stdout.
 */
@Command(
    name = "export",
    description =
        "Write the members domain as a master file and its keys (members, hosts, operators, grants)"
            + " as a keys file; import reads both back",
    mixinStandardHelpOptions = true)
public final class ExportCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private DatabaseOptions db;

  @Parameters(index = "0", paramLabel = "ZONEFILE", description = "RFC 1035 master file to write")
  private Path zoneFile;

  @Option(
      names = "--keys-file",
      required = true,
      paramLabel = "FILE",
      description = "Keys file to write (mode 600: it holds every secret)")
  private Path keysFile;

  @Override
  public Integer call() throws IOException {
    Name domain = db.domain();
    for (Path p : new Path[] {zoneFile, keysFile}) {
      Path dir = p.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
        throw db.usage(p + ": cannot write in " + dir);
      }
    }
    if (zoneFile.toAbsolutePath().equals(keysFile.toAbsolutePath())) {
      throw db.usage("--keys-file: must differ from ZONEFILE");
    }
    try (Database database = db.open()) {
      Exporter.Summary summary =
          new Exporter(new BackupStore(database), domain, Clock.systemUTC())
              .export(zoneFile, keysFile);
      PrintWriter out = spec.commandLine().getOut();
      out.println(summary.line());
      out.flush();
    }
    return 0;
  }
}
