package net.membersdns.server.pipeline;

import java.util.List;
import net.membersdns.protocol.edns.OptionResult;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import net.membersdns.server.audit.AuditLog;
import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.request.DnsRequest;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The audit line of one answered UPDATE (RFC 2136): who (the TSIG key, verified or only claimed),
 * which zone, how many update RRs, the RCODE sent, the TSIG result, the lease granted (RFC 9664),
 * and from where. Written by the {@link ReplyFinisher} for every UPDATE it answers, whichever route
 * decided the reply, before the bytes go out; names and outcomes only, never key material.
 */
final class UpdateAudit {
  private UpdateAudit() {}

  /**
   * @param update the parsed UPDATE, or {@code null} when it could not be parsed (FORMERR)
   * @param options the EDNS options of the reply; the Update Lease option among them is the lease
   *     granted
   * @param tsigResult the {@code tsig} tag of {@code dns.updates}
   */
  static void log(
      DnsRequest request,
      Message update,
      TsigOutcome tsig,
      String tsigResult,
      int rcode,
      List<EDNSOption> options) {
    if (!AuditLog.enabled()) {
      return;
    }
    Record zone = update == null ? null : update.getQuestion();
    AuditLog.event("update")
        .with("key", keyName(update, tsig))
        .with("zone", zone == null ? null : zone.getName().toString())
        .with("records", update == null ? null : update.getHeader().getCount(Section.UPDATE))
        .with("rcode", Rcode.string(rcode))
        .with("tsig", tsigResult)
        .with("lease", lease(options))
        .with("transport", request.transport().tag())
        .with("peer", request.peer().getAddress().getHostAddress())
        .log();
  }

  /** The verified key, else the name the request's TSIG claimed (BADKEY, BADSIG), else none. */
  private static String keyName(Message update, TsigOutcome tsig) {
    if (tsig instanceof TsigOutcome.Verified v) {
      return v.key().name().toString();
    }
    return update == null || update.getTSIG() == null
        ? null
        : update.getTSIG().getName().toString();
  }

  /** The LEASE of the reply's Update Lease option, or {@code null} when none was granted. */
  private static Long lease(List<EDNSOption> options) {
    for (EDNSOption o : options) {
      if (o.getCode() == UpdateLeaseOption.CODE
          && UpdateLeaseOption.fromOption(o) instanceof OptionResult.Present<UpdateLeaseOption> p) {
        return p.option().lease();
      }
    }
    return null;
  }
}
