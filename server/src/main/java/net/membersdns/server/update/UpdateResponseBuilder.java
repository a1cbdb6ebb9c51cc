package net.membersdns.server.update;

import java.util.List;
import java.util.Optional;
import net.membersdns.protocol.edns.UpdateLeaseOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Builds the reply to an UPDATE (RFC 2136 §3.8, protocols.md §3.2 step 7): the request's ID and
 * opcode, QR, the rcode, the zone section echoed (kdig warns about replies without it), and an OPT
 * when the request had one, carrying the granted Update Lease in NOERROR replies (RFC 9664 §4).
 * Sign and serialise the result with {@code TsigSigner}, which also sets NOTAUTH on TSIG failures.
 */
public final class UpdateResponseBuilder {
  private UpdateResponseBuilder() {}

  /**
   * @param rcode a 4-bit RCODE (every RFC 2136 rcode is)
   * @param lease the granted lease for a NOERROR reply ({@link UpdateOutcome.Applied#replyLease})
   * @param udpPayloadSize the server's advertised EDNS payload size (RFC 6891 §6.2.3)
   */
  public static Message build(
      Message request, int rcode, Optional<UpdateLeaseOption> lease, int udpPayloadSize) {
    Message reply = new Message(request.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setOpcode(Opcode.UPDATE);
    reply.getHeader().setRcode(rcode);
    List<Record> zone = request.getSection(Section.ZONE);
    if (zone.size() == 1) {
      reply.addRecord(zone.get(0), Section.ZONE);
    }
    if (request.getOPT() != null) {
      OPTRecord opt =
          rcode == Rcode.NOERROR && lease.isPresent()
              ? new OPTRecord(udpPayloadSize, 0, 0, 0, lease.get().toOption())
              : new OPTRecord(udpPayloadSize, 0, 0, 0);
      reply.addRecord(opt, Section.ADDITIONAL);
    }
    return reply;
  }
}
