package net.membersdns.agent.dns;

import org.xbill.DNS.Message;
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

  /** The rcode and TSIG error in words: {@code NOTAUTH (TSIG error BADKEY)}, {@code REFUSED}. */
  public String describe() {
    String s = Rcode.string(rcode());
    if (tsigError() != Rcode.NOERROR) {
      s += " (TSIG error " + Rcode.TSIGstring(tsigError()) + ")";
    }
    if (check == RequestSigner.Check.BAD) {
      s += " with a signature that does not verify";
    }
    return s;
  }
}
