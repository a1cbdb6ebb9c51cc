package net.membersdns.server.pipeline;

import java.net.InetAddress;
import java.util.function.LongSupplier;

/**
 * Response rate limiting (RRL), as BIND and Knot define it: a UDP server must not be usable to
 * reflect and amplify traffic at a forged source address, so identical responses to one client
 * network are limited to {@code rate} per second (a token bucket per {@link RrlKey}: refilled
 * continuously at {@code rate} per second, holding at most one second's worth). Over the rate,
 * every {@code slip}-th limited response is sent as an empty truncated reply (TC=1, question only),
 * so a real client behind the flooded network retries over TCP, which cannot be forged (RFC 7766
 * §1); the rest are dropped. {@code slip} 0 drops them all, 1 truncates them all.
 *
 * <p>The buckets live in a fixed-size table ({@link #ENTRIES} entries, 4-way set associative, about
 * 1.8 MiB), so a flood of random source addresses replaces the least recently refilled entry of a
 * set and never grows memory. Thread-safe (a lock per stripe of sets); the check allocates nothing
 * for IPv4 clients.
 */
public final class ResponseRateLimiter {
  /** What to do with one response. */
  public enum Verdict {
    SEND,
    DROP,
    SLIP
  }

  /** Buckets held; a power of two. */
  static final int ENTRIES = 1 << 16;

  private static final int WAYS = 4;
  private static final int STRIPES = 64;
  private static final long MILLI = 1000;

  private final int rate;
  private final int slip;
  private final int ipv4PrefixBits;
  private final int ipv6PrefixBits;
  private final LongSupplier millis;
  private final int setMask;
  private final long[] keys = new long[ENTRIES];
  private final long[] tokens = new long[ENTRIES]; // thousandths of a response
  private final long[] stamps = new long[ENTRIES]; // millis of the last refill
  private final int[] limited = new int[ENTRIES]; // limited responses since the bucket began
  private final Object[] stripes = new Object[STRIPES];

  /**
   * @param config rate, slip and client network prefixes ({@code --rrl-*}); its rate at least 1
   * @param millis a monotonic clock in milliseconds
   */
  public ResponseRateLimiter(RrlConfig config, LongSupplier millis) {
    if (config.rate() < 1) {
      throw new IllegalArgumentException("rate " + config.rate());
    }
    this.rate = config.rate();
    this.slip = config.slip();
    this.ipv4PrefixBits = config.ipv4PrefixLength();
    this.ipv6PrefixBits = config.ipv6PrefixLength();
    this.millis = millis;
    this.setMask = ENTRIES / WAYS - 1;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
  }

  /** With the default client network prefixes (/24, /56). */
  public ResponseRateLimiter(int rate, int slip, LongSupplier millis) {
    this(new RrlConfig(rate, slip), millis);
  }

  /** With the JVM's monotonic clock. */
  public ResponseRateLimiter(RrlConfig config) {
    this(config, () -> System.nanoTime() / 1_000_000);
  }

  /** Counts {@code response} (rendered) to {@code client} and says whether it may go out. */
  public Verdict check(InetAddress client, byte[] response) {
    long network = RrlKey.network(client, ipv4PrefixBits, ipv6PrefixBits);
    return check(RrlKey.of(network, response, RrlKey.classify(response)));
  }

  Verdict check(long key) {
    long now = millis.getAsLong();
    int set = (int) (key ^ (key >>> 32)) & setMask;
    int base = set * WAYS;
    synchronized (stripes[set & (STRIPES - 1)]) {
      int slot = -1;
      int victim = -1; // an empty way, else the least recently refilled
      for (int i = base; i < base + WAYS; i++) {
        if (keys[i] == key) {
          slot = i;
          break;
        }
        if (victim < 0 || keys[victim] != 0 && (keys[i] == 0 || stamps[i] < stamps[victim])) {
          victim = i;
        }
      }
      long capacity = rate * MILLI;
      if (slot < 0) {
        // A new bucket, full but for this response; it replaces the stalest of the set.
        keys[victim] = key;
        tokens[victim] = capacity - MILLI;
        stamps[victim] = now;
        limited[victim] = 0;
        return Verdict.SEND;
      }
      long elapsed = now - stamps[slot];
      if (elapsed > 0) {
        tokens[slot] = Math.min(capacity, tokens[slot] + elapsed * rate);
        stamps[slot] = now;
      } else if (elapsed < 0) {
        stamps[slot] = now; // never on a monotonic clock; refill nothing rather than stall
      }
      if (tokens[slot] >= MILLI) {
        tokens[slot] -= MILLI;
        return Verdict.SEND;
      }
      int n = ++limited[slot];
      if (n == Integer.MAX_VALUE) {
        limited[slot] = 0;
      }
      return slip > 0 && n % slip == 0 ? Verdict.SLIP : Verdict.DROP;
    }
  }

  /**
   * The truncated stand-in for a limited {@code response}: its header with TC set and its question,
   * no records (no OPT either: smaller than the query, so nothing to amplify).
   */
  public static byte[] slipped(byte[] response) {
    int end = Math.min(response.length, 12);
    int qd = response.length >= 12 ? ((response[4] & 0xFF) << 8) | (response[5] & 0xFF) : 0;
    int pos = 12;
    for (int i = 0; i < qd && pos > 0; i++) {
      pos = RrlKey.skipName(response, pos);
      pos = pos < 0 || pos + 4 > response.length ? -1 : pos + 4;
    }
    if (pos > 0 && qd > 0) {
      end = pos;
    } else {
      qd = 0;
    }
    byte[] out = java.util.Arrays.copyOf(response, end);
    if (end >= 12) {
      out[2] |= 0x02; // TC (RFC 1035 §4.1.1)
      out[4] = (byte) (qd >> 8);
      out[5] = (byte) qd;
      for (int i = 6; i < 12; i++) {
        out[i] = 0;
      }
    }
    return out;
  }
}
