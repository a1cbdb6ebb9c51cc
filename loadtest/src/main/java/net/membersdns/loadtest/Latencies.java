package net.membersdns.loadtest;

import java.util.Arrays;

/** Latency samples in microseconds; thread-safe, bounded (later samples are dropped). */
final class Latencies {
  private final long[] samples;
  private int size;
  private long dropped;

  Latencies(int capacity) {
    samples = new long[capacity];
  }

  synchronized void record(long nanos) {
    if (size < samples.length) {
      samples[size++] = nanos / 1000;
    } else {
      dropped++;
    }
  }

  synchronized int count() {
    return size;
  }

  /** The {@code q}-quantile (0..1) in milliseconds, or NaN without samples. */
  synchronized double percentileMillis(double q) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] s = Arrays.copyOf(samples, size);
    Arrays.sort(s);
    int i = (int) Math.min(size - 1, Math.max(0, Math.ceil(q * size) - 1));
    return s[i] / 1000.0;
  }

  synchronized String summary() {
    return String.format(
        "n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms%s",
        size,
        percentileMillis(0.5),
        percentileMillis(0.9),
        percentileMillis(0.99),
        percentileMillis(1.0),
        dropped > 0 ? " (" + dropped + " samples over capacity not kept)" : "");
  }
}
