package net.membersdns.server.llq;

import java.util.ArrayList;
import java.util.List;
import net.membersdns.protocol.edns.LlqOption;
import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.request.Reply;
import net.membersdns.server.request.ResponseSkeleton;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The answer to one LLQ request (RFC 8764 §5): the request's ID, flags and every question echoed
 * ({@link ResponseSkeleton}), AA, the answers of established LLQs, and the LLQ options for our OPT,
 * the i-th answering the i-th question. The reply boundary renders it within the client's UDP size
 * (TC when the answers do not fit; the Apple client then redoes the LLQ over TCP) and signs it.
 */
final class LlqReply {
  private final Message message;
  private final List<EDNSOption> options = new ArrayList<>();

  LlqReply(Message request) {
    message = ResponseSkeleton.of(request);
    message.getHeader().setFlag(Flags.AA);
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

  Reply toReply(TsigOutcome tsig) {
    return new Reply.Answer(message, Rcode.NOERROR, options, tsig);
  }
}
