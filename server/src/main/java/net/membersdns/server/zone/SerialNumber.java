package net.membersdns.server.zone;

/** SOA serial arithmetic of RFC 1982 (32-bit serial number space). */
public final class SerialNumber {
  private static final long MOD = 1L << 32;
  private static final long HALF = 1L << 31;

  private SerialNumber() {}

  /** RFC 1982 §3.1 addition of 1, wrapping at 2^32 (0 is a valid serial). */
  public static long next(long serial) {
    return (serial + 1) % MOD;
  }

  /**
   * RFC 1982 §3.2: whether {@code a} is greater than {@code b}. Undefined pairs (exactly 2^31
   * apart) compare as not greater.
   */
  public static boolean greaterThan(long a, long b) {
    return (a < b && (b - a) > HALF) || (a > b && (a - b) < HALF);
  }
}
