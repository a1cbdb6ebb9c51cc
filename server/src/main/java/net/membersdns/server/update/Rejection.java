package net.membersdns.server.update;

import org.xbill.DNS.Rcode;

/**
 * An update refused with {@code rcode} (RFC 2136 §2.2: FORMERR, NOTAUTH, NOTZONE, REFUSED,
 * YXDOMAIN, NXDOMAIN, YXRRSET, NXRRSET). Nothing was changed. {@code reason} is for logs only.
 */
public record Rejection(int rcode, String reason)
    implements UpdateVerdict, ZoneSection, LeaseDecision, UpdateOutcome {

  @Override
  public String toString() {
    return "Rejection[" + Rcode.string(rcode) + ": " + reason + "]";
  }
}
