package net.membersdns.server.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.store.postgres.MemberStore;
import net.membersdns.server.store.postgres.TsigKeyDao;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code key list}: every key (member and operator) with its algorithm, member and grants. */
@Command(
    name = "list",
    description = "List TSIG keys with their grants",
    mixinStandardHelpOptions = true)
public final class KeyListCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private DatabaseOptions db;

  @Override
  public Integer call() {
    db.domain();
    try (Database database = db.open()) {
      List<TsigKeyDao.KeyRow> keys = new MemberStore(database).keys();
      PrintWriter out = spec.commandLine().getOut();
      String format = "%-40s %-26s %-12s %s%n";
      out.printf(format, "KEY", "ALGORITHM", "MEMBER", "GRANTS");
      for (TsigKeyDao.KeyRow k : keys) {
        out.printf(
            format,
            k.name(),
            k.algorithm(),
            k.member() == null ? "-" : k.member(),
            k.grants().stream().map(TsigKeyDao.Grant::toString).collect(Collectors.joining(", ")));
      }
      out.flush();
    }
    return 0;
  }
}
