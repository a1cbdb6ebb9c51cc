package net.membersdns.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Rcode;

/**
 * Meters of the update path (issue 3), bounded tags only: {@code dns.updates} (by rcode and TSIG
 * result), {@code dns.update.commit} (transaction latency), {@code dns.update.batch.size} (jobs per
 * transaction), {@code dns.update.batch.zones} (zones per transaction: the group commit), {@code
 * dns.lease.granted} (seconds per granted lease), {@code dns.lease.expired}, {@code
 * dns.update.replays} (replays refused) and {@code dns.update.retransmissions} (lost replies
 * answered again). Thread-safe.
 */
public final class UpdateMetrics {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> updates = new ConcurrentHashMap<>();
  private final Timer commit;
  private final DistributionSummary batchSize;
  private final DistributionSummary batchZones;
  private final DistributionSummary leaseGranted;
  private final Counter leaseExpired;
  private final Counter replays;
  private final Counter retransmissions;

  public UpdateMetrics(MeterRegistry registry) {
    this.registry = registry;
    DnsMetrics.internalErrors(registry, "committer");
    commit =
        Timer.builder("dns.update.commit")
            .description("one group commit transaction (one or more zones), lock to commit")
            .publishPercentileHistogram()
            .register(registry);
    batchSize =
        DistributionSummary.builder("dns.update.batch.size")
            .description("jobs (updates, reaps) committed together in one transaction")
            .publishPercentileHistogram()
            .register(registry);
    batchZones =
        DistributionSummary.builder("dns.update.batch.zones")
            .description("zones committed together in one transaction (group commit)")
            .publishPercentileHistogram()
            .register(registry);
    leaseGranted =
        DistributionSummary.builder("dns.lease.granted")
            .description("update leases granted (RFC 9664), in seconds")
            .baseUnit("seconds")
            .register(registry);
    leaseExpired =
        Counter.builder("dns.lease.expired")
            .description("records removed by the lease reaper")
            .register(registry);
    replays =
        Counter.builder("dns.update.replays")
            .description("signed updates refused because their TSIG signature was used before")
            .register(registry);
    retransmissions =
        Counter.builder("dns.update.retransmissions")
            .description("signed updates received again and answered with the first answer")
            .register(registry);
  }

  /** A replayed update refused (its signature was used before, here or on another process). */
  public void replay() {
    replays.increment();
  }

  /** The same signed update again, answered with the first copy's answer (a lost reply). */
  public void retransmission() {
    retransmissions.increment();
  }

  /**
   * One answered UPDATE.
   *
   * @param tsig {@code none}, {@code ok}, or the TSIG error in lower case ({@code badsig}, ...)
   */
  public void update(int rcode, String tsig) {
    updates
        .computeIfAbsent(
            rcode + "/" + tsig,
            k ->
                Counter.builder("dns.updates")
                    .description("UPDATE requests answered, by rcode and TSIG result")
                    .tag("rcode", Rcode.string(rcode).toLowerCase(Locale.ROOT))
                    .tag("tsig", tsig)
                    .register(registry))
        .increment();
  }

  /** One group committed: {@code jobs} jobs of {@code zones} zones. */
  public void committed(long startNanos, int jobs, int zones) {
    commit.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    batchSize.record(jobs);
    batchZones.record(zones);
  }

  public void leaseGranted(long seconds) {
    leaseGranted.record(seconds);
  }

  public void leasesExpired(int records) {
    leaseExpired.increment(records);
  }

  /** A committer caught a failure it had no answer for (a bug, an {@link Error}): SERVFAIL. */
  public void internalError() {
    DnsMetrics.internalError(registry, "committer");
  }
}
