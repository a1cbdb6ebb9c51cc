package net.membersdns.server.lease;

import java.time.Instant;
import java.util.List;
import org.xbill.DNS.Name;

/** The store query the {@link LeaseReaper} runs: which zones hold expired records. Blocks. */
@FunctionalInterface
public interface ExpiredLeases {
  /** Zones with at least one record whose lease expired at {@code now}; at most {@code limit}. */
  List<Name> zonesWithExpiredLeases(Instant now, int limit);
}
