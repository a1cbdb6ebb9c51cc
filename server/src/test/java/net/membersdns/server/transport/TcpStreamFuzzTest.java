package net.membersdns.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import net.membersdns.protocol.wire.TcpFraming;
import net.membersdns.server.codec.TcpDnsFrameDecoder;
import net.membersdns.server.metrics.DnsMetrics;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.request.Transport;
import net.membersdns.server.testing.InMemoryPipeline;
import net.membersdns.server.testing.QuietLogs;

/**
 * Fuzzes a TCP connection (RFC 7766): the fuzzer's bytes, cut into reads of a size it chooses, go
 * through the real {@link TcpDnsFrameDecoder} and {@link StreamDnsHandler} of an {@link
 * EmbeddedChannel} to an {@link InMemoryPipeline}. A second pipeline gets the same frames directly
 * (what the stream should amount to, read with {@link TcpFraming}).
 *
 * <p>Input: {@code readSize-1(1) stream}. Invariants: nothing is thrown out of the channel; what
 * the connection writes is, byte for byte, the framed replies and events the direct pipeline gives
 * for the frames up to the first one shorter than a header, in order; the connection is closed
 * exactly when such a runt frame arrived (RFC 7766 §6.2.3: a stream cannot be resynchronised); a
 * frame announced longer than the bytes sent (an "oversized" frame) is waited for, not answered;
 * every buffer is released (the build runs with paranoid leak detection).
 */
class TcpStreamFuzzTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.1", 40000);

  static {
    QuietLogs.errorsOnlyWhileFuzzing();
  }

  @FuzzTest(maxDuration = "10s")
  void anyByteStream(byte[] input) throws IOException {
    if (input.length < 1) {
      return;
    }
    int readSize = (input[0] & 0xFF) + 1;
    byte[] stream = java.util.Arrays.copyOfRange(input, 1, input.length);

    InMemoryPipeline direct = new InMemoryPipeline();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    boolean runt = false;
    ByteArrayInputStream in = new ByteArrayInputStream(stream);
    while (true) {
      byte[] frame;
      try {
        frame = TcpFraming.read(in);
      } catch (java.io.EOFException e) {
        break; // a frame cut short, or announced longer than what was sent: waited for
      }
      if (frame == null) {
        break;
      }
      if (frame.length < StreamDnsHandler.HEADER) {
        runt = true;
        break;
      }
      InMemoryPipeline.Outcome out = direct.send(frame, Transport.TCP);
      if (out.reply() != null) {
        expected.writeBytes(TcpFraming.frame(out.reply()));
      }
      out.events().forEach(e -> expected.writeBytes(TcpFraming.frame(e)));
    }

    InMemoryPipeline server = new InMemoryPipeline();
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.freezeTime();
    channel
        .pipeline()
        .addLast(
            new TcpDnsFrameDecoder(),
            new StreamDnsHandler(
                Transport.TCP,
                PEER,
                server.handler(),
                new TransportMetrics(new DnsMetrics(new SimpleMeterRegistry())),
                Duration.ofSeconds(10)));
    for (int at = 0; at < stream.length && channel.isOpen(); at += readSize) {
      channel.writeInbound(
          Unpooled.wrappedBuffer(stream, at, Math.min(readSize, stream.length - at)));
      channel.checkException();
    }
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    for (Object o; (o = channel.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      written.writeBytes(ByteBufUtil.getBytes(b));
      b.release();
    }
    assertThat(channel.isOpen()).as("open unless a runt frame came").isEqualTo(!runt);
    channel.finishAndReleaseAll();
    assertThat(written.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(server.internalErrors()).isZero();
  }
}
