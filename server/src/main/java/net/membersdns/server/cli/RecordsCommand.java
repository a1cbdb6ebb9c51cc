package net.membersdns.server.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import net.membersdns.server.store.postgres.Database;
import net.membersdns.server.zone.ZoneRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code records NAME}: the member's stored records in master-file format, each followed by a
 * comment with its lease expiry ({@code ; expires 2026-01-01T00:00:00Z}) or {@code ; permanent}.
 * Synthesised records (SOA, NS, discovery SRVs) are not stored, so not listed.
 */
@Command(
    name = "records",
    description = "List a member's records with their lease expiry",
    mixinStandardHelpOptions = true)
public final class RecordsCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private DatabaseOptions db;

  @Parameters(index = "0", paramLabel = "NAME", description = "Member name")
  private String name;

  @Override
  public Integer call() {
    db.domain();
    try (Database database = db.open()) {
      PrintWriter out = spec.commandLine().getOut();
      for (ZoneRecord r : db.members(database).records(name)) {
        out.println(r.record() + "\t; " + expiry(r));
      }
      out.flush();
    }
    return 0;
  }

  static String expiry(ZoneRecord r) {
    return r.leased()
        ? "expires " + Instant.ofEpochMilli(r.leaseExpiresMillis()).toString()
        : "permanent";
  }
}
