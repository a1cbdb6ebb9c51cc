package net.membersdns.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import net.membersdns.server.store.postgres.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code member remove NAME}: the zone, its records, the key and its grants go at once. */
@Command(
    name = "remove",
    description = "Remove a member: zone, records and key",
    mixinStandardHelpOptions = true)
public final class MemberRemoveCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private DatabaseOptions db;

  @Parameters(index = "0", paramLabel = "NAME", description = "Member name")
  private String name;

  @Override
  public Integer call() {
    db.domain();
    try (Database database = db.open()) {
      String zone = db.members(database).remove(name);
      PrintWriter out = spec.commandLine().getOut();
      out.println("removed: " + name.toLowerCase(java.util.Locale.ROOT) + " (zone " + zone + ")");
      out.flush();
    }
    return 0;
  }
}
