package net.membersdns.server.auth;

import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * The HMAC algorithms we verify and sign with (RFC 8945 §6, protocols.md §5.2). hmac-md5 is kept
 * for Apple clients, which sign with nothing else; new keys should use hmac-sha256.
 */
public enum TsigAlgorithm {
  HMAC_MD5("hmac-md5.sig-alg.reg.int.", "HmacMD5", 16),
  HMAC_SHA1("hmac-sha1.", "HmacSHA1", 20),
  HMAC_SHA224("hmac-sha224.", "HmacSHA224", 28),
  HMAC_SHA256("hmac-sha256.", "HmacSHA256", 32),
  HMAC_SHA384("hmac-sha384.", "HmacSHA384", 48),
  HMAC_SHA512("hmac-sha512.", "HmacSHA512", 64);

  private final Name wireName;
  private final String jcaName;
  private final int macLength;

  TsigAlgorithm(String wireName, String jcaName, int macLength) {
    this.wireName = Name.fromConstantString(wireName);
    this.jcaName = jcaName;
    this.macLength = macLength;
  }

  /** The algorithm name as we write it: lower case, which is also the form the MAC covers. */
  public Name wireName() {
    return wireName;
  }

  /** The JCA {@link javax.crypto.Mac} algorithm. */
  public String jcaName() {
    return jcaName;
  }

  /** Full HMAC output length in bytes. */
  public int macLength() {
    return macLength;
  }

  /**
   * The shortest MAC any receiver may accept: the larger of 10 bytes and half the output (RFC 8945
   * §5.2.2.1). Shorter, or longer than {@link #macLength()}, is a format error.
   */
  public int shortestMac() {
    return Math.max(10, macLength / 2);
  }

  /**
   * The algorithm with this wire name, compared case-insensitively (dnspython writes {@code
   * HMAC-MD5.SIG-ALG.REG.INT.}, protocols.md §5.3); empty for algorithms we do not implement.
   */
  public static Optional<TsigAlgorithm> fromName(Name name) {
    for (TsigAlgorithm a : values()) {
      if (a.wireName.equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * By presentation name such as {@code hmac-sha256} or {@code hmac-md5} (as nsupdate -y takes).
   */
  public static Optional<TsigAlgorithm> fromText(String text) {
    String t = text.endsWith(".") ? text : text + ".";
    if (t.equalsIgnoreCase("hmac-md5.")) {
      return Optional.of(HMAC_MD5);
    }
    try {
      return fromName(Name.fromString(t));
    } catch (org.xbill.DNS.TextParseException e) {
      return Optional.empty();
    }
  }
}
