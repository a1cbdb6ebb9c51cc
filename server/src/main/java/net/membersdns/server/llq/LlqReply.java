package net.membersdns.server.llq;

import java.util.ArrayList;
import java.util.List;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.auth.TsigSigner;
import net.membersdns.server.codec.Transport;
import net.membersdns.server.pipeline.Edns;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The response to one LLQ request (RFC 8764 §5): the request's ID and every question echoed (RFC
 * 1035 §4.1.1, RD and CD copied), the answers of established LLQs, and an OPT whose i-th LLQ option
 * answers the i-th question. Rendered within the client's UDP size (dnsjava sets TC when the
 * answers do not fit, and the Apple client then redoes the LLQ over TCP, protocols.md §8.3) and
 * signed as the request's TSIG outcome requires.
 */
final class LlqReply {
  private final Message message;
  private final List<EDNSOption> options = new ArrayList<>();
  private final boolean dnssecOk;

  LlqReply(Message request, int rcode) {
    message = new Message(request.getHeader().getID());
    message.getHeader().setFlag(Flags.QR);
    message.getHeader().setOpcode(Opcode.QUERY);
    for (int flag : new int[] {Flags.RD, Flags.CD}) {
      if (request.getHeader().getFlag(flag)) {
        message.getHeader().setFlag(flag);
      }
    }
    if (rcode == Rcode.NOERROR) {
      message.getHeader().setFlag(Flags.AA);
    }
    message.getHeader().setRcode(rcode);
    for (Record q : request.getSection(Section.QUESTION)) {
      message.addRecord(q, Section.QUESTION);
    }
    OPTRecord opt = request.getOPT();
    dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
  }

  void option(LlqOption option) {
    options.add(option.toOption());
  }

  void answers(List<Record> records) {
    for (Record r : records) {
      if (!message.findRecord(r, Section.ANSWER)) {
        message.addRecord(r, Section.ANSWER);
      }
    }
  }

  byte[] render(Transport transport, Edns edns, TsigOutcome tsig, TsigSigner signer) {
    message.addRecord(
        new OPTRecord(Edns.OUR_PAYLOAD_SIZE, 0, 0, dnssecOk ? ExtendedFlags.DO : 0, options),
        Section.ADDITIONAL);
    int limit = transport.datagram() ? edns.udpLimit() : 65535;
    return signer.toWire(message, tsig, limit);
  }
}
