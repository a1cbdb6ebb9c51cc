package net.membersdns.server.pipeline;

import java.io.IOException;
import java.time.Clock;
import net.membersdns.server.codec.DnsRequest;
import net.membersdns.server.llq.LlqHandler;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.query.AnswerCache;
import net.membersdns.server.query.QueryHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * Classifies every request once and routes it (style.md §9.1): garbage is dropped, malformed
 * requests get FORMERR, queries go to the {@link QueryHandler} (through the {@link AnswerCache}
 * fast path; TSIG-signed ones through {@link SignedQueries}), UPDATEs to {@link UpdateRequests}
 * (which queues them for their zone's writer, off the event loop), queries carrying an LLQ option
 * and the clients' LLQ event acknowledgements (responses, QR=1) to the {@link LlqHandler}, other
 * opcodes get NOTIMP. Called on the event loop; the query path is in-memory. Any bug below becomes
 * SERVFAIL and a metric, never a dead connection or server.
 */
public final class RequestDispatcher implements DnsRequestHandler {
  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

  private final QueryHandler queries;
  private final AnswerCache cache;
  private final DnsMetrics metrics;
  private final Clock clock;
  private final SignedQueries signedQueries;
  private final UpdateRequests updates;
  private final LlqHandler llq;

  /** Queries only: no TSIG, UPDATE gets NOTIMP, LLQ options are ignored (RFC 6891 §6.1.2). */
  public RequestDispatcher(
      QueryHandler queries, AnswerCache cache, DnsMetrics metrics, Clock clock) {
    this(queries, cache, metrics, clock, null, null, null);
  }

  /**
   * @param signedQueries answers TSIG-signed queries (signed), or {@code null}
   * @param updates the UPDATE route (RFC 2136), or {@code null} for NOTIMP
   * @param llq the LLQ service (RFC 8764), or {@code null} for none
   */
  public RequestDispatcher(
      QueryHandler queries,
      AnswerCache cache,
      DnsMetrics metrics,
      Clock clock,
      SignedQueries signedQueries,
      UpdateRequests updates,
      LlqHandler llq) {
    this.queries = queries;
    this.cache = cache;
    this.metrics = metrics;
    this.clock = clock;
    this.signedQueries = signedQueries;
    this.updates = updates;
    this.llq = llq;
  }

  @Override
  public void handle(DnsRequest request, Responder responder) {
    byte[] wire = request.wire();
    if (wire.length >= 12 && (wire[2] & 0x80) != 0 && llqAcknowledgement(request)) {
      responder.drop(); // RFC 8764 §6.3: acknowledgements are never answered
      return;
    }
    if (wire.length < 12 || (wire[2] & 0x80) != 0) {
      // Shorter than a header, or a response (QR=1): nothing to answer (RFC 1035 §4.1.1).
      metrics.dropped(request.transport(), wire.length < 12 ? "short" : "response");
      responder.drop();
      return;
    }
    long now = clock.millis();
    byte[] fast = cache.answer(wire, request.transport(), now);
    if (fast != null) {
      responder.respond(fast);
      metrics.request(request.transport(), "query", fast[3] & 0xF, request.receivedNanos());
      return;
    }
    Message message;
    try {
      message = new Message(wire);
    } catch (IOException | RuntimeException e) {
      malformed(request, responder);
      return;
    }
    try {
      dispatch(request, message, responder, now);
    } catch (RuntimeException e) {
      log.error(
          "bug while answering {} from {}",
          Opcode.string(message.getHeader().getOpcode()),
          request.peer(),
          e);
      sendError(request, responder, message, Rcode.SERVFAIL, "error");
    }
  }

  private void dispatch(DnsRequest request, Message message, Responder responder, long now) {
    int opcode = message.getHeader().getOpcode();
    Edns edns = Edns.of(message);
    if (message.getSection(Section.ADDITIONAL).stream()
            .filter(r -> r.getType() == org.xbill.DNS.Type.OPT)
            .count()
        > 1) {
      // RFC 6891 §6.1.1: more than one OPT RR is a format error.
      sendError(request, responder, message, Rcode.FORMERR, kind(opcode));
      return;
    }
    if (edns.badVersion()) {
      sendError(request, responder, message, Rcode.BADVERS, kind(opcode));
      return;
    }
    switch (opcode) {
      case Opcode.QUERY -> {
        if (llq != null && LlqHandler.carriesLlq(message)) {
          // RFC 8764 §5: may carry several questions, paired with the LLQ options by index.
          int rcode = llq.handle(request, message, responder);
          if (rcode >= 0) {
            metrics.request(request.transport(), "llq", rcode, request.receivedNanos());
          }
          return;
        }
        if (message.getHeader().getCount(Section.QUESTION) != 1) {
          sendError(request, responder, message, Rcode.FORMERR, "query");
          return;
        }
        if (signedQueries != null && message.getTSIG() != null) {
          signedQueries.answer(request, message, edns, responder, now);
          return;
        }
        QueryHandler.Answer answer = queries.answer(message, now);
        int rcode = answer.message().getHeader().getRcode();
        byte[] out = render(request, edns, answer.message(), rcode);
        cache.remember(request.wire(), answer, out);
        responder.respond(out);
        metrics.request(request.transport(), "query", rcode, request.receivedNanos());
      }
      case Opcode.UPDATE -> {
        if (updates == null) {
          sendError(request, responder, message, Rcode.NOTIMP, "update");
        } else {
          updates.handle(request, message, edns, responder);
        }
      }
      default -> sendError(request, responder, message, Rcode.NOTIMP, kind(opcode));
    }
  }

  /**
   * Whether a response (QR=1) is an LLQ event acknowledgement (RFC 8764 §6.3, protocols.md §8.6:
   * opcode QUERY, an OPT with LLQ options), handed to the LLQ handler. Anything else that claims to
   * be a response is left to be dropped.
   */
  private boolean llqAcknowledgement(DnsRequest request) {
    byte[] wire = request.wire();
    boolean query = ((wire[2] >> 3) & 0xF) == Opcode.QUERY;
    boolean additional = wire[10] != 0 || wire[11] != 0;
    if (llq == null || !query || !additional) {
      return false;
    }
    Message message;
    try {
      message = new Message(wire);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (!LlqHandler.carriesLlq(message)) {
      return false;
    }
    llq.acknowledge(request, message);
    return true;
  }

  private static String kind(int opcode) {
    return switch (opcode) {
      case Opcode.QUERY -> "query";
      case Opcode.UPDATE -> "update";
      case Opcode.NOTIFY -> "notify";
      default -> "other";
    };
  }

  /** An error answer echoing the question (RFC 1035 §4.1.1) with {@code rcode}. */
  private void sendError(
      DnsRequest request, Responder responder, Message query, int rcode, String kind) {
    Message response = QueryHandler.responseTo(query);
    response.getHeader().setOpcode(query.getHeader().getOpcode());
    // Our OPT always says version 0, which is what BADVERS must carry (RFC 6891 §6.1.3).
    byte[] out = render(request, Edns.of(query), response, rcode);
    responder.respond(out);
    metrics.request(request.transport(), kind, rcode, request.receivedNanos());
  }

  /**
   * Adds our OPT (when the request had EDNS) and renders within the transport's size limit; dnsjava
   * drops whole RRsets that do not fit and sets TC when the answer or authority was cut (RFC 2181
   * §9).
   */
  static byte[] render(DnsRequest request, Edns edns, Message response, int rcode) {
    if (edns.present()) {
      edns.addTo(response, rcode);
    } else {
      response.getHeader().setRcode(Edns.extended(rcode) ? Rcode.SERVFAIL : rcode);
    }
    int limit = request.transport().datagram() ? edns.udpLimit() : 65535;
    return response.toWire(limit);
  }

  /**
   * A message dnsjava cannot parse. With a readable header asking a known opcode and at most one
   * question we answer FORMERR with the header echoed; anything else is garbage and gets silence
   * (no reflection of junk).
   */
  private void malformed(DnsRequest request, Responder responder) {
    byte[] wire = request.wire();
    int opcode = (wire[2] >> 3) & 0xF;
    int qdcount = ((wire[4] & 0xFF) << 8) | (wire[5] & 0xFF);
    boolean known = opcode == Opcode.QUERY || opcode == Opcode.NOTIFY || opcode == Opcode.UPDATE;
    if (!known || qdcount > 1) {
      metrics.dropped(request.transport(), "garbage");
      responder.drop();
      return;
    }
    byte[] out = new byte[12];
    out[0] = wire[0];
    out[1] = wire[1];
    out[2] = (byte) (0x80 | (opcode << 3) | (wire[2] & 0x01)); // QR, opcode, RD
    out[3] = (byte) Rcode.FORMERR;
    responder.respond(out);
    metrics.request(request.transport(), kind(opcode), Rcode.FORMERR, request.receivedNanos());
  }
}
