package net.membersdns.server.zone;

/** SOA serial arithmetic of RFC 1982 (32-bit serial number space). */
public final class SerialNumber {
  /** Serials are taken modulo 2^32 (RFC 1982 §2: SERIAL_BITS 32, RFC 1035 §3.3.13). */
  public static final long MODULUS = 1L << 32;

  private static final long MOD = MODULUS;
  private static final long HALF = 1L << 31;

  private SerialNumber() {}

  /**
   * RFC 1982 §3.1 addition of 1, wrapping at 2^32 (0 is a valid serial): the one rule for a zone's
   * next serial ({@link #nextSql} is the same rule for statements that bump it in the store).
   */
  public static long next(long serial) {
    return (serial + 1) % MOD;
  }

  /** {@link #next} as an SQL expression over the column (or expression) {@code serial}. */
  public static String nextSql(String serial) {
    return "(" + serial + " + 1) % " + MOD;
  }

  /**
   * RFC 1982 §3.2: whether {@code a} is greater than {@code b}. Undefined pairs (exactly 2^31
   * apart) compare as not greater.
   */
  public static boolean greaterThan(long a, long b) {
    return (a < b && (b - a) > HALF) || (a > b && (a - b) < HALF);
  }
}
