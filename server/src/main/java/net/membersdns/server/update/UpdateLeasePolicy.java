package net.membersdns.server.update;

import java.util.List;
import java.util.Optional;
import net.membersdns.protocol.edns.OptionResult;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * Server lease policy of RFC 9664 (RFC 9664 §4): requested leases are clamped to {@code [leaseMin,
 * leaseMax]}; an update that adds records without asking gets {@code leaseDefault}, unless {@code
 * requireLease}, in which case it is REFUSED (as dnsextd did).
 *
 * @param leaseMin shortest granted lease, seconds ({@code --lease-min}, default 1800)
 * @param leaseMax longest granted lease, seconds ({@code --lease-max}, default 7200, BTMM's bound)
 * @param leaseDefault lease for adds without an Update Lease option ({@code --lease-default},
 *     default: {@code leaseMax})
 * @param requireLease refuse adds without an Update Lease option ({@code --require-lease})
 */
public record UpdateLeasePolicy(
    long leaseMin, long leaseMax, long leaseDefault, boolean requireLease) {

  public UpdateLeasePolicy {
    if (leaseMin < 0 || leaseMax < leaseMin || leaseMax > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("lease bounds " + leaseMin + ".." + leaseMax);
    }
    if (leaseDefault < leaseMin || leaseDefault > leaseMax) {
      throw new IllegalArgumentException("default lease " + leaseDefault + " outside bounds");
    }
  }

  /** 1800 / 7200 / 7200, leases not required. */
  public static UpdateLeasePolicy defaults() {
    return new UpdateLeasePolicy(1800, 7200, 7200, false);
  }

  /**
   * @param requested the request's Update Lease option ({@code EdnsOptions.updateLease})
   * @param updates the update section: whether it adds records decides {@code requireLease}
   */
  public LeaseDecision decide(OptionResult<UpdateLeaseOption> requested, List<Record> updates) {
    return switch (requested) {
      case OptionResult.Malformed<UpdateLeaseOption> m ->
          new Rejection(Rcode.FORMERR, "update lease option: " + m.reason());
      case OptionResult.Absent<UpdateLeaseOption> a -> {
        if (requireLease && addsRecords(updates)) {
          yield new Rejection(Rcode.REFUSED, "adds records without an update lease");
        }
        yield new LeaseDecision.Granted(
            new LeaseGrant(leaseDefault, leaseDefault), Optional.empty());
      }
      case OptionResult.Present<UpdateLeaseOption> p -> {
        UpdateLeaseOption asked = p.option();
        long lease = clamp(asked.lease());
        long keyLease = clamp(asked.keyLease().orElse(asked.lease()));
        UpdateLeaseOption reply =
            asked.keyLease().isPresent()
                ? UpdateLeaseOption.of(lease, keyLease)
                : UpdateLeaseOption.of(lease);
        yield new LeaseDecision.Granted(new LeaseGrant(lease, keyLease), Optional.of(reply));
      }
    };
  }

  /** {@code requested} clamped to {@code [leaseMin, leaseMax]}. */
  public long clamp(long requested) {
    return Math.max(leaseMin, Math.min(leaseMax, requested));
  }

  private static boolean addsRecords(List<Record> updates) {
    for (Record rr : updates) {
      if (rr.getDClass() == DClass.IN) {
        return true;
      }
    }
    return false;
  }
}
