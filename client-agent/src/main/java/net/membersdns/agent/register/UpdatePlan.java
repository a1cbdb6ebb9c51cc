package net.membersdns.agent.register;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.protocol.names.HostNames;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Update;

/**
 * The one RFC 2136 UPDATE that takes the server from what a host registered to what it wants now —
 * a registration, a lease refresh, a change after a move, or the withdrawal at shutdown. Pure.
 *
 * <p>Replace semantics in one message: every RRset the host owns alone is deleted and added again
 * in the same UPDATE (RFC 2136 §3.4.2: the server applies the whole update section atomically, so
 * no query ever sees the name without its records, and nothing is ever duplicated); an RRset that
 * is no longer wanted is deleted. The browse PTR lives in an RRset shared by all hosts, so only the
 * host's own PTR is added or deleted, one RR at a time (a host key may not delete the RRset).
 * Re-sending unchanged records only moves their lease (RFC 9664 §4.2), which the server does
 * without a serial change.
 *
 * <p>Every message carries the Update Lease option (RFC 9664 §4) with the requested lease.
 */
public final class UpdatePlan {
  /** EDNS UDP payload size we announce (RFC 6891; the DNS flag day 2020 value). */
  static final int PAYLOAD = 1232;

  private UpdatePlan() {}

  /**
   * @param registered what the server holds from us, or empty when unknown (first registration
   *     after a start): then every RRset the host may own is cleared unless wanted
   * @param desired what it should hold ({@link RecordSet#EMPTY} to withdraw)
   * @param lease requested lease in seconds
   */
  public static Message build(
      Name zone, String host, Optional<RecordSet> registered, RecordSet desired, long lease) {
    Update u = new Update(zone);
    Set<RRsetKey> owned = new TreeSet<>();
    registered.ifPresentOrElse(
        r -> owned.addAll(r.keys()), () -> owned.addAll(HostRegistration.managedKeys(zone, host)));
    owned.addAll(desired.keys());
    for (RRsetKey key : owned) {
      if (HostNames.isServiceType(zone, key.name())) {
        continue; // shared: below
      }
      u.delete(key.name(), key.type());
      desired.get(key).forEach(u::add);
    }
    for (Record gone : sharedToRemove(zone, host, registered, desired)) {
      u.delete(gone);
    }
    for (RRsetKey key : desired.keys()) {
      if (HostNames.isServiceType(zone, key.name())) {
        desired.get(key).forEach(u::add);
      }
    }
    u.addRecord(
        new OPTRecord(PAYLOAD, 0, 0, 0, List.of(UpdateLeaseOption.of(lease).toOption())),
        Section.ADDITIONAL);
    return u;
  }

  /** Our RRs in shared RRsets that are registered (or may be) but no longer wanted. */
  private static List<Record> sharedToRemove(
      Name zone, String host, Optional<RecordSet> registered, RecordSet desired) {
    List<Record> candidates =
        registered
            .map(r -> r.records().stream().filter(x -> isShared(zone, x)).toList())
            .orElseGet(() ->
                List.of(
                    new PTRRecord(
                        HostNames.browse(zone),
                        DClass.IN,
                        HostRegistration.TTL,
                        HostNames.tunnelService(zone, host))));
    return candidates.stream()
        .filter(r -> !desired.get(new RRsetKey(r.getName(), r.getType())).contains(r))
        .toList();
  }

  private static boolean isShared(Name zone, Record r) {
    return HostNames.isServiceType(zone, r.getName());
  }
}
