package net.membersdns.server.update;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIGRecord;

/**
 * The identity of one signed UPDATE for replay protection: the key, the Time Signed and the MAC of
 * its TSIG (RFC 8945 §4.2). The MAC covers the whole message and the TSIG variables, Time Signed
 * and Fudge included, but not the header's message ID: a verifier digests the Original ID in its
 * place (§4.3.1), so the same signature with a new ID still verifies. Two requests with the same
 * signature are therefore the same update, whatever their ID or transport.
 *
 * <p>A signature verifies until {@link #expiresSeconds} (Time Signed plus the request's own Fudge,
 * §5.2.3); the record of its use is kept at least that long.
 *
 * @param key the TSIG key name, lower case (as stored)
 * @param timeSigned Time Signed, in seconds since the epoch
 * @param fudge the request's Fudge, in seconds
 * @param mac the MAC as sent (possibly truncated, §5.2.2.1)
 */
public record UpdateSignature(Name key, long timeSigned, int fudge, byte[] mac) {
  public UpdateSignature {
    Objects.requireNonNull(key, "key");
    mac = mac.clone();
  }

  /** The signature of a signed request, or empty for an unsigned one. */
  public static Optional<UpdateSignature> of(Message request) {
    TSIGRecord tsig = request.getTSIG();
    if (tsig == null) {
      return Optional.empty();
    }
    return Optional.of(
        new UpdateSignature(
            tsig.getName().canonicalize(),
            tsig.getTimeSigned().getEpochSecond(),
            (int) tsig.getFudge().getSeconds(),
            tsig.getSignature()));
  }

  /** Until when (seconds since the epoch) this signature verifies and must not be used again. */
  public long expiresSeconds() {
    return timeSigned + fudge;
  }

  @Override
  public byte[] mac() {
    return mac.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpdateSignature s
        && key.equals(s.key)
        && timeSigned == s.timeSigned
        && Arrays.equals(mac, s.mac);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(mac);
  }

  @Override
  public String toString() {
    return "UpdateSignature["
        + key
        + " "
        + timeSigned
        + " "
        + HexFormat.of().formatHex(mac, 0, Math.min(8, mac.length))
        + "…]";
  }
}
