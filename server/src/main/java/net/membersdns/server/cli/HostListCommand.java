package net.membersdns.server.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import net.membersdns.server.member.KeyAlgorithms;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.store.postgres.HostDao;
import net.membersdns.server.store.postgres.TsigKeyDao;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code host list MEMBER}: one line per host key: host, key name, algorithm, created, grants. */
@Command(
    name = "list",
    description = "List a member's hosts with key, algorithm, creation time and grants",
    mixinStandardHelpOptions = true)
public final class HostListCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private DatabaseOptions db;

  @Parameters(index = "0", paramLabel = "MEMBER", description = "Member name")
  private String member;

  @Override
  public Integer call() {
    db.domain();
    try (Database database = db.open()) {
      List<HostDao.HostRow> hosts = db.hosts(database).list(member);
      PrintWriter out = spec.commandLine().getOut();
      String format = "%-20s %-48s %-12s %-20s %s%n";
      out.printf(format, "HOST", "KEY", "ALGORITHM", "CREATED", "GRANTS");
      for (HostDao.HostRow h : hosts) {
        out.printf(
            format,
            h.host(),
            h.keyName(),
            KeyAlgorithms.fromStored(h.algorithm()).presentationName(),
            MemberListCommand.CREATED.format(h.createdAt()),
            h.grants().stream().map(TsigKeyDao.Grant::toString).collect(Collectors.joining(", ")));
      }
      out.flush();
    }
    return 0;
  }
}
