package net.membersdns.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import net.membersdns.protocol.names.HostNames;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import net.membersdns.server.member.HostService;
import net.membersdns.server.store.postgres.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code host add MEMBER HOST}: gives host HOST of member MEMBER a TSIG key of its own, {@code
 * HOST.MEMBER.key.<domain>}, and prints it once as {@code key: <algorithm>:<name>:<base64 secret>};
 * with {@code --key-file} also writes the key line (without {@code key: }) to a new file of mode
 * 0600. An existing file is never overwritten, even an empty one: a file made by someone else may
 * be readable by others, or already open.
 */
@Command(
    name = "add",
    description =
        "Give host HOST of member MEMBER its own TSIG key HOST.MEMBER.key.<domain>: it writes"
            + " only the host's names and reads the member zone; prints the key once",
    mixinStandardHelpOptions = true)
public final class HostAddCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private DatabaseOptions db;

  @Parameters(index = "0", paramLabel = "MEMBER", description = "Member name")
  private String member;

  @Parameters(index = "1", paramLabel = "HOST", description = "Host name: one DNS label")
  private String host;

  @Mixin private AlgorithmOption algorithm;

  @Option(
      names = "--key-file",
      paramLabel = "FILE",
      description =
          "Also write the key line ALG:NAME:SECRET to FILE, a new file of mode 0600 (never"
              + " overwritten)")
  private Path keyFile;

  @Override
  public Integer call() throws IOException {
    TsigAlgorithm alg = algorithm.get();
    try {
      HostNames.label(host);
    } catch (IllegalArgumentException e) {
      throw db.usage("HOST: " + e.getMessage());
    }
    db.domain();
    db.databaseConfig();
    KeyFile file = keyFile == null ? null : createKeyFile();
    HostService.HostEnrolment e;
    try (Database database = db.open()) {
      e = db.hosts(database).add(member, host, alg);
    } catch (RuntimeException failed) {
      if (file != null) {
        file.discard();
      }
      throw failed;
    }
    if (file != null) {
      file.write(e.key());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("member: " + e.member());
    out.println("host: " + e.name());
    out.println(e.key().printed());
    for (String g : e.grants()) {
      out.println("grant: " + g);
    }
    if (file != null) {
      out.println("key-file: " + file.path());
    }
    out.flush();
    return 0;
  }

  private KeyFile createKeyFile() {
    try {
      return KeyFile.create(keyFile);
    } catch (FileAlreadyExistsException e) {
      throw db.usage("--key-file: " + keyFile + " exists; a key file is never overwritten");
    } catch (IOException | UnsupportedOperationException e) {
      throw db.usage("--key-file: cannot create " + keyFile + ": " + e.getMessage());
    }
  }
}
