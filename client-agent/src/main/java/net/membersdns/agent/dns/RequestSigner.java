package net.membersdns.agent.dns;

import java.time.Clock;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import net.membersdns.protocol.tsig.KeyLine;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * Signs the agent's requests with its host key and checks the server's signatures (RFC 8945 §5.1,
 * §5.3): every request is signed; a response to a signed request must be signed with the same key
 * over the request's MAC, and an unsolicited message (an LLQ event) must be signed without one. An
 * unsigned or badly signed answer is never trusted — only a NOTAUTH carrying a TSIG error may be
 * unsigned (RFC 8945 §5.3.2: the server could not check us), and it is only read for that error.
 * Thread-safe.
 */
public final class RequestSigner {
  private final KeyLine key;
  private final Clock clock;

  public RequestSigner(KeyLine key, Clock clock) {
    this.key = Objects.requireNonNull(key, "key");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Name keyName() {
    return key.name();
  }

  /** A request signed and rendered; keep it to verify the response. */
  public record Signed(byte[] wire, TSIGRecord tsig) {}

  /** Adds a TSIG RR to {@code request} (which must not be signed yet) and renders it. */
  public Signed sign(Message request) {
    tsig().apply(request, null);
    return new Signed(request.toWire(), request.getTSIG());
  }

  /** What a response's signature says. */
  public enum Check {
    /** Signed with our key over our request: trust it. */
    VERIFIED,
    /** Unsigned NOTAUTH with a TSIG error: the server could not verify us; read only the error. */
    SERVER_REJECTED_US,
    /** Unsigned, or the MAC does not verify: never trust it. */
    BAD
  }

  /** Checks the response {@code r} to {@code request}. */
  public Check check(Received r, Signed request) {
    return verify(r, request.tsig());
  }

  /** Checks an unsolicited message (an LLQ event, signed without a request MAC). */
  public Check checkUnsolicited(Received r) {
    return verify(r, null);
  }

  private Check verify(Received r, TSIGRecord requestTsig) {
    TSIGRecord t = r.message().getTSIG();
    if (t == null) {
      return Check.BAD;
    }
    if (r.message().getRcode() == Rcode.NOTAUTH
        && t.getError() != Rcode.NOERROR
        && t.getSignature().length == 0) {
      return Check.SERVER_REJECTED_US;
    }
    if (!t.getName().equals(key.name())) {
      return Check.BAD;
    }
    int result = tsig().verify(r.message(), r.wire(), requestTsig);
    return result == Rcode.NOERROR ? Check.VERIFIED : Check.BAD;
  }

  private TSIG tsig() {
    return new TSIG(
        key.algorithm().wireName(),
        key.name(),
        new SecretKeySpec(key.secret(), key.algorithm().jcaName()),
        clock);
  }
}
