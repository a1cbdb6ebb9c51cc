package net.membersdns.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.request.DatagramSender;
import net.membersdns.server.request.Responder;
import org.junit.jupiter.api.Test;

/** What a UDP request's responder hands out to keep: the socket, not the request. */
class UdpDnsHandlerTest {
  private final List<Responder> responders = new ArrayList<>();
  private final EmbeddedChannel channel =
      new EmbeddedChannel(
          new UdpDnsHandler(
              (request, responder) -> responders.add(responder),
              new TransportMetrics(new DnsMetrics(new SimpleMeterRegistry()))));

  private void receive(String ip, int port) {
    channel.writeInbound(
        new DatagramPacket(
            Unpooled.wrappedBuffer(new byte[12]),
            new InetSocketAddress("127.0.0.1", 53),
            new InetSocketAddress(ip, port)));
  }

  @Test
  void everyRequestOfOneSocketHandsOutTheSameSenderHoldingNoRequest() {
    // An LLQ keeps the sender for its lifetime: one per socket, instead of the responder with its
    // request's source address (docs/benchmarks.md, issue 12: about 100 bytes per LLQ at 1 M).
    receive("192.0.2.1", 5353);
    receive("192.0.2.2", 5353);
    DatagramSender first = ((DatagramSender) responders.get(0)).socket();
    DatagramSender second = ((DatagramSender) responders.get(1)).socket();
    assertThat(second).isSameAs(first);
    assertThat(first).isNotSameAs(responders.get(0)).isNotInstanceOf(Responder.class);
  }

  @Test
  void theSocketsSenderSendsWhereItIsTold() {
    receive("192.0.2.1", 5353);
    InetSocketAddress to = new InetSocketAddress("192.0.2.9", 5353);
    ((DatagramSender) responders.get(0)).socket().sendTo(to, new byte[] {1, 2, 3});
    channel.flushOutbound(); // on the event loop it only writes; the read loop's end flushes
    DatagramPacket sent = channel.readOutbound();
    assertThat(sent.recipient()).isEqualTo(to);
    assertThat(sent.content().readableBytes()).isEqualTo(3);
    sent.release();
  }
}
