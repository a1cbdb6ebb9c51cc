package net.membersdns.server.importer;

import java.time.Duration;
import java.util.Locale;
import net.membersdns.server.backup.KeyRestore;

/**
 * What an import did.
 *
 * @param recordsRead records in the file
 * @param recordsAdded records newly stored (a re-run adds none)
 * @param membersCreated members enrolled because the file had names under them
 * @param members member zones the file's records went to
 * @param skipped records outside the domain, apex SOA/NS (synthesised by the server), or leased
 *     records whose lease has run out
 * @param keys what the keys file restored
 */
public record ImportSummary(
    int recordsRead,
    int recordsAdded,
    int membersCreated,
    int members,
    int skipped,
    KeyRestore.Summary keys,
    Duration elapsed) {

  /** The one summary line the CLI prints. */
  public String line() {
    String restored =
        keys.restored() + keys.present() == 0
            ? ""
            : String.format(
                Locale.ROOT,
                ", %d keys (%d restored)",
                keys.restored() + keys.present(),
                keys.restored());
    return String.format(
        Locale.ROOT,
        "imported %d members (%d new), %d records (%d new, %d skipped)%s in %.1f s",
        members,
        membersCreated,
        recordsRead,
        recordsAdded,
        skipped,
        restored,
        elapsed.toMillis() / 1000.0);
  }
}
