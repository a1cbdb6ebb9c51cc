package net.membersdns.server.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import net.membersdns.protocol.wire.TcpFraming;

/**
 * Splits a TCP or TLS byte stream into DNS messages by their 2-byte big-endian length prefix (RFC
 * 1035 §4.2.2, RFC 7766 §8) and emits each message as a {@code byte[]} without the prefix. The
 * bytes are copied out of the cumulation buffer, so nothing reference-counted leaves this handler.
 *
 * <p>Reads may split a message anywhere (even between the two length bytes) and one read may hold
 * several pipelined messages (RFC 7766 §6.2.1.1); both are handled by the cumulation of {@link
 * ByteToMessageDecoder}. Buffered input stays below {@link TcpFraming#PREFIX} + {@link
 * TcpFraming#MAX_MESSAGE} bytes plus one read, since every complete frame is taken out at once.
 * Frames of any length, even too short for a DNS header, are passed on: the next handler decides
 * (it closes the connection: RFC 7766 §6.2.3 leaves that to the server).
 *
 * <p>One instance per connection; runs on that connection's event loop.
 */
public final class TcpDnsFrameDecoder extends ByteToMessageDecoder {
  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= TcpFraming.PREFIX) {
      int length = in.getUnsignedShort(in.readerIndex());
      if (in.readableBytes() < TcpFraming.PREFIX + length) {
        return; // wait for the rest of this message
      }
      in.skipBytes(TcpFraming.PREFIX);
      byte[] wire = new byte[length];
      in.readBytes(wire);
      out.add(wire);
    }
  }
}
