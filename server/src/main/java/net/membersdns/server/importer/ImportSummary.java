package net.membersdns.server.importer;

import java.time.Duration;
import java.util.Locale;

/**
 * What an import did.
 *
 * @param recordsRead records in the file
 * @param recordsAdded records newly stored (a re-run adds none)
 * @param membersCreated members enrolled because the file had names under them
 * @param members member zones the file's records went to
 * @param skipped records outside the domain, or apex SOA/NS (synthesised by the server)
 */
public record ImportSummary(
    int recordsRead,
    int recordsAdded,
    int membersCreated,
    int members,
    int skipped,
    Duration elapsed) {

  /** The one summary line the CLI prints. */
  public String line() {
    return String.format(
        Locale.ROOT,
        "imported %d members (%d new), %d records (%d new, %d skipped) in %.1f s",
        members,
        membersCreated,
        recordsRead,
        recordsAdded,
        skipped,
        elapsed.toMillis() / 1000.0);
  }
}
