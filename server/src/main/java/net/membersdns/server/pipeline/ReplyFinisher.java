package net.membersdns.server.pipeline;

import java.util.List;
import java.util.Locale;
import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.auth.TsigSigner;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.RrlMetrics;
import net.membersdns.server.metrics.UpdateMetrics;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Edns;
import net.membersdns.server.request.Exchange;
import net.membersdns.server.request.Reply;
import net.membersdns.server.request.RequestKind;
import net.membersdns.server.request.Responder;
import net.membersdns.server.request.ResponseSkeleton;
import net.membersdns.server.request.Transport;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The reply boundary: the one place where a {@link Reply} becomes bytes on the wire and a metric,
 * for queries, signed queries, UPDATEs and LLQ requests alike (as Knot finalises every answer in
 * one place, and a CoreDNS handler only writes through its ResponseWriter). In this order:
 *
 * <ol>
 *   <li>{@link Reply.Silence}: nothing is sent; a drop is counted ({@code dns.requests.dropped}).
 *   <li>The response: the handler's {@link Reply.Answer}, or for a {@link Reply.Failure} the {@link
 *       ResponseSkeleton} of the request (the bare header when it could not be parsed).
 *   <li>EDNS (RFC 6891): the RCODE split between header and our OPT, the handler's options.
 *   <li>Size: the client's UDP payload size, or 65535 on streams; dnsjava leaves out whole RRsets
 *       that do not fit and sets TC (RFC 2181 §9).
 *   <li>TSIG (RFC 8945 §5.3): signed during rendering so MAC and truncation agree ({@link
 *       TsigSigner}); a failed check becomes NOTAUTH with the TSIG error.
 *   <li>For an UPDATE, its audit line ({@link UpdateAudit}), so that no update is acknowledged
 *       without one.
 *   <li>Response rate limiting ({@link ResponseRateLimiter}), for unsigned UDP responses to queries
 *       (and to unparsable or unknown requests) only: a limited response is dropped ({@code
 *       dns.requests.dropped{reason="rrl"}}) or slipped as an empty TC=1 reply. Never TCP or TLS (a
 *       stream's source cannot be forged), never a signed response (its client proved who it is),
 *       never an UPDATE (audited as answered) or LLQ traffic (RFC 8764 events and their set-up are
 *       per client state, not reflection).
 *   <li>Sent through the request's {@link Responder}, then counted: {@code dns.requests} by
 *       transport, kind and RCODE (from decode to hand-off), and {@code dns.updates} by RCODE and
 *       TSIG result for UPDATEs.
 * </ol>
 *
 * <p>Thread-safe and non-blocking: called on event loops (queries, LLQ) and committer threads
 * (UPDATE replies after their commit). Answers replayed from the {@code AnswerCache} are already
 * rendered for their request and only sent and counted ({@link #replayed}).
 */
public final class ReplyFinisher implements Exchange.Finisher {
  private final TsigSigner signer;
  private final DnsMetrics metrics;
  private final UpdateMetrics updateMetrics;
  private final ResponseRateLimiter rrl;
  private final RrlMetrics rrlMetrics;

  /**
   * @param updateMetrics where UPDATE outcomes are counted, or {@code null} (no UPDATE route)
   */
  public ReplyFinisher(TsigSigner signer, DnsMetrics metrics, UpdateMetrics updateMetrics) {
    this(signer, metrics, updateMetrics, null, null);
  }

  /**
   * @param rrl limits UDP responses, or {@code null} for no rate limiting ({@code --rrl-rate 0})
   * @param rrlMetrics where limited responses are counted (with {@code rrl})
   */
  public ReplyFinisher(
      TsigSigner signer,
      DnsMetrics metrics,
      UpdateMetrics updateMetrics,
      ResponseRateLimiter rrl,
      RrlMetrics rrlMetrics) {
    this.signer = signer;
    this.metrics = metrics;
    this.updateMetrics = updateMetrics;
    this.rrl = rrl;
    this.rrlMetrics = rrlMetrics;
  }

  @Override
  public byte[] finish(Exchange exchange, Reply reply) {
    DnsRequest request = exchange.request();
    byte[] wire;
    int rcode;
    TsigOutcome tsig;
    List<EDNSOption> options;
    switch (reply) {
      case Reply.Silence s -> {
        if (s.dropped() != null) {
          metrics.dropped(request.transport(), s.dropped());
        }
        exchange.responder().drop();
        return null;
      }
      case Reply.Answer a -> {
        rcode = a.rcode();
        tsig = a.tsig();
        options = a.options();
        wire = render(exchange, a.message(), rcode, options, tsig);
      }
      case Reply.Failure f -> {
        rcode = f.rcode();
        tsig = f.tsig();
        options = f.options();
        wire =
            exchange.message() == null
                ? headerOnly(request.wire(), rcode)
                : render(
                    exchange, ResponseSkeleton.of(exchange.message()), rcode, f.options(), tsig);
      }
    }
    if (exchange.kind() == RequestKind.UPDATE) {
      // Written before the answer leaves: no acknowledged update goes without its audit line.
      UpdateAudit.log(request, exchange.message(), tsig, tsigTag(tsig), rcode, options);
    } else if (limits(request, exchange.kind(), tsig)) {
      wire = rateLimited(request, exchange.responder(), wire);
      if (wire == null) {
        return null;
      }
    }
    exchange.responder().respond(wire);
    count(request, exchange.kind(), rcode, tsig);
    return wire;
  }

  /** Sends {@code wire}, an answer the cache rendered for exactly this request, and counts it. */
  public void replayed(DnsRequest request, Responder responder, byte[] wire) {
    if (limits(request, RequestKind.QUERY, Reply.UNSIGNED)) {
      wire = rateLimited(request, responder, wire);
      if (wire == null) {
        return;
      }
    }
    responder.respond(wire);
    metrics.request(request.transport(), RequestKind.QUERY, wire[3] & 0xF, request.receivedNanos());
  }

  /** Whether response rate limiting applies: unsigned UDP responses, but for UPDATE and LLQ. */
  private boolean limits(DnsRequest request, RequestKind kind, TsigOutcome tsig) {
    return rrl != null
        && request.transport() == Transport.UDP
        && kind != RequestKind.UPDATE
        && kind != RequestKind.LLQ
        && !(tsig instanceof TsigOutcome.Verified);
  }

  /**
   * {@code wire} if it is within the rate, its truncated stand-in when it slips, or {@code null}
   * when it is dropped (counted, and the responder told).
   */
  private byte[] rateLimited(DnsRequest request, Responder responder, byte[] wire) {
    switch (rrl.check(request.peer().getAddress(), wire)) {
      case SEND -> {
        return wire;
      }
      case SLIP -> {
        rrlMetrics.limited(true);
        return ResponseRateLimiter.slipped(wire);
      }
      case DROP -> {
        rrlMetrics.limited(false);
        metrics.dropped(request.transport(), "rrl");
        responder.drop();
        return null;
      }
    }
    throw new AssertionError();
  }

  private byte[] render(
      Exchange exchange, Message response, int rcode, List<EDNSOption> options, TsigOutcome tsig) {
    Edns edns = exchange.edns();
    edns.finish(response, rcode, options);
    return signer.toWire(response, tsig, edns.limit(exchange.transport()));
  }

  /**
   * The answer to a request dnsjava could not parse but whose header was readable: ID, QR, opcode
   * and RD echoed, {@code rcode}, no sections (nothing of it can be trusted).
   */
  private static byte[] headerOnly(byte[] request, int rcode) {
    byte[] out = new byte[12];
    out[0] = request[0];
    out[1] = request[1];
    out[2] = (byte) (0x80 | (request[2] & 0x79)); // QR, the opcode bits, RD
    out[3] = (byte) (rcode & 0xF);
    return out;
  }

  private void count(DnsRequest request, RequestKind kind, int rcode, TsigOutcome tsig) {
    metrics.request(request.transport(), kind, rcode, request.receivedNanos());
    if (kind == RequestKind.UPDATE && updateMetrics != null) {
      updateMetrics.update(rcode, tsigTag(tsig));
    }
  }

  /** The {@code tsig} tag of {@code dns.updates}. */
  private static String tsigTag(TsigOutcome outcome) {
    return switch (outcome) {
      case TsigOutcome.Unsigned u -> "none";
      case TsigOutcome.Verified v -> "ok";
      case TsigOutcome.Malformed m -> "malformed";
      case TsigOutcome.Failed f -> Rcode.TSIGstring(f.error()).toLowerCase(Locale.ROOT);
    };
  }
}
