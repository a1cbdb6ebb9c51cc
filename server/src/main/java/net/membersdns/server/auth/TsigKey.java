package net.membersdns.server.auth;

import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import net.membersdns.protocol.tsig.TsigAlgorithm;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * One shared TSIG secret (RFC 8945 §4.1).
 *
 * @param name the key name, absolute; compared case-insensitively
 * @param algorithm the only algorithm this key may be used with (another one is BADKEY)
 * @param secret the shared secret; never logged
 * @param minimumMac local truncation policy (RFC 8945 §5.2.3): a request MAC shorter than this is
 *     BADTRUNC. Defaults to the full output length, so truncated MACs are refused, as BIND does for
 *     keys without {@code -bits}
 */
public record TsigKey(Name name, TsigAlgorithm algorithm, byte[] secret, int minimumMac) {
  public TsigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(algorithm, "algorithm");
    if (secret.length == 0) {
      throw new IllegalArgumentException("empty TSIG secret for " + name);
    }
    secret = secret.clone();
    if (minimumMac < algorithm.shortestMac() || minimumMac > algorithm.macLength()) {
      throw new IllegalArgumentException(
          "minimum MAC " + minimumMac + " outside RFC 8945 bounds for " + algorithm);
    }
  }

  /** A key that accepts only full-length MACs. */
  public TsigKey(Name name, TsigAlgorithm algorithm, byte[] secret) {
    this(name, algorithm, secret, algorithm.macLength());
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  /** A dnsjava signer/verifier for this key, reading time from {@code clock}. */
  public TSIG toTsig(Clock clock) {
    return new TSIG(
        algorithm.wireName(), name, new SecretKeySpec(secret, algorithm.jcaName()), clock);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TsigKey k
        && name.equals(k.name)
        && algorithm == k.algorithm
        && Arrays.equals(secret, k.secret)
        && minimumMac == k.minimumMac;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, algorithm, Arrays.hashCode(secret), minimumMac);
  }

  @Override
  public String toString() {
    return "TsigKey[" + name + " " + algorithm + "]";
  }
}
