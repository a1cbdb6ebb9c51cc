package net.membersdns.server.metrics;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The histogram buckets of the latencies that are well under a millisecond: answering a request
 * ({@code dns.requests}, about 0.1 ms from decode to hand-off) and pushing an LLQ event ({@code
 * dns.llq.push.latency}). Micrometer's default timer buckets start at 1 ms, so every p50 and p99
 * read from them was a bucket bound; these start at 10 µs, 1-2.5-5 per decade up to 10 s (19
 * buckets plus +Inf per tag combination), so quantiles interpolate within a factor of 2.5.
 */
public final class LatencyBuckets {
  private LatencyBuckets() {}

  static final Duration[] BOUNDS = bounds();

  private static Duration[] bounds() {
    Duration[] out = new Duration[19];
    long base = 10_000; // 10 µs in ns; then 25 and 50 µs, and so on each decade
    int i = 0;
    while (i < out.length) {
      out[i++] = Duration.ofNanos(base);
      if (i < out.length) {
        out[i++] = Duration.ofNanos(base * 25 / 10);
      }
      if (i < out.length) {
        out[i++] = Duration.ofNanos(base * 5);
      }
      base *= 10;
    }
    return out;
  }

  /** {@code builder} with these buckets (and no Micrometer percentile histogram). */
  public static Timer.Builder of(Timer.Builder builder) {
    return builder
        .serviceLevelObjectives(BOUNDS)
        .minimumExpectedValue(BOUNDS[0])
        .maximumExpectedValue(BOUNDS[BOUNDS.length - 1]);
  }
}
