package net.membersdns.server.update;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.membersdns.protocol.edns.EdnsOptions;
import net.membersdns.server.zone.ZoneData;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The RFC 2136 §3 steps after the zone section and TSIG, in RFC 2136 order: prerequisites (§3.2),
 * permission (§3.3), prescan (§3.4.1), lease policy (RFC 9664), then application (§3.4.2). Pure:
 * the zone writer calls it with the newest zone version it holds (in a batch, the version produced
 * by the previous update), commits {@link UpdateOutcome.Applied} and only then replies.
 */
public final class UpdateProcessor {
  private final UpdatePolicy policy;
  private final UpdateLeasePolicy leasePolicy;

  public UpdateProcessor(UpdatePolicy policy, UpdateLeasePolicy leasePolicy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.leasePolicy = Objects.requireNonNull(leasePolicy, "leasePolicy");
  }

  /**
   * @param request the UPDATE, whose zone section named {@code zone} ({@link ZoneSectionCheck})
   * @param keyName the verified TSIG key, or empty if unsigned (TSIG failures never get here)
   * @param zone the current version of the zone
   * @param nowMillis the clock for lease expiry, epoch ms
   */
  public UpdateOutcome process(
      Message request, Optional<Name> keyName, ZoneData zone, long nowMillis) {
    List<Record> prerequisites = request.getSection(Section.PREREQ);
    List<Record> updates = request.getSection(Section.UPDATE);
    if (PrerequisiteCheck.check(zone, prerequisites, nowMillis) instanceof Rejection r) {
      return r;
    }
    if (policy.authorize(keyName, zone, updates) instanceof Rejection r) {
      return r;
    }
    if (UpdatePrescan.check(zone.apex(), updates) instanceof Rejection r) {
      return r;
    }
    return switch (leasePolicy.decide(EdnsOptions.updateLease(request), updates)) {
      case Rejection r -> r;
      case LeaseDecision.Granted g ->
          new UpdateOutcome.Applied(
              UpdateApplier.apply(zone, updates, Optional.of(g.grant()), nowMillis), g.reply());
    };
  }
}
