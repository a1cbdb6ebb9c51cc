package net.membersdns.agent.dns;

import java.util.Optional;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;

/**
 * The server's answer to a signed request, its signature checked.
 *
 * @param received the message as received
 * @param check what its TSIG says ({@link RequestSigner.Check#VERIFIED} for everything the agent
 *     acts on)
 */
public record Reply(Received received, RequestSigner.Check check) {
  public Message message() {
    return received.message();
  }

  public int rcode() {
    return received.message().getRcode();
  }

  /** The TSIG error of the reply (RFC 8945 §5.3), {@link Rcode#NOERROR} when none. */
  public int tsigError() {
    var t = received.message().getTSIG();
    return t == null ? Rcode.NOERROR : t.getError();
  }

  /** Whether it is verified and its rcode is NOERROR. */
  public boolean ok() {
    return check == RequestSigner.Check.VERIFIED && rcode() == Rcode.NOERROR;
  }

  /**
   * The Extended DNS Error the server gave (RFC 8914 §2), if any: the server says why it refused (a
   * replayed signature, a full queue, its database unreachable) in words the agent can show.
   */
  public Optional<ExtendedErrorCodeOption> extendedError() {
    OPTRecord opt = received.message().getOPT();
    if (opt == null) {
      return Optional.empty();
    }
    return opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).stream()
        .filter(ExtendedErrorCodeOption.class::isInstance)
        .map(ExtendedErrorCodeOption.class::cast)
        .findFirst();
  }

  /**
   * The rcode, TSIG error and Extended DNS Error in words: {@code NOTAUTH (TSIG error BADKEY)},
   * {@code REFUSED (extended error 0: replayed update)}.
   */
  public String describe() {
    String s = Rcode.string(rcode());
    if (tsigError() != Rcode.NOERROR) {
      s += " (TSIG error " + Rcode.TSIGstring(tsigError()) + ")";
    }
    var ede = extendedError();
    if (ede.isPresent()) {
      String text = ede.get().getText();
      s +=
          " (extended error "
              + ede.get().getErrorCode()
              + (text == null || text.isEmpty() ? "" : ": " + text)
              + ")";
    }
    if (check == RequestSigner.Check.BAD) {
      s += " with a signature that does not verify";
    }
    return s;
  }
}
