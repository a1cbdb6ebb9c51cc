package net.membersdns.server.auth;

import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;

/**
 * What TSIG verification (RFC 8945 §5.2) concluded about one request. The reply must then be
 * rendered with {@link TsigSigner} given the same outcome, so signed requests get signed replies
 * and failures get the right TSIG error.
 */
public sealed interface TsigOutcome {

  /** The request carries no TSIG. Whether that is acceptable is policy, not TSIG. */
  record Unsigned() implements TsigOutcome {}

  /** The MAC and time check passed: the request was sent by a holder of {@code key}. */
  record Verified(TsigKey key, TSIGRecord requestTsig) implements TsigOutcome {
    public Verified {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(requestTsig, "requestTsig");
    }
  }

  /**
   * Verification failed with TSIG error {@code error} (BADKEY 17, BADSIG 16, BADTIME 18, BADTRUNC
   * 22): the header RCODE is NOTAUTH (RFC 8945 §5.2) and the request must not be acted on.
   *
   * @param key the key when it was found (BADSIG, BADTIME, BADTRUNC); empty for BADKEY
   */
  record Failed(int error, TSIGRecord requestTsig, Optional<TsigKey> key) implements TsigOutcome {
    public Failed {
      Objects.requireNonNull(requestTsig, "requestTsig");
      Objects.requireNonNull(key, "key");
      if (signedReply() && key.isEmpty()) {
        throw new IllegalArgumentException("a signed TSIG error reply needs the key");
      }
    }

    /** The header RCODE of the reply. */
    public int rcode() {
      return Rcode.NOTAUTH;
    }

    /**
     * BADTIME and BADTRUNC replies are signed; BADKEY and BADSIG replies must not be (RFC 8945
     * §5.3.2).
     */
    public boolean signedReply() {
      return error == Rcode.BADTIME || error == Rcode.BADTRUNC;
    }
  }

  /**
   * The TSIG RR itself is malformed (not last, more than one, MAC size out of bounds): FORMERR,
   * answered unsigned. {@code reason} is for logs.
   */
  record Malformed(String reason) implements TsigOutcome {
    public int rcode() {
      return Rcode.FORMERR;
    }
  }
}
