package net.membersdns.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.pipeline.DnsRequestHandler;
import net.membersdns.server.request.DatagramSender;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Responder;
import net.membersdns.server.request.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each UDP datagram into a {@link DnsRequest} and answers with one datagram back to its
 * sender. The payload is copied out and the packet released at once (by {@link
 * SimpleChannelInboundHandler}), so nothing reference-counted outlives the read. Datagrams too
 * short for a DNS header are dropped silently (RFC 1035 §4.1.1): answering garbage only helps
 * reflection attacks.
 *
 * <p>Stateless and shared by every UDP channel; runs on the channel's event loop.
 */
@ChannelHandler.Sharable
final class UdpDnsHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(UdpDnsHandler.class);

  private static final AttributeKey<SocketSender> SOCKET =
      AttributeKey.valueOf(UdpDnsHandler.class, "socket");

  private final DnsRequestHandler handler;
  private final TransportMetrics metrics;

  UdpDnsHandler(DnsRequestHandler handler, TransportMetrics metrics) {
    this.handler = handler;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    ByteBuf content = packet.content();
    if (content.readableBytes() < StreamDnsHandler.HEADER) {
      metrics.dropped(Transport.UDP, "short");
      return;
    }
    byte[] wire = ByteBufUtil.getBytes(content);
    InetSocketAddress sender = packet.sender();
    DnsRequest request = new DnsRequest(wire, sender, Transport.UDP, System.nanoTime());
    try {
      handler.handle(request, new UdpResponder(socket(ctx), sender));
    } catch (RuntimeException e) {
      log.warn("transport: request handler failed on udp from {}", sender, e);
      metrics.dropped(Transport.UDP, "error");
    }
  }

  /**
   * Answers given inline during the read loop were only written; send them now, all at once (the
   * epoll transport hands a batch of datagrams to one sendmmsg call).
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A UDP socket has no peer to lose: ICMP errors and the like must not close it.
    log.debug("transport: udp error: {}", cause.toString());
  }

  /** The socket's {@link DatagramSender}, made once per channel (this handler is sharable). */
  private static SocketSender socket(ChannelHandlerContext ctx) {
    Attribute<SocketSender> a = ctx.channel().attr(SOCKET);
    SocketSender s = a.get();
    if (s == null) {
      s = new SocketSender(ctx.channel());
      SocketSender earlier = a.setIfAbsent(s);
      if (earlier != null) {
        s = earlier;
      }
    }
    return s;
  }

  /** Answers one datagram through {@code out}, and sends unsolicited ones (LLQ events). */
  private record UdpResponder(SocketSender out, InetSocketAddress sender)
      implements Responder, DatagramSender {
    @Override
    public void respond(byte[] wire) {
      out.sendTo(sender, wire);
    }

    @Override
    public void sendTo(InetSocketAddress to, byte[] wire) {
      out.sendTo(to, wire);
    }

    @Override
    public DatagramSender socket() {
      return out;
    }

    @Override
    public void drop() {}
  }

  /**
   * Sends datagrams through one socket; thread-safe. On the channel's own event loop (answers
   * computed inline while reading) it only writes, and {@link #channelReadComplete} flushes the
   * batch; from any other thread (answers after a database commit, events) it writes and flushes at
   * once.
   */
  private record SocketSender(Channel channel) implements DatagramSender {
    @Override
    public void sendTo(InetSocketAddress to, byte[] wire) {
      if (!channel.isActive()) {
        return;
      }
      // A pooled direct buffer: the epoll transport then hands a batch of answers to one
      // sendmmsg(2); a heap buffer would be copied and sent one system call at a time.
      ByteBuf buf = channel.alloc().directBuffer(wire.length);
      buf.writeBytes(wire);
      DatagramPacket packet = new DatagramPacket(buf, to);
      if (channel.eventLoop().inEventLoop()) {
        channel.write(packet, channel.voidPromise());
      } else {
        channel.writeAndFlush(packet, channel.voidPromise());
      }
    }
  }
}
