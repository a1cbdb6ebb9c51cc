package net.membersdns.server.request;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The part of every response copied from its request (RFC 1035 §4.1.1): ID, QR set, opcode, RD and
 * CD (RFC 6840 §5.9), and the question section (the zone section of an UPDATE, RFC 2136 §3.8; every
 * question of an LLQ request, RFC 8764 §5). Pure.
 */
public final class ResponseSkeleton {
  private ResponseSkeleton() {}

  public static Message of(Message request) {
    Message response = new Message(request.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setOpcode(request.getHeader().getOpcode());
    if (request.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    if (request.getHeader().getFlag(Flags.CD)) {
      response.getHeader().setFlag(Flags.CD);
    }
    for (Record q : request.getSection(Section.QUESTION)) {
      response.addRecord(q, Section.QUESTION);
    }
    return response;
  }
}
