package net.membersdns.server.auth;

import java.time.Clock;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * Renders a reply to wire format with the TSIG its request's {@link TsigOutcome} calls for (RFC
 * 8945 §5.3): signed replies to verified requests, signed BADTIME/BADTRUNC errors, unsigned
 * BADKEY/BADSIG errors, and no TSIG otherwise. Thread-safe.
 *
 * <p>Signing happens during serialisation ({@link Message#setTSIG(TSIG, int, TSIGRecord)} then
 * {@link Message#toWire(int)}), so truncation to the client's payload size and the MAC agree;
 * {@code TSIG.apply} must never be used on replies (its MAC would cover a different rendering).
 */
public final class TsigSigner {
  private final Clock clock;

  public TsigSigner(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Serialises {@code reply}, signing as {@code outcome} requires. For a {@link TsigOutcome.Failed}
   * outcome the header RCODE is set to NOTAUTH here, so callers cannot forget it.
   *
   * @param reply the reply; its ID must be the request's (it becomes the TSIG Original ID)
   * @param maxLength the largest message the client accepts (UDP payload size, or 65535)
   */
  public byte[] toWire(Message reply, TsigOutcome outcome, int maxLength) {
    switch (outcome) {
      case TsigOutcome.Unsigned u -> {}
      case TsigOutcome.Malformed m -> {}
      case TsigOutcome.Verified v ->
          reply.setTSIG(v.key().toTsig(clock), Rcode.NOERROR, v.requestTsig());
      case TsigOutcome.Failed f -> {
        reply.getHeader().setRcode(f.rcode());
        TSIG signer =
            f.signedReply()
                ? f.key().orElseThrow().toTsig(clock)
                : new UnsignedErrorTsig(f.requestTsig(), clock);
        reply.setTSIG(signer, f.error(), f.requestTsig());
      }
    }
    return reply.toWire(maxLength);
  }

  /**
   * Writes the unsigned TSIG of a BADKEY or BADSIG reply: the request's key and algorithm names
   * (which may be unknown to us, so no real key can be built), MAC size 0, the server's time (RFC
   * 8945 §5.3.2). A {@link TSIG} subclass so that {@link Message#toWire(int)} still places it last
   * and reserves room for it.
   */
  private static final class UnsignedErrorTsig extends TSIG {
    /** Never used to compute a MAC: only lets the superclass construct. */
    private static final SecretKeySpec PLACEHOLDER = new SecretKeySpec(new byte[1], "HmacSHA256");

    private final TSIGRecord request;
    private final Clock clock;

    UnsignedErrorTsig(TSIGRecord request, Clock clock) {
      super(TSIG.HMAC_SHA256, request.getName(), PLACEHOLDER, clock);
      this.request = request;
      this.clock = clock;
    }

    @Override
    public TSIGRecord generate(Message m, byte[] b, int error, TSIGRecord old) {
      return new TSIGRecord(
          request.getName(),
          DClass.ANY,
          0,
          request.getAlgorithm(),
          clock.instant(),
          request.getFudge(),
          new byte[0],
          m.getHeader().getID(),
          error,
          null);
    }

    @Override
    public int recordLength() {
      // owner + type/class/ttl/rdlength (10) + algorithm + time/fudge (8) + MAC size (2)
      // + original ID/error/other length (6)
      return request.getName().length() + 10 + request.getAlgorithm().length() + 16;
    }
  }
}
