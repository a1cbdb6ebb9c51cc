package net.membersdns.server.zone;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * A zone as the store holds it: apex, SOA serial, generation and the stored records. Synthesised
 * data (SOA, apex NS, discovery SRVs, the server's own address records) is not part of it; {@link
 * ZoneData#build} adds that from {@link ZoneSettings}.
 *
 * @param apex the zone apex, absolute
 * @param member the owning member's name, or {@code null} for the members domain itself
 * @param serial the SOA serial (RFC 1982 arithmetic; bumped on every content change)
 * @param generation bumped on every commit, including lease-only refreshes that leave the serial
 *     alone; replicas compare it to notice they are behind
 * @param records stored records, owner names inside {@code apex}
 */
public record ZoneContent(
    Name apex, String member, long serial, long generation, List<ZoneRecord> records) {
  public ZoneContent {
    Objects.requireNonNull(apex, "apex");
    records = List.copyOf(records);
  }
}
