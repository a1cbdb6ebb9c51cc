package net.membersdns.agent.tunnel;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * This host's WireGuard static key pair. The private key never leaves the host (it goes to the
 * device and the key file only); the public key is published in the host's TXT record as {@code
 * wg=<base64>} ({@link #txt()}).
 *
 * @param privateKey clamped X25519 scalar (RFC 7748 §5)
 * @param publicKey {@code X25519(privateKey, 9)}
 */
public record KeyPair(WgKey privateKey, WgKey publicKey) {
  /** Prefix of the TXT string that publishes the public key. */
  public static final String TXT_PREFIX = "wg=";

  public KeyPair {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
  }

  /** A fresh pair: 32 bytes from {@code random}, clamped as {@code wg genkey} does. */
  public static KeyPair generate(SecureRandom random) {
    byte[] k = new byte[WgKey.LENGTH];
    random.nextBytes(k);
    return fromPrivate(WgKey.of(X25519.clamp(k)));
  }

  /**
   * The pair of a private key. The private key is kept as given; the public key is derived with the
   * scalar clamped, so an unclamped key gives the same public key as {@code wg pubkey} does.
   */
  public static KeyPair fromPrivate(WgKey privateKey) {
    return new KeyPair(privateKey, WgKey.of(X25519.publicKey(privateKey.bytes())));
  }

  /** The TXT string that publishes the public key: {@code wg=<base64>}. */
  public String txt() {
    return TXT_PREFIX + publicKey.base64();
  }

  /** Shows the public key only. */
  @Override
  public String toString() {
    return "KeyPair[public " + publicKey.base64() + "]";
  }
}
