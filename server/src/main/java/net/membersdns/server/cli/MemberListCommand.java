package net.membersdns.server.cli;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import net.membersdns.server.member.KeyAlgorithms;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.store.postgres.MemberDao;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code member list}: one line per member and key: name, zone, key name, algorithm, created. */
@Command(
    name = "list",
    description = "List members with zone and key",
    mixinStandardHelpOptions = true)
public final class MemberListCommand implements Callable<Integer> {
  /** How list commands show creation times: UTC, to the second. */
  static final DateTimeFormatter CREATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @Spec private CommandSpec spec;
  @Mixin private DatabaseOptions db;

  @Override
  public Integer call() {
    db.domain();
    try (Database database = db.open()) {
      PrintWriter out = spec.commandLine().getOut();
      String format = "%-20s %-40s %-48s %-12s %s%n";
      out.printf(format, "NAME", "ZONE", "KEY", "ALGORITHM", "CREATED");
      for (MemberDao.MemberRow m : db.members(database).list()) {
        out.printf(
            format,
            m.name(),
            m.zoneApex(),
            m.keyName() == null ? "-" : m.keyName(),
            m.algorithm() == null
                ? "-"
                : KeyAlgorithms.fromStored(m.algorithm()).presentationName(),
            CREATED.format(m.createdAt()));
      }
      out.flush();
    }
    return 0;
  }
}
