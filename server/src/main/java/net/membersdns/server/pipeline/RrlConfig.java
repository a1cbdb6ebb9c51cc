package net.membersdns.server.pipeline;

/**
 * Response rate limiting settings ({@code --rrl-rate}, {@code --rrl-slip}; README.md, Response rate
 * limiting).
 *
 * @param rate identical UDP responses per second per client network; 0 turns RRL off
 * @param slip every {@code slip}-th limited response goes out truncated (TC=1); 0 never, 1 always
 */
public record RrlConfig(int rate, int slip) {
  /**
   * The default rate: far above what real clients of one /24 or /56 ask for one name (resolvers
   * cache by TTL, hosts ask a handful of names), far below a flood (79,000/s were reflected before
   * RRL). BIND's documentation suggests 5-10 for large public zones; member zones have no such
   * traffic, so a generous 100 costs nothing and keeps shared NATs (CGNAT /24s) clear.
   */
  public static final int DEFAULT_RATE = 100;

  /** BIND's and Knot's default: every second limited response is truncated. */
  public static final int DEFAULT_SLIP = 2;

  public RrlConfig {
    if (rate < 0 || slip < 0) {
      throw new IllegalArgumentException("rrl rate " + rate + ", slip " + slip);
    }
  }

  public static RrlConfig defaults() {
    return new RrlConfig(DEFAULT_RATE, DEFAULT_SLIP);
  }

  /** Whether responses are limited at all. */
  public boolean enabled() {
    return rate > 0;
  }
}
