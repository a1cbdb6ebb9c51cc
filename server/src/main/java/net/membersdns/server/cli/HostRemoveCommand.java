package net.membersdns.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import net.membersdns.server.member.HostService;
import net.membersdns.server.store.postgres.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code host remove MEMBER HOST}: deletes the host's key and, in the same transaction, its
 * records. Every running server refuses the key at once (the keys NOTIFY, and the update path
 * re-checks keys inside its commit) and drops the records, telling LLQ subscribers.
 */
@Command(
    name = "remove",
    description = "Remove a host: its key is refused at once and its records are withdrawn",
    mixinStandardHelpOptions = true)
public final class HostRemoveCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private DatabaseOptions db;

  @Parameters(index = "0", paramLabel = "MEMBER", description = "Member name")
  private String member;

  @Parameters(index = "1", paramLabel = "HOST", description = "Host name")
  private String host;

  @Override
  public Integer call() {
    db.domain();
    try (Database database = db.open()) {
      HostService.HostRemoval r = db.hosts(database).remove(member, host);
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "removed: host "
              + r.host()
              + " of "
              + r.member()
              + " (key "
              + r.keyName()
              + "; "
              + r.records().size()
              + " record(s) withdrawn"
              + (r.serial().isPresent() ? ", zone serial " + r.serial().getAsLong() : "")
              + ")");
      out.flush();
    }
    return 0;
  }
}
