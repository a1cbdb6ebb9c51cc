package net.membersdns.server.transport;

import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.membersdns.server.config.ServerConfig;
import net.membersdns.server.config.ServerConfig.TcpLimits;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.pipeline.DnsRequestHandler;
import net.membersdns.server.request.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS listeners: UDP and TCP on {@code listen}, DNS over TLS on {@code tlsListen} (RFC 7858),
 * all feeding one {@link DnsRequestHandler}. One group of {@code ioThreads} event loops serves
 * every socket. With epoll, UDP gets one {@code SO_REUSEPORT} socket per event loop so the kernel
 * spreads datagrams over all threads; with NIO a single UDP socket (one thread) serves UDP.
 *
 * <p>{@link #start} and {@link #stop} are called by the composition root, not by event loops.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);

  /** Largest UDP payload we read whole: a bigger buffer than any DNS message, so none is cut. */
  private static final int UDP_MAX_REQUEST = 4096;

  private static final int UDP_RECEIVE_SIZE = 16 * UDP_MAX_REQUEST;

  /**
   * SO_RCVBUF asked for each UDP socket: room for a few thousand datagrams while the event loop is
   * busy (a collection, a burst of LLQ setups), where the default (net.core.rmem_default, 208 KiB)
   * holds a few hundred small ones on loopback — at 100,000 LLQ setups with 1,000 in flight it
   * overflowed 4,395 times (docs/benchmarks.md, issue 12). The kernel caps it at net.core.rmem_max.
   */
  static final int UDP_SOCKET_RECEIVE_BUFFER = 4 << 20;

  /** How long {@link #stop} waits for open connections to flush and close. */
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private final InetSocketAddress listen;
  private final InetSocketAddress tlsListen;
  private final int ioThreads;
  private final TcpLimits limits;

  /** Swapped by {@link #reloadTls}; each new TLS connection takes the current one. */
  private final AtomicReference<SslContext> tls;

  private final DnsRequestHandler handler;
  private final TransportMetrics metrics;
  private final IoFlavor io;

  private EventLoopGroup group;
  private ChannelGroup connections;
  private final List<Channel> udp = new ArrayList<>();
  private Channel tcp;
  private Channel tlsChannel;

  /**
   * @param listen UDP and TCP address; port 0 picks a free port (the same one for both)
   * @param tlsListen DNS-over-TLS address; port 0 picks a free port
   * @param ioThreads event loops; 0 or less means one per available processor
   * @param limits TCP/TLS idle timeout and connection limits
   * @param tls server context from {@link TlsContextFactory#create}
   */
  public DnsServer(
      InetSocketAddress listen,
      InetSocketAddress tlsListen,
      int ioThreads,
      TcpLimits limits,
      SslContext tls,
      DnsRequestHandler handler,
      TransportMetrics metrics) {
    this(listen, tlsListen, ioThreads, limits, tls, handler, metrics, IoFlavor.best());
  }

  DnsServer(
      InetSocketAddress listen,
      InetSocketAddress tlsListen,
      int ioThreads,
      TcpLimits limits,
      SslContext tls,
      DnsRequestHandler handler,
      TransportMetrics metrics,
      IoFlavor io) {
    this.listen = Objects.requireNonNull(listen, "listen");
    this.tlsListen = Objects.requireNonNull(tlsListen, "tlsListen");
    this.ioThreads = ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    this.limits = Objects.requireNonNull(limits, "limits");
    this.tls = new AtomicReference<>(Objects.requireNonNull(tls, "tls"));
    this.handler = Objects.requireNonNull(handler, "handler");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.io = io;
  }

  /** The listeners of {@code config}. */
  public static DnsServer of(
      ServerConfig config, SslContext tls, DnsRequestHandler handler, TransportMetrics metrics) {
    return new DnsServer(
        config.listen(),
        config.tlsListen(),
        config.ioThreads(),
        config.tcp(),
        tls,
        handler,
        metrics);
  }

  /**
   * Binds every listener. On failure (address in use, no permission) nothing stays bound.
   *
   * @throws IOException naming the address that could not be bound
   */
  public synchronized void start() throws IOException {
    if (group != null) {
      throw new IllegalStateException("already started");
    }
    group =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory("dns-io"), io.ioHandlers().get());
    try {
      ConnectionLimiter limiter =
          new ConnectionLimiter(limits.maxConnections(), limits.maxConnectionsPerAddress());
      connections = new DefaultChannelGroup("dns-connections", GlobalEventExecutor.INSTANCE);
      // TCP first: it cannot share a port, so a second server on the same port fails here,
      // before its SO_REUSEPORT UDP sockets could take a share of the first one's datagrams.
      tcp =
          bindStream(
              listen,
              new DnsChannelInitializer(
                  Transport.TCP,
                  null,
                  handler,
                  limiter,
                  connections,
                  metrics,
                  limits.idleTimeout()));
      bindUdp(tcpAddress()); // the same port, also when listen asked for port 0
      tlsChannel =
          bindStream(
              tlsListen,
              new DnsChannelInitializer(
                  Transport.TLS,
                  tls::get,
                  handler,
                  limiter,
                  connections,
                  metrics,
                  limits.idleTimeout()));
    } catch (IOException | RuntimeException e) {
      stop();
      throw e;
    }
    new NettyEventExecutorMetrics(group).bindTo(metrics.registry());
    log.info(
        "transport: listening on udp+tcp {} and tls {}; {} {} event loops, {} udp sockets",
        udpAddress(),
        tlsAddress(),
        ioThreads,
        io.name(),
        udp.size());
  }

  private void bindUdp(InetSocketAddress address) throws IOException {
    // With SO_REUSEPORT, one socket per event loop; the kernel spreads clients over them.
    int sockets = io.reusePort() ? ioThreads : 1;
    for (int i = 0; i < sockets; i++) {
      Bootstrap b =
          new Bootstrap()
              .group(group)
              .channel(io.datagramChannel())
              .option(
                  ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(UDP_RECEIVE_SIZE))
              .option(ChannelOption.SO_RCVBUF, UDP_SOCKET_RECEIVE_BUFFER)
              .handler(new UdpDnsHandler(handler, metrics));
      if (io.reusePort()) {
        b.option(EpollChannelOption.SO_REUSEPORT, true);
        // recvmmsg(2): up to 16 datagrams per system call under load. A request datagram larger
        // than this is cut short and answered FORMERR (the client retries over TCP, RFC 7766
        // §5); DNS queries and the updates hosts send are far smaller.
        b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, UDP_MAX_REQUEST);
      }
      Channel ch = bind(b.bind(address), "udp", address);
      udp.add(ch);
    }
  }

  private Channel bindStream(InetSocketAddress address, DnsChannelInitializer initializer)
      throws IOException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(io.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(initializer);
    return bind(b.bind(address), "tcp", address);
  }

  private static Channel bind(ChannelFuture future, String what, InetSocketAddress address)
      throws IOException {
    future.awaitUninterruptibly();
    if (!future.isSuccess()) {
      throw new IOException(
          "cannot listen on " + what + " " + address + ": " + future.cause().getMessage(),
          future.cause());
    }
    return future.channel();
  }

  /** The bound UDP address (the TCP one has the same address and port). */
  public InetSocketAddress udpAddress() {
    return (InetSocketAddress) udp.get(0).localAddress();
  }

  /** How many UDP sockets share the UDP port (one per event loop with epoll). */
  int udpSockets() {
    return udp.size();
  }

  public InetSocketAddress tcpAddress() {
    return (InetSocketAddress) tcp.localAddress();
  }

  public InetSocketAddress tlsAddress() {
    return (InetSocketAddress) tlsChannel.localAddress();
  }

  /**
   * TLS connections accepted from now on present {@code context} (a renewed certificate); open
   * connections keep the one they were set up with, so none is dropped.
   */
  public void reloadTls(SslContext context) {
    tls.set(Objects.requireNonNull(context, "context"));
  }

  /**
   * Closes the TCP and TLS listeners: no new connection is accepted, while open connections and the
   * UDP sockets keep answering (the first step of a graceful stop). Idempotent.
   */
  public synchronized void stopAccepting() {
    for (Channel ch : new Channel[] {tcp, tlsChannel}) {
      if (ch != null && ch.isOpen()) {
        ch.close().awaitUninterruptibly();
      }
    }
  }

  /**
   * Stops listening, closes every open connection cleanly (what was written is flushed first, TLS
   * sends its close_notify, the peer sees a FIN), then stops the event loops after a short quiet
   * period, so answers already handed to a loop still go out. Idempotent.
   */
  public synchronized void stop() {
    if (group == null) {
      return;
    }
    stopAccepting();
    int open = connections == null ? 0 : connections.size();
    if (connections != null) {
      for (Channel ch : connections) {
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
      if (!connections.newCloseFuture().awaitUninterruptibly(CLOSE_WAIT_MILLIS)) {
        log.warn("transport: {} connection(s) did not close in time", connections.size());
      }
    }
    for (Channel ch : udp) {
      ch.close().awaitUninterruptibly();
    }
    group.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    group = null;
    udp.clear();
    tcp = null;
    tlsChannel = null;
    log.info("transport: dns listeners stopped; {} connection(s) closed", open);
  }

  @Override
  public void close() {
    stop();
  }
}
