package net.membersdns.agent.tunnel;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A 32-byte WireGuard key (an X25519 private scalar or public u-coordinate, RFC 7748 §5, in its
 * little-endian encoding). Two spellings exist: base64 as {@code wg} and the TXT record {@code
 * wg=<base64>} use it, and lowercase hex as the cross-platform UAPI uses it.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows only a prefix so that a private key never
 * lands whole in a log by accident; ask for {@link #base64()} or {@link #hex()} explicitly.
 */
public final class WgKey {
  /** Length of every WireGuard key in bytes (RFC 7748 §5: 32 bytes for X25519). */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private WgKey(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a WireGuard key has 32 bytes, not " + bytes.length);
    }
    this.bytes = bytes;
  }

  /** A key from its 32 raw bytes (copied). */
  public static WgKey of(byte[] bytes) {
    return new WgKey(bytes.clone());
  }

  /**
   * Parses the base64 form ({@code wg genkey}, {@code wg pubkey}, the TXT record).
   *
   * @throws IllegalArgumentException if it is not base64 of exactly 32 bytes
   */
  public static WgKey fromBase64(String base64) {
    byte[] b;
    try {
      b = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a base64 WireGuard key: " + e.getMessage(), e);
    }
    return new WgKey(b);
  }

  /**
   * Parses the UAPI hex form (64 hex digits).
   *
   * @throws IllegalArgumentException if it is not 64 hex digits
   */
  public static WgKey fromHex(String hex) {
    if (hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("a hex WireGuard key has 64 digits, not " + hex.length());
    }
    try {
      return new WgKey(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex WireGuard key: " + e.getMessage(), e);
    }
  }

  /** A copy of the 32 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  public String hex() {
    return HEX.formatHex(bytes);
  }

  /** Whether all 32 bytes are zero (UAPI's way of saying "no preshared key" or "no key"). */
  public boolean isZero() {
    int or = 0;
    for (byte b : bytes) {
      or |= b;
    }
    return or == 0;
  }

  @Override
  public boolean equals(Object o) {
    // constant time: one of the two may be a private key
    return o instanceof WgKey k && MessageDigest.isEqual(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The first 8 base64 characters and an ellipsis, as {@code wg}'s own short form. */
  @Override
  public String toString() {
    return base64().substring(0, 8) + "…";
  }
}
