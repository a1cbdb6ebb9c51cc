package net.membersdns.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import net.membersdns.server.codec.TcpDnsFrameDecoder;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.metrics.TransportMetrics.Limit;
import net.membersdns.server.pipeline.DnsRequestHandler;
import net.membersdns.server.request.Transport;

/**
 * Builds the pipeline of each accepted TCP or TLS connection, after the connection limits allow it:
 *
 * <pre>
 *   [tls: SslHandler]  →  flush consolidation  →  TcpDnsFrameDecoder  →  StreamDnsHandler
 * </pre>
 *
 * DNS over TLS is the TCP framing behind an {@link io.netty.handler.ssl.SslHandler} (RFC 7858
 * §3.3). A connection over a limit is closed before any handler, TLS included, costs anything. Runs
 * on the new connection's event loop; shared by all connections of one listener.
 */
final class DnsChannelInitializer extends ChannelInitializer<Channel> {
  /** Flushes merged while a read is in progress (pipelined answers produced inline). */
  private static final int FLUSHES_BEFORE_FLUSH = 64;

  private final Transport transport;
  private final Supplier<SslContext> tls;
  private final DnsRequestHandler handler;
  private final ConnectionLimiter limiter;
  private final ChannelGroup connections;
  private final TransportMetrics metrics;
  private final Duration idleTimeout;

  /**
   * @param tls the current server context for {@link Transport#TLS} (read per connection, so a
   *     reloaded certificate applies to the next one), null for plain TCP
   * @param connections where accepted connections are tracked, for a clean close at shutdown
   */
  DnsChannelInitializer(
      Transport transport,
      Supplier<SslContext> tls,
      DnsRequestHandler handler,
      ConnectionLimiter limiter,
      ChannelGroup connections,
      TransportMetrics metrics,
      Duration idleTimeout) {
    if ((transport == Transport.TLS) != (tls != null)) {
      throw new IllegalArgumentException("a TLS context is needed exactly for TLS");
    }
    this.transport = transport;
    this.tls = tls;
    this.handler = handler;
    this.limiter = limiter;
    this.connections = connections;
    this.metrics = metrics;
    this.idleTimeout = idleTimeout;
  }

  @Override
  protected void initChannel(Channel ch) {
    InetSocketAddress peer = (InetSocketAddress) ch.remoteAddress();
    Optional<Limit> refused = limiter.tryAcquire(peer.getAddress());
    if (refused.isPresent()) {
      metrics.rejected(transport, refused.get());
      ch.close();
      return;
    }
    metrics.connectionOpened(transport);
    connections.add(ch);
    ch.closeFuture()
        .addListener(f -> {
          limiter.release(peer.getAddress());
          metrics.connectionClosed(transport);
        });

    ChannelPipeline p = ch.pipeline();
    if (tls != null) {
      p.addLast("tls", tls.get().newHandler(ch.alloc()));
    }
    p.addLast("flush", new FlushConsolidationHandler(FLUSHES_BEFORE_FLUSH, true));
    p.addLast("framing", new TcpDnsFrameDecoder());
    p.addLast("dns", new StreamDnsHandler(transport, peer, handler, metrics, idleTimeout));
  }
}
