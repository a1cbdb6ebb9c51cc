package net.membersdns.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of response rate limiting: {@code dns.rrl.limited} counts every UDP response over the
 * rate (dropped or slipped), {@code dns.rrl.slipped} those of them sent as an empty TC=1 reply.
 * Registered at zero, so their rates read 0 rather than no data on a server never flooded.
 */
public final class RrlMetrics {
  private final Counter limited;
  private final Counter slipped;

  public RrlMetrics(MeterRegistry registry) {
    this.limited =
        Counter.builder("dns.rrl.limited")
            .description("UDP responses over the response rate limit: dropped or slipped")
            .register(registry);
    this.slipped =
        Counter.builder("dns.rrl.slipped")
            .description("rate-limited UDP responses sent as an empty truncated (TC=1) reply")
            .register(registry);
  }

  /** One response over the rate; {@code slipped} when it went out truncated. */
  public void limited(boolean slipped) {
    limited.increment();
    if (slipped) {
      this.slipped.increment();
    }
  }
}
