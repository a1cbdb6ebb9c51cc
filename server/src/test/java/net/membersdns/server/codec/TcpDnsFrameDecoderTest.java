package net.membersdns.server.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 1035 §4.2.2 framing; split reads and pipelining (RFC 7766 §6.2.1.1, §8). */
class TcpDnsFrameDecoderTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(new TcpDnsFrameDecoder());

  @Test
  void reassemblesAMessageSplitAfterTheLengthAndInsideTheBody() {
    byte[] message = message(40, (byte) 1);
    ByteBuf length = Unpooled.wrappedBuffer(new byte[] {0, 40});
    ByteBuf first = Unpooled.wrappedBuffer(message, 0, 15);
    ByteBuf second = Unpooled.wrappedBuffer(message, 15, 25);

    assertThat(channel.writeInbound(length)).isFalse();
    assertThat(channel.writeInbound(first)).isFalse();
    assertThat(channel.writeInbound(second)).isTrue();

    assertThat((byte[]) channel.readInbound()).isEqualTo(message);
    assertThat(channel.inboundMessages()).isEmpty();
    assertThat(length.refCnt()).isZero();
    assertThat(first.refCnt()).isZero();
    assertThat(second.refCnt()).isZero();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void splitsTwoPipelinedMessagesInOneRead() {
    byte[] u1 = message(111, (byte) 0x2a);
    byte[] l1 = message(82, (byte) 0x4c);
    ByteBuf both = Unpooled.buffer();
    both.writeShort(u1.length).writeBytes(u1).writeShort(l1.length).writeBytes(l1);

    channel.writeInbound(both);

    assertThat(drain()).containsExactly(u1, l1);
    assertThat(both.refCnt()).isZero();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void keepsATrailingPartialMessageForTheNextRead() {
    byte[] a = message(12, (byte) 7);
    byte[] b = message(30, (byte) 8);
    ByteBuf read1 = Unpooled.buffer().writeShort(a.length).writeBytes(a).writeShort(b.length);
    read1.writeBytes(b, 0, 10);
    ByteBuf read2 = Unpooled.wrappedBuffer(b, 10, 20);

    channel.writeInbound(read1);
    assertThat(drain()).containsExactly(a);
    channel.writeInbound(read2);
    assertThat(drain()).containsExactly(b);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void passesShortFramesOnForTheHandlerToReject() {
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 1, 2, 3}));
    assertThat(drain()).containsExactly(new byte[] {1, 2, 3});
  }

  @Test
  void releasesABufferedPartialMessageOnClose() {
    ByteBuf partial = Unpooled.wrappedBuffer(new byte[] {0, 50, 1, 2});
    channel.writeInbound(partial);
    assertThat(channel.finish()).isFalse();
    assertThat(partial.refCnt()).isZero();
  }

  private List<byte[]> drain() {
    List<byte[]> out = new ArrayList<>();
    for (byte[] m; (m = channel.readInbound()) != null; ) {
      out.add(m);
    }
    return out;
  }

  static byte[] message(int length, byte fill) {
    byte[] m = new byte[length];
    java.util.Arrays.fill(m, fill);
    return m;
  }
}
