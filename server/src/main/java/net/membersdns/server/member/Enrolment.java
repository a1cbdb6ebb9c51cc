package net.membersdns.server.member;

import net.membersdns.protocol.tsig.KeyLine;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import org.xbill.DNS.Name;

/**
 * A member just enrolled and the key it was given (the only time the secret is shown).
 *
 * @param member the member name
 * @param zone the member's zone apex
 * @param keyName the TSIG key name
 * @param algorithm the key's algorithm
 * @param secret the key's secret
 */
public record Enrolment(
    String member, Name zone, Name keyName, TsigAlgorithm algorithm, byte[] secret) {

  /** The key as {@link KeyLine}, for printing once. */
  public KeyLine key() {
    return new KeyLine(algorithm, keyName, secret);
  }

  /**
   * The line {@code key: <algorithm>:<key name>:<base64 secret>}; what follows {@code key: } is
   * what {@code nsupdate -y} takes.
   */
  public String keyLine() {
    return key().printed();
  }
}
