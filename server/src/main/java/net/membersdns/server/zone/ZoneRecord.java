package net.membersdns.server.zone;

import java.util.Objects;
import org.xbill.DNS.Record;

/**
 * One stored resource record of a zone with its update-lease expiry (RFC 9664).
 *
 * @param record the record; owner name in any case (compared case-insensitively)
 * @param leaseExpiresMillis epoch milliseconds after which the record must not be served, or {@link
 *     #PERMANENT} for records without a lease (admin CLI, bulk import)
 */
public record ZoneRecord(Record record, long leaseExpiresMillis) {
  public static final long PERMANENT = Long.MAX_VALUE;

  public ZoneRecord {
    Objects.requireNonNull(record, "record");
  }

  public static ZoneRecord permanent(Record record) {
    return new ZoneRecord(record, PERMANENT);
  }

  public boolean leased() {
    return leaseExpiresMillis != PERMANENT;
  }
}
