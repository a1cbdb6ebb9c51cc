package net.membersdns.server.member;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import net.membersdns.protocol.tsig.TsigAlgorithm;

/**
 * The HMAC algorithms enrolment makes keys for ({@code member add}, {@code key add}, {@code host
 * add}, {@code import}), a subset of the six the server verifies (RFC 8945 §6): hmac-md5 for Apple
 * clients, which sign with nothing else, hmac-sha256 (the default) and hmac-sha512. SHA-1 and the
 * truncated SHA-2 variants are verified for keys moved in by hand but never offered for new ones.
 */
public final class KeyAlgorithms {
  /** What enrolment offers. */
  public static final Set<TsigAlgorithm> OFFERED =
      Collections.unmodifiableSet(
          EnumSet.of(TsigAlgorithm.HMAC_MD5, TsigAlgorithm.HMAC_SHA256, TsigAlgorithm.HMAC_SHA512));

  /** The algorithm of new keys unless the operator asks for another. */
  public static final TsigAlgorithm DEFAULT = TsigAlgorithm.HMAC_SHA256;

  private KeyAlgorithms() {}

  /**
   * An offered algorithm by the spelling {@code nsupdate -y} takes ({@code hmac-sha256}), case
   * insensitive.
   *
   * @throws IllegalArgumentException naming the offered spellings, for anything else
   */
  public static TsigAlgorithm offered(String text) {
    return TsigAlgorithm.fromText(text)
        .filter(OFFERED::contains)
        .orElseThrow(() ->
            new IllegalArgumentException(
                "unknown algorithm '"
                    + text
                    + "' (expected one of "
                    + OFFERED.stream()
                        .map(TsigAlgorithm::presentationName)
                        .collect(Collectors.joining(", "))
                    + ")"));
  }

  /** The spelling of {@code tsig_keys.algorithm}: the wire name, e.g. {@code hmac-sha256.}. */
  public static String stored(TsigAlgorithm algorithm) {
    return algorithm.wireName().toString();
  }

  /**
   * The algorithm of a stored key.
   *
   * @throws IllegalArgumentException if the stored name is none of the six (the table's CHECK makes
   *     that impossible)
   */
  public static TsigAlgorithm fromStored(String stored) {
    return TsigAlgorithm.parse(stored);
  }
}
