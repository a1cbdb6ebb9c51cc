package net.membersdns.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.membersdns.server.codec.TcpDnsFrameDecoder;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.pipeline.DnsRequestHandler;
import net.membersdns.server.request.ConnectionResponder;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Responder;
import net.membersdns.server.request.Transport;
import org.junit.jupiter.api.Test;

/** RFC 7766 connection behaviour of one TCP connection, driven through an EmbeddedChannel. */
class StreamDnsHandlerTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.1", 40000);
  private static final Duration IDLE = Duration.ofSeconds(10);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TransportMetrics metrics = new TransportMetrics(new DnsMetrics(registry));
  private final List<DnsRequest> requests = new ArrayList<>();
  private final List<Responder> responders = new ArrayList<>();
  private final DnsRequestHandler holding =
      (request, responder) -> {
        requests.add(request);
        responders.add(responder);
      };
  private final EmbeddedChannel channel = frozenChannel();

  /** Time frozen before the handler reads the clock, so only advanceTimeBy moves it. */
  private EmbeddedChannel frozenChannel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline()
        .addLast(
            new TcpDnsFrameDecoder(),
            new StreamDnsHandler(Transport.TCP, PEER, holding, metrics, IDLE));
    return ch;
  }

  @Test
  void answersLengthPrefixedInOneWrite() {
    channel.writeInbound(framed(query(0x1234)));
    responders.get(0).respond(query(0x1234));

    ByteBuf out = channel.readOutbound();
    assertThat(ByteBufUtil.getBytes(out)).isEqualTo(framed(query(0x1234)).array());
    out.release();
    assertThat(channel.outboundMessages()).isEmpty();
    assertThat(requests.get(0).peer()).isEqualTo(PEER);
    assertThat(requests.get(0).transport()).isEqualTo(Transport.TCP);
    assertThat(responders.get(0)).isInstanceOf(ConnectionResponder.class);
  }

  @Test
  void dispatchesPipelinedRequestsAtOnceAndAnswersInAnyOrder() {
    ByteBuf both =
        Unpooled.buffer().writeBytes(framed(query(0x2a2a))).writeBytes(framed(query(0x4c51)));
    channel.writeInbound(both);
    assertThat(requests).hasSize(2);

    responders.get(1).respond(query(0x4c51));
    responders.get(0).respond(query(0x2a2a));

    assertThat(readFramedId()).isEqualTo(0x4c51);
    assertThat(readFramedId()).isEqualTo(0x2a2a);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void closesOnAFrameTooShortForAHeaderAndIgnoresTheRest() {
    ByteBuf read = Unpooled.buffer().writeBytes(new byte[] {0, 5, 1, 2, 3, 4, 5});
    read.writeBytes(framed(query(1)));
    channel.writeInbound(read);

    assertThat(channel.isOpen()).isFalse();
    assertThat(requests).isEmpty();
    assertThat(registry.get("dns.requests.dropped").tag("reason", "short").counter().count())
        .isEqualTo(1);
  }

  @Test
  void closesWhenIdleWithNothingInFlight() {
    channel.advanceTimeBy(IDLE.toMillis() - 1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();

    channel.advanceTimeBy(2, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    assertThat(registry.get("dns.connections.idle.closed").counter().count()).isEqualTo(1);
  }

  @Test
  void staysOpenWhileARequestIsInFlightThenTimesOutAfterTheAnswer() {
    channel.writeInbound(framed(query(7)));
    channel.advanceTimeBy(IDLE.toMillis() * 3, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();

    responders.get(0).respond(query(7));
    releaseOutbound();
    channel.advanceTimeBy(IDLE.toMillis() / 2, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();
    channel.advanceTimeBy(IDLE.toMillis() * 2, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aSlowLorisTricklingOneMessageTimesOut() {
    byte[] message = framed(query(9)).array();
    int halfPeriods = 0;
    while (channel.isOpen() && halfPeriods < message.length) { // a byte per half idle period
      channel.writeInbound(Unpooled.wrappedBuffer(message, halfPeriods, 1));
      channel.advanceTimeBy(IDLE.toMillis() / 2, TimeUnit.MILLISECONDS);
      channel.runScheduledPendingTasks();
      halfPeriods++;
    }
    assertThat(channel.isOpen()).isFalse();
    assertThat(halfPeriods).isEqualTo(2); // closed one idle period after the last message
    assertThat(requests).isEmpty();
  }

  @Test
  void answersAfterCloseAreDiscarded() {
    channel.writeInbound(framed(query(3)));
    channel.close();
    responders.get(0).respond(query(3));
    ((ConnectionResponder) responders.get(0)).push(query(4));
    assertThat(channel.outboundMessages()).isEmpty();
    assertThat(((ConnectionResponder) responders.get(0)).isOpen()).isFalse();
  }

  @Test
  void aRetainedResponderPushesFurtherMessages() {
    channel.writeInbound(framed(query(5)));
    ConnectionResponder responder = (ConnectionResponder) responders.get(0);
    responder.respond(query(5));
    responder.push(query(6));
    responder.respond(query(7)); // a second respond is a push, not an error
    assertThat(readFramedId()).isEqualTo(5);
    assertThat(readFramedId()).isEqualTo(6);
    assertThat(readFramedId()).isEqualTo(7);
    boolean[] closed = {false};
    responder.onClose(() -> closed[0] = true);
    channel.close();
    assertThat(closed[0]).isTrue();
  }

  @Test
  void stopsReadingWhenTooManyRequestsAreInFlight() {
    ByteBuf many = Unpooled.buffer();
    for (int i = 0; i < StreamDnsHandler.MAX_IN_FLIGHT; i++) {
      many.writeBytes(framed(query(i)));
    }
    channel.writeInbound(many);
    assertThat(channel.config().isAutoRead()).isFalse();
    responders.get(0).drop();
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  private int readFramedId() {
    ByteBuf out = channel.readOutbound();
    try {
      assertThat(out.getUnsignedShort(0)).isEqualTo(out.readableBytes() - 2);
      return out.getUnsignedShort(2);
    } finally {
      out.release();
    }
  }

  private void releaseOutbound() {
    for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
      b.release();
    }
  }

  /** A 12-byte header-only message with {@code id}: enough for the transport. */
  static byte[] query(int id) {
    byte[] m = new byte[12];
    m[0] = (byte) (id >> 8);
    m[1] = (byte) id;
    return m;
  }

  static ByteBuf framed(byte[] m) {
    byte[] out = Arrays.copyOf(new byte[] {(byte) (m.length >> 8), (byte) m.length}, 2 + m.length);
    System.arraycopy(m, 0, out, 2, m.length);
    return Unpooled.wrappedBuffer(out);
  }
}
