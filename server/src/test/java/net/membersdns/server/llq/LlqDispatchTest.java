package net.membersdns.server.llq;

import static net.membersdns.server.llq.LlqHarness.ALICE;
import static net.membersdns.server.llq.LlqHarness.first;
import static net.membersdns.server.llq.LlqHarness.query;
import static net.membersdns.server.llq.LlqHarness.setup;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.pipeline.RequestDispatcher;
import net.membersdns.server.query.AnswerCache;
import net.membersdns.server.query.Lookup;
import net.membersdns.server.query.QueryHandler;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Responder;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.Zones;
import net.membersdns.server.zone.ServedZones;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** How LLQ messages travel through the {@link RequestDispatcher}. */
class LlqDispatchTest {
  private final ServedZones zones =
      Zones.served(LlqHarness.alice("mbp AAAA fd12:3456:789a:1::1\n"), Zones.domain(1, ""));
  private final LlqHarness h = new LlqHarness(zones);
  private final LlqHarness.UdpPeer udp = h.new UdpPeer("192.0.2.10", 5353);

  @Test
  void anLlqQueryIsNeverAnsweredFromTheAnswerCache() {
    Message plain = query(1, "mbp.alice.members.example.", Type.AAAA);
    udp.send(plain.toWire());
    udp.send(plain.toWire()); // now cached
    Message challenge =
        udp.send(h.wire(query(2, "mbp.alice.members.example.", Type.AAAA, setup(0, 7200)), ALICE));
    assertThat(first(challenge)).isPresent();
    assertThat(challenge.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void withoutTheLlqServiceTheOptionIsIgnoredLikeAnyUnknownOption() {
    RequestDispatcher plain =
        new RequestDispatcher(
            new QueryHandler(new Lookup(zones)),
            new AnswerCache(zones, 1 << 20),
            new DnsMetrics(new SimpleMeterRegistry()),
            h.clock);
    List<byte[]> out = new ArrayList<>();
    Responder r =
        new Responder() {
          @Override
          public void respond(byte[] wire) {
            out.add(wire);
          }

          @Override
          public void drop() {}
        };
    plain.handle(
        new DnsRequest(
            query(3, "mbp.alice.members.example.", Type.AAAA, setup(0, 7200)).toWire(),
            new InetSocketAddress("192.0.2.1", 1),
            Transport.UDP,
            System.nanoTime()),
        r);
    Message m = LlqHarness.parse(out.get(0));
    assertThat(m.getSection(Section.ANSWER)).hasSize(1);
    assertThat(LlqHarness.llq(m)).isEmpty();
  }

  @Test
  void garbageNeverThrows() {
    byte[] wire = h.wire(query(4, "mbp.alice.members.example.", Type.AAAA, setup(0, 7200)), ALICE);
    for (int cut = 12; cut < wire.length; cut += 3) {
      byte[] part = java.util.Arrays.copyOf(wire, cut);
      udp.send(part);
      part[2] |= (byte) 0x80; // and as a "response"
      udp.send(part);
    }
    assertThat(h.registry.size()).isLessThanOrEqualTo(1);
  }
}
