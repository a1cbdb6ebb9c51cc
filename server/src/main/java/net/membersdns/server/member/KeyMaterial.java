package net.membersdns.server.member;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import net.membersdns.protocol.tsig.TsigAlgorithm;

/**
 * A TSIG secret and, when it was derived from a password, how (stored so the derivation can be
 * checked or repeated). BTMM derived keys from the account password; we keep that option but add a
 * random salt and a slow KDF.
 *
 * @param secret the HMAC key, {@link TsigAlgorithm#macLength()} long (RFC 2104 §3)
 * @param kdf {@code pbkdf2-hmac-sha256}, or {@code null} for a random secret
 * @param salt the KDF's salt, or {@code null}
 * @param iterations the KDF's iteration count, or {@code null}
 */
public record KeyMaterial(byte[] secret, String kdf, byte[] salt, Integer iterations) {
  public static final String PBKDF2 = "pbkdf2-hmac-sha256";

  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
  public static final int PBKDF2_ITERATIONS = 600_000;

  private static final int SALT_BYTES = 16;

  /** A random secret of the algorithm's hash length. */
  public static KeyMaterial random(TsigAlgorithm algorithm, SecureRandom random) {
    byte[] secret = new byte[algorithm.macLength()];
    random.nextBytes(secret);
    return new KeyMaterial(secret, null, null, null);
  }

  /** A secret derived from {@code password} with PBKDF2-HMAC-SHA256 and a fresh random salt. */
  public static KeyMaterial fromPassword(
      TsigAlgorithm algorithm, char[] password, SecureRandom random) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return new KeyMaterial(
        derive(password, salt, PBKDF2_ITERATIONS, algorithm.macLength()),
        PBKDF2,
        salt,
        PBKDF2_ITERATIONS);
  }

  /** PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) of {@code password}. */
  public static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyMaterial k
        && Arrays.equals(secret, k.secret)
        && java.util.Objects.equals(kdf, k.kdf)
        && Arrays.equals(salt, k.salt)
        && java.util.Objects.equals(iterations, k.iterations);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(secret);
  }

  @Override
  public String toString() {
    return "KeyMaterial[kdf=" + kdf + ", secret=(hidden)]";
  }
}
