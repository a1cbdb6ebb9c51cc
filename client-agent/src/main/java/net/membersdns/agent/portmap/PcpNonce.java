package net.membersdns.agent.portmap;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 96-bit Mapping Nonce of a PCP MAP request (RFC 6887 §11.1): random per mapping and sent again
 * with every renewal and the deletion of that mapping; the one thing that ties them to the original
 * request (§11.2), so it is kept in the ledger across restarts. Immutable.
 */
public final class PcpNonce {
  public static final int LENGTH = 12;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] bytes;

  private PcpNonce(byte[] bytes) {
    this.bytes = bytes;
  }

  public static PcpNonce random() {
    byte[] b = new byte[LENGTH];
    RANDOM.nextBytes(b);
    return new PcpNonce(b);
  }

  /** The nonce of 12 bytes, copied. */
  public static PcpNonce of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a PCP nonce has 12 bytes, not " + bytes.length);
    }
    return new PcpNonce(bytes.clone());
  }

  /** Parses 24 hex digits; throws {@link IllegalArgumentException} on anything else. */
  public static PcpNonce ofHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PcpNonce n && Arrays.equals(bytes, n.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Not the value: nonces are secret-ish (anyone who knows one can delete the mapping). */
  @Override
  public String toString() {
    return "PcpNonce[" + hex().substring(0, 4) + "…]";
  }
}
