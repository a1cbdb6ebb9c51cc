package net.membersdns.server.pipeline;

import net.membersdns.server.auth.TsigOutcome;
import net.membersdns.server.auth.TsigSigner;
import net.membersdns.server.auth.TsigVerifier;
import net.membersdns.server.codec.DnsRequest;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.query.QueryHandler;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * QUERYs carrying a TSIG (RFC 8945): verified over the original wire bytes, answered from memory
 * like any query, and the answer signed (dig -y and the BIND tools refuse unsigned answers to
 * signed queries, protocols.md §5.5). A failed check answers NOTAUTH with the TSIG error and no
 * data (§5.2); a malformed TSIG, FORMERR. Never cached: the MAC covers the request's ID and time.
 * Runs on the event loop; in memory only.
 */
public final class SignedQueries {
  private final QueryHandler queries;
  private final TsigVerifier verifier;
  private final TsigSigner signer;
  private final DnsMetrics metrics;

  public SignedQueries(
      QueryHandler queries, TsigVerifier verifier, TsigSigner signer, DnsMetrics metrics) {
    this.queries = queries;
    this.verifier = verifier;
    this.signer = signer;
    this.metrics = metrics;
  }

  /** Answers {@code message}, a query with exactly one question and a TSIG. */
  public void answer(
      DnsRequest request, Message message, Edns edns, Responder responder, long nowMillis) {
    TsigOutcome tsig = verifier.verify(message, request.wire());
    Message response;
    int rcode;
    if (tsig instanceof TsigOutcome.Verified) {
      response = queries.answer(message, nowMillis).message();
      rcode = response.getHeader().getRcode();
    } else {
      response = QueryHandler.responseTo(message);
      rcode = tsig instanceof TsigOutcome.Failed f ? f.rcode() : Rcode.FORMERR;
    }
    if (edns.present()) {
      edns.addTo(response, rcode);
    } else {
      response.getHeader().setRcode(rcode & 0xF);
    }
    int limit = request.transport().datagram() ? edns.udpLimit() : 65535;
    byte[] out = signer.toWire(response, tsig, limit);
    responder.respond(out);
    metrics.request(request.transport(), "query", out[3] & 0xF, request.receivedNanos());
  }
}
