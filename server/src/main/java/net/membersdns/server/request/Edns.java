package net.membersdns.server.request;

import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * EDNS(0) handling of RFC 6891 for one request: the client's payload size, version and DO bit, and
 * the OPT we answer with. Unknown options are ignored (§6.1.2), as are COOKIE, padding and
 * keepalive, which we do not implement.
 *
 * @param present whether the request carried an OPT RR
 * @param version the request's EDNS version
 * @param payloadSize the request's UDP payload size, at least 512 (§6.2.5)
 * @param dnssecOk the DO bit (RFC 3225 §3: echoed, though we sign nothing)
 */
public record Edns(boolean present, int version, int payloadSize, boolean dnssecOk) {
  /** The UDP payload size we advertise and never exceed: the DNS Flag Day 2020 value. */
  public static final int OUR_PAYLOAD_SIZE = 1232;

  /** Plain DNS, RFC 1035 §4.2.1: 512 bytes over UDP. */
  public static final int CLASSIC_UDP_SIZE = 512;

  /** A request without OPT RR, or one that could not be parsed. */
  public static final Edns ABSENT = new Edns(false, 0, CLASSIC_UDP_SIZE, false);

  public static Edns of(Message request) {
    OPTRecord opt = request.getOPT();
    if (opt == null) {
      return ABSENT;
    }
    return new Edns(
        true,
        opt.getVersion(),
        Math.max(CLASSIC_UDP_SIZE, opt.getPayloadSize()),
        (opt.getFlags() & ExtendedFlags.DO) != 0);
  }

  /** RFC 6891 §6.1.3: only version 0 exists; anything higher gets BADVERS. */
  public boolean badVersion() {
    return present && version > 0;
  }

  /** Largest UDP response we send: the smaller of the client's and our own size. */
  public int udpLimit() {
    return present ? Math.min(payloadSize, OUR_PAYLOAD_SIZE) : CLASSIC_UDP_SIZE;
  }

  /** Largest response we send over {@code transport}: {@link #udpLimit} over UDP, else 65535. */
  public int limit(Transport transport) {
    return transport.datagram() ? udpLimit() : 65535;
  }

  /**
   * Sets {@code rcode} on {@code response}: with EDNS, its low four bits in the header and the rest
   * in our OPT (RFC 6891 §6.1.3), which carries {@code options} and the DO bit echoed (RFC 3225
   * §3); without EDNS, the header alone, SERVFAIL for an RCODE that needs EDNS.
   */
  public void finish(Message response, int rcode, List<EDNSOption> options) {
    if (!present) {
      response.getHeader().setRcode(extended(rcode) ? Rcode.SERVFAIL : rcode);
      return;
    }
    response.getHeader().setRcode(rcode & 0xF);
    response.addRecord(
        new OPTRecord(OUR_PAYLOAD_SIZE, rcode >>> 4, 0, dnssecOk ? ExtendedFlags.DO : 0, options),
        Section.ADDITIONAL);
  }

  /** Whether {@code rcode} needs EDNS to be expressed (BADVERS and the TSIG-range codes). */
  public static boolean extended(int rcode) {
    return rcode > Rcode.NOTZONE && rcode <= 0xFFF;
  }
}
