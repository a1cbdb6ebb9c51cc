package net.membersdns.server.pipeline;

import java.util.Optional;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.server.audit.AuditLog;
import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.codec.DnsRequest;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The audit line of one answered UPDATE (RFC 2136): who (the TSIG key, verified or only claimed),
 * which zone, how many update RRs, the rcode sent, the TSIG result, the lease granted (RFC 9664),
 * and from where. Called once per UPDATE, from whichever thread answers it.
 */
final class UpdateAudit {
  private UpdateAudit() {}

  static void log(
      DnsRequest request,
      Message update,
      TsigOutcome tsig,
      String tsigResult,
      int rcodeSent,
      Optional<UpdateLeaseOption> lease) {
    if (!AuditLog.enabled()) {
      return;
    }
    Record zone = update.getQuestion();
    AuditLog.event("update")
        .with("key", keyName(update, tsig))
        .with("zone", zone == null ? null : zone.getName().toString())
        .with("records", update.getHeader().getCount(Section.UPDATE))
        .with("rcode", Rcode.string(rcodeSent))
        .with("tsig", tsigResult)
        .with("lease", lease.map(UpdateLeaseOption::lease).orElse(null))
        .with("transport", request.transport().tag())
        .with("peer", request.peer().getAddress().getHostAddress())
        .log();
  }

  /** The verified key, else the name the request's TSIG claimed (BADKEY, BADSIG), else none. */
  private static String keyName(Message update, TsigOutcome tsig) {
    if (tsig instanceof TsigOutcome.Verified v) {
      return v.key().name().toString();
    }
    return update.getTSIG() == null ? null : update.getTSIG().getName().toString();
  }
}
