package net.membersdns.server.pipeline;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.auth.TsigSigner;
import net.membersdns.server.auth.TsigVerifier;
import net.membersdns.server.llq.LlqHandler;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.query.AnswerCache;
import net.membersdns.server.query.QueryHandler;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Edns;
import net.membersdns.server.request.Exchange;
import net.membersdns.server.request.Reply;
import net.membersdns.server.request.RequestKind;
import net.membersdns.server.request.Responder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Classifies every request once and routes it; every outcome leaves through the {@link
 * ReplyFinisher}. Garbage and responses are dropped (RFC 1035 §4.1.1), except LLQ event
 * acknowledgements (RFC 8764 §6.3), which go to the {@link LlqHandler} unanswered; malformed
 * requests with a readable header get FORMERR; queries are answered from the {@link AnswerCache}
 * when it holds the rendered answer, else by the {@link QueryHandler} (a TSIG-signed query only
 * after its TSIG verified, RFC 8945 §5.2, and never cached: the MAC covers ID and time); queries
 * carrying an LLQ option go to the {@link LlqHandler}; UPDATEs to {@link UpdateRequests}, which
 * answers after the commit; other opcodes get NOTIMP.
 *
 * <p>Called on the event loop; the query path is in memory. Whatever a route throws, an {@link
 * Error} too, stops here: SERVFAIL, {@code dns.internal.errors{loop="dispatcher"}} and a log line,
 * never a dead connection or event loop.
 */
public final class RequestDispatcher implements DnsRequestHandler {
  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

  private final QueryHandler queries;
  private final AnswerCache cache;
  private final DnsMetrics metrics;
  private final Clock clock;
  private final ReplyFinisher finisher;
  private final TsigVerifier verifier;
  private final UpdateRequests updates;
  private final LlqHandler llq;

  /** Queries only: signed queries REFUSED, UPDATE NOTIMP, LLQ options ignored (RFC 6891 §6.1.2). */
  public RequestDispatcher(
      QueryHandler queries, AnswerCache cache, DnsMetrics metrics, Clock clock) {
    this(
        queries,
        cache,
        metrics,
        clock,
        new ReplyFinisher(new TsigSigner(clock), metrics, null),
        null,
        null,
        null);
  }

  /**
   * @param verifier checks the TSIG of signed queries, or {@code null} to refuse them
   * @param updates the UPDATE route (RFC 2136), or {@code null} for NOTIMP
   * @param llq the LLQ service (RFC 8764), or {@code null} for none
   */
  public RequestDispatcher(
      QueryHandler queries,
      AnswerCache cache,
      DnsMetrics metrics,
      Clock clock,
      ReplyFinisher finisher,
      TsigVerifier verifier,
      UpdateRequests updates,
      LlqHandler llq) {
    this.queries = queries;
    this.cache = cache;
    this.metrics = metrics;
    this.clock = clock;
    this.finisher = finisher;
    this.verifier = verifier;
    this.updates = updates;
    this.llq = llq;
  }

  @Override
  public void handle(DnsRequest request, Responder responder) {
    byte[] wire = request.wire();
    long now = clock.millis();
    if (wire.length >= 12 && (wire[2] & 0x80) == 0) {
      byte[] fast = cache.answer(wire, request.transport(), now);
      if (fast != null) {
        finisher.replayed(request, responder, fast);
        return;
      }
    }
    Exchange exchange = null;
    try {
      exchange = read(request, responder);
      route(exchange, now);
    } catch (Throwable e) {
      log.error("bug while answering a request from {}", request.peer(), e);
      DnsMetrics.internalError(metrics.registry(), "dispatcher");
      if (exchange == null) {
        exchange = unparsed(request, responder, RequestKind.OTHER);
      }
      exchange.reply(Reply.Failure.of(Rcode.SERVFAIL)); // nothing if it was answered already
    }
  }

  /** The exchange of {@code request}: parsed when dnsjava can parse it, else without a message. */
  private Exchange read(DnsRequest request, Responder responder) {
    byte[] wire = request.wire();
    if (wire.length < 12) {
      return unparsed(request, responder, RequestKind.OTHER);
    }
    RequestKind kind = RequestKind.of((wire[2] >> 3) & 0xF);
    Message message;
    try {
      message = new Message(wire);
    } catch (IOException | RuntimeException e) {
      return unparsed(request, responder, kind);
    }
    if (!whole(message, wire)) {
      return unparsed(request, responder, kind);
    }
    if (kind == RequestKind.QUERY && llq != null && LlqHandler.carriesLlq(message)) {
      kind = RequestKind.LLQ; // an LLQ request, or (QR=1) an event acknowledgement
    }
    return new Exchange(request, message, Edns.of(message), kind, responder, finisher);
  }

