package net.membersdns.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import net.membersdns.server.metrics.TransportMetrics.Limit;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {
  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void refusesPastThePerClientLimitAndCountsAgainAfterRelease() throws Exception {
    ConnectionLimiter limiter = new ConnectionLimiter(10, 2);
    assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEmpty();
    assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEmpty();
    assertThat(limiter.tryAcquire(ip("192.0.2.1"))).contains(Limit.PER_ADDRESS);
    assertThat(limiter.tryAcquire(ip("192.0.2.2"))).isEmpty();
    assertThat(limiter.open()).isEqualTo(3);

    limiter.release(ip("192.0.2.1"));
    assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEmpty();
  }

  @Test
  void refusesPastTheTotalLimit() throws Exception {
    ConnectionLimiter limiter = new ConnectionLimiter(2, 5);
    assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEmpty();
    assertThat(limiter.tryAcquire(ip("192.0.2.2"))).isEmpty();
    assertThat(limiter.tryAcquire(ip("192.0.2.3"))).contains(Limit.TOTAL);
    assertThat(limiter.open()).isEqualTo(2);
    limiter.release(ip("192.0.2.2"));
    assertThat(limiter.tryAcquire(ip("192.0.2.3"))).isEmpty();
  }

  @Test
  void countsAnIpv6ClientByItsSlash64() throws Exception {
    ConnectionLimiter limiter = new ConnectionLimiter(10, 1);
    assertThat(limiter.tryAcquire(ip("2001:db8:1:2::1"))).isEmpty();
    assertThat(limiter.tryAcquire(ip("2001:db8:1:2:ffff::9"))).contains(Limit.PER_ADDRESS);
    assertThat(limiter.tryAcquire(ip("2001:db8:1:3::1"))).isEmpty();
  }

  @Test
  void forgetsAClientOnceAllItsConnectionsClosed() throws Exception {
    ConnectionLimiter limiter = new ConnectionLimiter(10, 3);
    limiter.tryAcquire(ip("192.0.2.1"));
    limiter.release(ip("192.0.2.1"));
    assertThat(limiter.open()).isZero();
    assertThat(limiter.tryAcquire(ip("192.0.2.1"))).isEmpty();
  }
}
