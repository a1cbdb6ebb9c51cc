package net.membersdns.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.membersdns.server.config.ServerConfig.TcpLimits;
import net.membersdns.server.config.ServerConfig.TlsConfig;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.pipeline.RequestDispatcher;
import net.membersdns.server.query.AnswerCache;
import net.membersdns.server.query.Lookup;
import net.membersdns.server.query.QueryHandler;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.transport.DnsServer;
import net.membersdns.server.transport.TlsContextFactory;
import net.membersdns.server.zone.ServedZones;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up runs the real transport and query path: every question answered over UDP and TCP,
 * answers, NODATA and NXDOMAIN among them, and the answer cache filled for the first clients.
 */
class QueryWarmUpIT {
  @TempDir Path dataDir;

  @Test
  void answersEveryQuestionThroughTheRealPathAndFillsTheCache() throws Exception {
    ServedZones zones = new ServedZones();
    for (int i = 0; i < 20; i++) {
      zones.put(
          Zones.member(
              "m" + i,
              1,
              """
              mbp AAAA fd12:3456:789a:1::1
              _autotunnel._udp.mbp 120 SRV 0 0 4500 _autotunnel.mbp
              _autotunnel.mbp A 203.0.113.7
              """));
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DnsMetrics metrics = new DnsMetrics(registry);
    AnswerCache cache = new AnswerCache(zones, 1 << 20);
    RequestDispatcher dispatcher =
        new RequestDispatcher(
            new QueryHandler(new Lookup(zones)), cache, metrics, Clock.systemUTC());
    SslContext tls =
        TlsContextFactory.create(
            new TlsConfig(Optional.empty(), Optional.empty()), dataDir, "dns.members.example");
    InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
    DnsServer server =
        new DnsServer(
            loopback,
            loopback,
            1,
            new TcpLimits(Duration.ofSeconds(10), 100, 20),
            tls,
            dispatcher,
            new TransportMetrics(metrics));
    server.start();
    List<byte[]> questions = WarmUpQuestions.from(zones, 10_000);
    QueryWarmUp.Result r;
    try {
      r =
          QueryWarmUp.run(
              server.udpAddress(), server.tcpAddress(), questions, 3, Duration.ofSeconds(30));
    } finally {
      server.stop();
    }
    assertThat(questions).hasSize(20 * 7);
    assertThat(r.passes()).isBetween(1, 3);
    assertThat(r.answered()).isEqualTo(r.sent());
    assertThat(r.sent()).isEqualTo((long) questions.size() * r.passes() + questions.size());
    assertThat(count(registry, "noerror", "udp")).isGreaterThan(0);
    assertThat(count(registry, "nxdomain", "udp")).isEqualTo(20L * r.passes());
    assertThat(count(registry, "noerror", "tcp") + count(registry, "nxdomain", "tcp"))
        .isEqualTo(questions.size());
    // Every question is a plain query about our zones: all of them may be replayed.
    assertThat(cache.size()).isEqualTo(questions.size());
  }

  private static long count(SimpleMeterRegistry registry, String rcode, String transport) {
    return registry
        .find("dns.requests")
        .tag("rcode", rcode)
        .tag("transport", transport)
        .timers()
        .stream()
        .mapToLong(Timer::count)
        .sum();
  }
}
