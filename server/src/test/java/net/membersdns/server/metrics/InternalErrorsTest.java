package net.membersdns.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Both request loops' {@code dns.internal.errors} exist at zero from the start, so the dashboard's
 * internal-errors panel shows 0 on a healthy server instead of no data (DashboardQueriesIT).
 */
class InternalErrorsTest {
  @Test
  void eachLoopsCounterIsRegisteredAtZeroByItsOwner() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new DnsMetrics(registry);
    new UpdateMetrics(registry);
    for (String loop : new String[] {"dispatcher", "committer"}) {
      assertThat(registry.get("dns.internal.errors").tag("loop", loop).counter().count())
          .as(loop)
          .isZero();
    }
    DnsMetrics.internalError(registry, "committer");
    assertThat(registry.get("dns.internal.errors").tag("loop", "committer").counter().count())
        .isEqualTo(1);
  }
}