  /**
   * Whether every record the header of {@code wire} counts was read. dnsjava stops quietly at the
   * end of a message with TC set, as a truncated response may end anywhere (RFC 2181 §9), and
   * lowers its counts to what it read; in a request, counts running past the data are a format
   * error like any other (RFC 1035 §4.1.1), so it is unparsed, not half-read.
   */
  private static boolean whole(Message message, byte[] wire) {
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      int counted = (wire[4 + 2 * section] & 0xFF) << 8 | wire[5 + 2 * section] & 0xFF;
      if (message.getSection(section).size() != counted) {
        return false;
      }
    }
    return true;
  }

  private Exchange unparsed(DnsRequest request, Responder responder, RequestKind kind) {
    return new Exchange(request, null, Edns.ABSENT, kind, responder, finisher);
  }

  private void route(Exchange exchange, long now) {
    byte[] wire = exchange.request().wire();
    Message message = exchange.message();
    if (wire.length < 12) {
      exchange.reply(new Reply.Silence("short")); // shorter than a header: RFC 1035 §4.1.1
      return;
    }
    if ((wire[2] & 0x80) != 0) {
      // A response (QR=1): only LLQ acknowledgements are expected, and none is ever answered.
      if (exchange.kind() == RequestKind.LLQ) {
        llq.acknowledge(exchange.request(), message);
        exchange.reply(Reply.Silence.EXPECTED);
      } else {
        exchange.reply(new Reply.Silence("response"));
      }
      return;
    }
    if (message == null) {
      malformed(exchange);
      return;
    }
    if (message.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() == Type.OPT).count()
            > 1
        || optOutsideAdditional(message)) {
      // RFC 6891 §6.1.1: one OPT RR at most, in the additional section (as BIND and Knot judge it)
      exchange.reply(Reply.Failure.of(Rcode.FORMERR));
      return;
    }
    if (exchange.edns().badVersion()) {
      exchange.reply(Reply.Failure.of(Rcode.BADVERS)); // our OPT says version 0 (§6.1.3)
      return;
    }
    switch (exchange.kind()) {
      case LLQ -> llq.handle(exchange); // RFC 8764 §5: questions paired with LLQ options
      case QUERY -> {
        if (message.getHeader().getCount(Section.QUESTION) != 1) {
          exchange.reply(Reply.Failure.of(Rcode.FORMERR));
        } else if (message.getTSIG() != null) {
          signedQuery(exchange, now);
        } else {
          QueryHandler.Answer answer = queries.answer(message, now);
          byte[] out = exchange.reply(Reply.Answer.of(answer.message()));
          if (out != null) { // null: dropped by response rate limiting
            cache.remember(wire, answer, out);
          }
        }
      }
      case UPDATE -> {
        if (updates == null) {
          exchange.reply(Reply.Failure.of(Rcode.NOTIMP));
        } else {
          updates.handle(exchange);
        }
      }
      default -> exchange.reply(Reply.Failure.of(Rcode.NOTIMP));
    }
  }

  /** An OPT RR in the question, answer/prerequisite or authority/update section. */
  private static boolean optOutsideAdditional(Message message) {
    for (int section = Section.QUESTION; section < Section.ADDITIONAL; section++) {
      for (var r : message.getSection(section)) {
        if (r.getType() == Type.OPT) {
          return true;
        }
      }
    }
    return false;
  }

  /** A QUERY with a TSIG: answered, and the answer signed, only when the TSIG verified. */
  private void signedQuery(Exchange exchange, long now) {
    if (verifier == null) {
      exchange.reply(Reply.Failure.of(Rcode.REFUSED));
      return;
    }
    Message message = exchange.message();
    TsigOutcome tsig = verifier.verify(message, exchange.request().wire());
    if (!(tsig instanceof TsigOutcome.Verified)) {
      exchange.reply(Reply.Failure.tsig(tsig));
      return;
    }
    Message response = queries.answer(message, now).message();
    exchange.reply(new Reply.Answer(response, response.getHeader().getRcode(), List.of(), tsig));
  }

  /**
   * A message dnsjava cannot parse. With a readable header asking a known opcode and at most one
   * question it gets FORMERR with the header echoed; anything else is garbage and gets silence (no
   * reflection of junk).
   */
  private static void malformed(Exchange exchange) {
    byte[] wire = exchange.request().wire();
    int opcode = (wire[2] >> 3) & 0xF;
    int qdcount = ((wire[4] & 0xFF) << 8) | (wire[5] & 0xFF);
    boolean known = opcode == Opcode.QUERY || opcode == Opcode.NOTIFY || opcode == Opcode.UPDATE;
    if (!known || qdcount > 1) {
      exchange.reply(new Reply.Silence("garbage"));
    } else {
      exchange.reply(Reply.Failure.of(Rcode.FORMERR));
    }
  }
}
