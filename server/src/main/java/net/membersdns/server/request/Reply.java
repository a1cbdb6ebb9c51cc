package net.membersdns.server.request;

import java.util.List;
import java.util.Objects;
import net.membersdns.server.auth.TsigOutcome;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;

/**
 * What a handler decides for one request; the {@link Exchange}'s finisher turns it into bytes on
 * the wire, in one place for every kind of request: it adds the OPT RR (RFC 6891 §6.1.1, with the
 * extended RCODE bits, our payload size, the DO bit echoed and the options given here), renders
 * within the client's UDP size setting TC when the answer was cut (RFC 2181 §9), signs as the TSIG
 * outcome requires (RFC 8945 §5.3), sends, and counts the request. Handlers therefore never render,
 * sign or count.
 */
public sealed interface Reply {
  /** What a request without TSIG is answered with. */
  TsigOutcome UNSIGNED = new TsigOutcome.Unsigned();

  /**
   * A response the handler built: header (ID, QR, opcode, flags), question and the data sections,
   * without OPT or TSIG.
   *
   * @param message the response; its header RCODE is replaced by the low bits of {@code rcode}
   * @param rcode the full RCODE, extended ones (BADVERS) included
   * @param options EDNS options for our OPT (sent only when the request had EDNS)
   * @param tsig the request's TSIG outcome: how to sign
   */
  record Answer(Message message, int rcode, List<EDNSOption> options, TsigOutcome tsig)
      implements Reply {
    public Answer {
      Objects.requireNonNull(message, "message");
      options = List.copyOf(options);
      Objects.requireNonNull(tsig, "tsig");
    }

    /** An unsigned answer without EDNS options whose RCODE is the message's. */
    public static Answer of(Message message) {
      return new Answer(message, message.getHeader().getRcode(), List.of(), UNSIGNED);
    }
  }

  /**
   * An answer without data: ID, opcode, RD and CD and the question (zone) section echoed ({@link
   * ResponseSkeleton}), and {@code rcode}. For a request that could not be parsed, the header alone
   * (RFC 1035 §4.1.1 FORMERR).
   *
   * @param tsig how to sign: a {@link TsigOutcome.Failed} one makes it NOTAUTH with the TSIG error
   *     (RFC 8945 §5.2), signed or not as §5.3.2 says
   * @param options EDNS options for our OPT, e.g. an Extended DNS Error (RFC 8914)
   */
  record Failure(int rcode, TsigOutcome tsig, List<EDNSOption> options) implements Reply {
    public Failure {
      Objects.requireNonNull(tsig, "tsig");
      options = List.copyOf(options);
    }

    /** {@code rcode}, unsigned, no options. */
    public static Failure of(int rcode) {
      return new Failure(rcode, UNSIGNED, List.of());
    }

    /** {@code rcode}, signed as {@code tsig} requires. */
    public static Failure of(int rcode, TsigOutcome tsig) {
      return new Failure(rcode, tsig, List.of());
    }

    /**
     * The one answer to a request whose TSIG did not verify: NOTAUTH with the TSIG error for a
     * failed check (RFC 8945 §5.2), FORMERR for a malformed TSIG RR.
     *
     * @throws IllegalArgumentException for an outcome that is not a failure
     */
    public static Failure tsig(TsigOutcome tsig) {
      return switch (tsig) {
        case TsigOutcome.Failed f -> of(f.rcode(), f);
        case TsigOutcome.Malformed m -> of(m.rcode(), m);
        default -> throw new IllegalArgumentException("not a TSIG failure: " + tsig);
      };
    }
  }

  /**
   * Nothing is sent (garbage, a response, an LLQ acknowledgement: RFC 8764 §6.3).
   *
   * @param dropped the {@code reason} tag of {@code dns.requests.dropped}, or {@code null} when the
   *     message needs no answer and is not a drop
   */
  record Silence(String dropped) implements Reply {
    /** Silence for a message that is never answered (not counted as dropped). */
    public static final Silence EXPECTED = new Silence(null);
  }
}
