package net.membersdns.server.update;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.membersdns.server.zone.ZoneRecord;
import org.xbill.DNS.Name;

/**
 * What a batch of {@link WriterJob}s does to one zone, computed inside the commit transaction by
 * {@link BatchEvaluator} and written by the {@link ZoneCommitter}.
 *
 * @param results one per job, in job order
 * @param records every stored row after the batch
 * @param diff the rows to delete, insert and re-lease
 * @param expiryOnly whether only the lease reaper changed content (journal kind {@code expire})
 * @param writtenBy the key that wrote each added row ({@code records.written_by})
 */
public record BatchPlan(
    List<JobResult> results,
    List<ZoneRecord> records,
    RecordDiff diff,
    boolean expiryOnly,
    Map<ZoneRecord, Name> writtenBy) {
  public BatchPlan {
    results = List.copyOf(results);
    records = List.copyOf(records);
    Objects.requireNonNull(diff, "diff");
    writtenBy = Map.copyOf(writtenBy);
  }

  /** Who wrote {@code row}, as stored: the key name, or {@code reaper}. */
  public String writer(ZoneRecord row) {
    Name key = writtenBy.get(row);
    return key == null ? "reaper" : key.toString();
  }
}
