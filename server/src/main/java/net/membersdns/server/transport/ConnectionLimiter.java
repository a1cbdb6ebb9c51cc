package net.membersdns.server.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.membersdns.server.metrics.TransportMetrics.Limit;

/**
 * Counts open TCP and TLS connections, in total and per client, and refuses those past the limits
 * (RFC 7766 §6.2.2: bound connections per client). An IPv6 client is counted by its /64, since a
 * single host usually owns the whole prefix and could otherwise dodge the limit by changing
 * addresses. Thread-safe; shared by all listeners and event loops.
 */
final class ConnectionLimiter {
  private final int maxTotal;
  private final int maxPerClient;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

  ConnectionLimiter(int maxTotal, int maxPerClient) {
    if (maxTotal < 1 || maxPerClient < 1) {
      throw new IllegalArgumentException("connection limits must be at least 1");
    }
    this.maxTotal = maxTotal;
    this.maxPerClient = maxPerClient;
  }

  /**
   * Counts a new connection from {@code address}, or refuses it. A connection that was accepted
   * must be {@link #release}d exactly once when it closes.
   *
   * @return empty if accepted, else the limit that refused it (nothing counted then)
   */
  Optional<Limit> tryAcquire(InetAddress address) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      return Optional.of(Limit.TOTAL);
    }
    boolean[] accepted = {false};
    perClient.compute(
        clientKey(address),
        (k, n) -> {
          int count = n == null ? 0 : n;
          if (count >= maxPerClient) {
            return n;
          }
          accepted[0] = true;
          return count + 1;
        });
    if (!accepted[0]) {
      total.decrementAndGet();
      return Optional.of(Limit.PER_ADDRESS);
    }
    return Optional.empty();
  }

  void release(InetAddress address) {
    perClient.computeIfPresent(clientKey(address), (k, n) -> n <= 1 ? null : n - 1);
    total.decrementAndGet();
  }

  int open() {
    return total.get();
  }

  /** The address itself for IPv4, its /64 prefix for IPv6. */
  static InetAddress clientKey(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] bytes = Arrays.copyOf(address.getAddress(), 16);
    Arrays.fill(bytes, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("16 bytes are always a valid IPv6 address", e);
    }
  }
}
