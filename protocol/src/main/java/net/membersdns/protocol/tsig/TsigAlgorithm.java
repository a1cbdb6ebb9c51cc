package net.membersdns.protocol.tsig;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The HMAC algorithms of TSIG (RFC 8945 §6) that both sides of membersdns speak. hmac-md5 stays for
 * Apple clients, which sign with nothing else; new keys default to hmac-sha256.
 *
 * <p>Every algorithm has two spellings: the presentation name {@code nsupdate -y} and our key lines
 * use ({@code hmac-sha256}), and the wire name in the TSIG RR ({@code hmac-sha256.}; for MD5 the
 * historical {@code hmac-md5.sig-alg.reg.int.}, RFC 8945 §6).
 */
public enum TsigAlgorithm {
  HMAC_MD5("hmac-md5", "hmac-md5.sig-alg.reg.int.", "HmacMD5", 16),
  HMAC_SHA1("hmac-sha1", "hmac-sha1.", "HmacSHA1", 20),
  HMAC_SHA224("hmac-sha224", "hmac-sha224.", "HmacSHA224", 28),
  HMAC_SHA256("hmac-sha256", "hmac-sha256.", "HmacSHA256", 32),
  HMAC_SHA384("hmac-sha384", "hmac-sha384.", "HmacSHA384", 48),
  HMAC_SHA512("hmac-sha512", "hmac-sha512.", "HmacSHA512", 64);

  private final String presentationName;
  private final Name wireName;
  private final String jcaName;
  private final int macLength;

  TsigAlgorithm(String presentationName, String wireName, String jcaName, int macLength) {
    this.presentationName = presentationName;
    this.wireName = Name.fromConstantString(wireName);
    this.jcaName = jcaName;
    this.macLength = macLength;
  }

  /** The spelling of key lines and {@code nsupdate -y}, e.g. {@code hmac-sha256}. */
  public String presentationName() {
    return presentationName;
  }

  /** The algorithm name in the TSIG RR, lower case (the form the MAC covers, RFC 8945 §4.3.3). */
  public Name wireName() {
    return wireName;
  }

  /** The JCA {@link javax.crypto.Mac} algorithm. */
  public String jcaName() {
    return jcaName;
  }

  /** Full HMAC output length in bytes; also the secret length new keys get (RFC 2104 §3). */
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
   * HMAC-MD5.SIG-ALG.REG.INT.}); empty for algorithms we do not implement.
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
   * By either spelling, case-insensitively, with or without the trailing dot: {@code hmac-sha256},
   * {@code HMAC-SHA256.}, {@code hmac-md5}, {@code hmac-md5.sig-alg.reg.int.}.
   */
  public static Optional<TsigAlgorithm> fromText(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    for (TsigAlgorithm a : values()) {
      if (a.presentationName.equals(t) || a.presentationName.concat(".").equals(t)) {
        return Optional.of(a);
      }
    }
    try {
      return fromName(Name.fromString(t.endsWith(".") ? t : t + "."));
    } catch (TextParseException e) {
      return Optional.empty();
    }
  }

  /** Like {@link #fromText} but with a readable refusal naming the accepted spellings. */
  public static TsigAlgorithm parse(String text) {
    return fromText(text)
        .orElseThrow(() ->
            new IllegalArgumentException(
                "unknown TSIG algorithm '"
                    + text
                    + "' (expected one of "
                    + Arrays.stream(values())
                        .map(TsigAlgorithm::presentationName)
                        .collect(Collectors.joining(", "))
                    + ")"));
  }

  @Override
  public String toString() {
    return presentationName;
  }
}
