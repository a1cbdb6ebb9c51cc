package net.membersdns.server.member;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The HMAC algorithms enrolment makes keys for (RFC 8945 §6). MD5 stays for Apple clients (they
 * sign with nothing else); new keys default to SHA-256.
 */
public enum TsigAlgorithm {
  HMAC_MD5("hmac-md5", "hmac-md5.sig-alg.reg.int.", 16),
  HMAC_SHA256("hmac-sha256", "hmac-sha256.", 32),
  HMAC_SHA512("hmac-sha512", "hmac-sha512.", 64);

  private final String cliName;
  private final String dnsName;
  private final int secretBytes;

  TsigAlgorithm(String cliName, String dnsName, int secretBytes) {
    this.cliName = cliName;
    this.dnsName = dnsName;
    this.secretBytes = secretBytes;
  }

  /** The spelling {@code nsupdate -y} and the CLI take, e.g. {@code hmac-sha256}. */
  public String cliName() {
    return cliName;
  }

  /** The algorithm name on the wire and in {@code tsig_keys.algorithm}, as dnsjava spells it. */
  public String dnsName() {
    return dnsName;
  }

  /** Secret length: the hash's output length (RFC 2104 §3 recommends at least that). */
  public int secretBytes() {
    return secretBytes;
  }

  /** Parses the CLI spelling (case-insensitive). */
  public static TsigAlgorithm fromCliName(String name) {
    for (TsigAlgorithm a : values()) {
      if (a.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown algorithm '"
            + name
            + "' (expected one of "
            + Arrays.stream(values()).map(TsigAlgorithm::cliName).collect(Collectors.joining(", "))
            + ")");
  }

  /** Parses the stored (dnsjava) name. */
  public static TsigAlgorithm fromDnsName(String name) {
    for (TsigAlgorithm a : values()) {
      if (a.dnsName.equalsIgnoreCase(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown algorithm " + name);
  }
}
