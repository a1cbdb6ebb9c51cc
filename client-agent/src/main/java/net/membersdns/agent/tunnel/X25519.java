package net.membersdns.agent.tunnel;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * The X25519 function of RFC 7748 §5 on 32-byte little-endian strings, computed by the JDK's {@code
 * XDH} provider (no own field arithmetic). WireGuard's static keys are X25519 keys: the public key
 * is {@code X25519(k, 9)}, the base point of §4.1.
 *
 * <p>The JDK takes the scalar as its raw little-endian bytes and clamps it itself ({@code
 * decodeScalar25519}), but it takes the u-coordinate as a {@link BigInteger}: that is where the
 * byte order and the masking of bit 255 (§5: "implementations of X25519 MUST mask the most
 * significant bit in the final byte") are done here. Stateless and thread-safe.
 */
public final class X25519 {
  /** The u-coordinate of the base point, 9, encoded (RFC 7748 §4.1). */
  private static final byte[] BASE_POINT = new byte[WgKey.LENGTH];

  static {
    BASE_POINT[0] = 9;
  }

  private X25519() {}

  /**
   * Clamps 32 random bytes into an X25519 private key the way RFC 7748 §5 decodes scalars and
   * {@code wg genkey} stores them: clear the 3 low bits and bit 255, set bit 254.
   */
  public static byte[] clamp(byte[] scalar) {
    requireLength(scalar, "scalar");
    byte[] k = scalar.clone();
    k[0] &= (byte) 248;
    k[31] &= 127;
    k[31] |= 64;
    return k;
  }

  /** {@code X25519(k, 9)}: the public key of private key {@code k}. */
  public static byte[] publicKey(byte[] k) {
    return scalarMult(k, BASE_POINT);
  }

  /**
   * {@code X25519(k, u)} (RFC 7748 §5), e.g. the shared secret of §6.1.
   *
   * @throws IllegalArgumentException when the result is all zeros (a small-order {@code u}, §6.1
   *     "check ... all-zero value"), which the JDK refuses and WireGuard must too
   */
  public static byte[] scalarMult(byte[] k, byte[] u) {
    requireLength(k, "scalar");
    requireLength(u, "u-coordinate");
    try {
      KeyFactory factory = KeyFactory.getInstance("XDH");
      PrivateKey priv =
          factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, k.clone()));
      PublicKey pub =
          factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(u)));
      KeyAgreement agreement = KeyAgreement.getInstance("X25519");
      agreement.init(priv);
      agreement.doPhase(pub, true);
      return agreement.generateSecret();
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("X25519 refused the input: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      // X25519 is mandatory in every JDK since 11: its absence is a broken runtime, not input
      throw new IllegalStateException("the JDK has no X25519", e);
    }
  }

  /** RFC 7748 §5 decodeUCoordinate: little-endian, bit 255 masked. */
  static BigInteger decodeU(byte[] u) {
    byte[] bigEndian = new byte[u.length];
    for (int i = 0; i < u.length; i++) {
      bigEndian[i] = u[u.length - 1 - i];
    }
    bigEndian[0] &= 127;
    return new BigInteger(1, bigEndian);
  }

  private static void requireLength(byte[] b, String what) {
    if (b.length != WgKey.LENGTH) {
      throw new IllegalArgumentException("an X25519 " + what + " has 32 bytes, not " + b.length);
    }
  }
}
