package net.membersdns.server.pipeline;

/**
 * Response rate limiting settings ({@code --rrl-rate}, {@code --rrl-slip}; README.md, Response rate
 * limiting).
 *
 * @param rate identical UDP responses per second per client network; 0 turns RRL off
 * @param slip every {@code slip}-th limited response goes out truncated (TC=1); 0 never, 1 always
 * @param ipv4PrefixLength leading bits of an IPv4 client address that make its network (0-32)
 * @param ipv6PrefixLength leading bits of an IPv6 client address that make its network (0-128)
 */
public record RrlConfig(int rate, int slip, int ipv4PrefixLength, int ipv6PrefixLength) {
  /**
   * The default rate: far above what real clients of one /24 or /56 ask for one name (resolvers
   * cache by TTL, hosts ask a handful of names), far below a flood (79,000/s were reflected before
   * RRL). BIND's documentation suggests 5-10 for large public zones; member zones have no such
   * traffic, so a generous 100 costs nothing and keeps shared NATs (CGNAT /24s) clear.
   */
  public static final int DEFAULT_RATE = 100;

  /** BIND's and Knot's default: every second limited response is truncated. */
  public static final int DEFAULT_SLIP = 2;

  /**
   * BIND's and Knot's defaults: a /24 or a /56 is one site (one customer of an ISP), so a flood
   * forged over a whole subnet still fills one bucket. A host-sized prefix (32, 128) limits each
   * address on its own.
   */
  public static final int DEFAULT_IPV4_PREFIX_LENGTH = 24;

  public static final int DEFAULT_IPV6_PREFIX_LENGTH = 56;

  public RrlConfig {
    if (rate < 0 || slip < 0) {
      throw new IllegalArgumentException("rrl rate " + rate + ", slip " + slip);
    }
    if (ipv4PrefixLength < 0 || ipv4PrefixLength > 32) {
      throw new IllegalArgumentException("rrl IPv4 prefix length " + ipv4PrefixLength);
    }
    if (ipv6PrefixLength < 0 || ipv6PrefixLength > 128) {
      throw new IllegalArgumentException("rrl IPv6 prefix length " + ipv6PrefixLength);
    }
  }

  /** With the default client network prefixes. */
  public RrlConfig(int rate, int slip) {
    this(rate, slip, DEFAULT_IPV4_PREFIX_LENGTH, DEFAULT_IPV6_PREFIX_LENGTH);
  }

  public static RrlConfig defaults() {
    return new RrlConfig(DEFAULT_RATE, DEFAULT_SLIP);
  }

  /** Whether responses are limited at all. */
  public boolean enabled() {
    return rate > 0;
  }
}
