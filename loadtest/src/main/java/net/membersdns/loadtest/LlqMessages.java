package net.membersdns.loadtest;

import java.util.List;
import net.membersdns.protocol.edns.EdnsOptions;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.protocol.edns.OptionResult;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;

/** Client-side LLQ messages (RFC 8764 §5, §6.3), as mDNSResponder builds them. */
final class LlqMessages {
  private LlqMessages() {}

  /** A setup/refresh request for {@code qname}/{@code qtype}, TSIG-signed when {@code tsig}. */
  static byte[] request(
      int dnsId, Name qname, int qtype, int opcode, long llqId, long lease, TSIG tsig) {
    Message m = new Message(dnsId);
    m.getHeader().setFlag(Flags.RD);
    m.addRecord(Record.newRecord(qname, qtype, DClass.IN), Section.QUESTION);
    LlqOption o = new LlqOption(LlqOption.VERSION, opcode, 0, llqId, lease);
    m.addRecord(new OPTRecord(1440, 0, 0, 0, List.of(o.toOption())), Section.ADDITIONAL);
    if (tsig != null) {
      m.setTSIG(tsig, Rcode.NOERROR, null);
    }
    return m.toWire(65535);
  }

  /** The acknowledgement of {@code event} (vector L6: its ID, QR+AA, its question and option). */
  static byte[] ack(Message event) {
    Message a = new Message(event.getHeader().getID());
    a.getHeader().setFlag(Flags.QR);
    a.getHeader().setFlag(Flags.AA);
    a.addRecord(event.getQuestion(), Section.QUESTION);
    a.addRecord(event.getOPT(), Section.ADDITIONAL);
    return a.toWire();
  }

  /** The first well-formed LLQ option of {@code m}, or {@code null}. */
  static LlqOption llq(Message m) {
    for (OptionResult<LlqOption> r : EdnsOptions.llq(m)) {
      if (r instanceof OptionResult.Present<LlqOption> p) {
        return p.option();
      }
    }
    return null;
  }
}
