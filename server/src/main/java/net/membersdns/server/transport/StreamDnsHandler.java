package net.membersdns.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import net.membersdns.protocol.wire.TcpFraming;
import net.membersdns.server.codec.TcpDnsFrameDecoder;
import net.membersdns.server.metrics.TransportMetrics;
import net.membersdns.server.pipeline.DnsRequestHandler;
import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a TCP or TLS connection: turns each frame from {@link TcpDnsFrameDecoder}
 * into a {@link DnsRequest}, hands it to the {@link DnsRequestHandler} with a {@link
 * StreamResponder}, and writes the answers back length-prefixed (RFC 1035 §4.2.2).
 *
 * <ul>
 *   <li>Pipelining (RFC 7766 §6.2.1.1): every frame is dispatched at once, without waiting for the
 *       previous answer; answers go out in whatever order the handler produces them. Past {@link
 *       #MAX_IN_FLIGHT} unanswered requests, or while the peer does not read our answers, the
 *       connection stops reading (TCP back-pressure) instead of buffering without bound.
 *   <li>Idle timeout (RFC 7766 §6.2.3): closed when no request is in flight and no complete message
 *       arrived nor answer left for the idle timeout. A half-sent message is no progress, so a slow
 *       loris trickling bytes is closed too (RFC 7766 §6.2.3).
 *   <li>A frame shorter than a DNS header closes the connection: a TCP DNS stream cannot be
 *       resynchronised (RFC 7766 §6.2.3).
 * </ul>
 *
 * <p>One instance per connection. Its state is confined to the connection's event loop ({@code
 * closing} is also read elsewhere); {@link StreamResponder} hops onto the loop from other threads.
 */
final class StreamDnsHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(StreamDnsHandler.class);

  /** DNS header size (RFC 1035 §4.1.1): anything shorter is not a DNS message. */
  static final int HEADER = 12;

  /** Unanswered requests per connection before we stop reading from it. */
  static final int MAX_IN_FLIGHT = 128;

  private final Transport transport;
  private final InetSocketAddress peer;
  private final DnsRequestHandler handler;
  private final TransportMetrics metrics;
  private long idleNanos;

  private ChannelHandlerContext ctx;
  private int inFlight;
  private long lastProgress;
  private Future<?> idleCheck;
  private volatile boolean closing; // read by isOpen() from any thread

  StreamDnsHandler(
      Transport transport,
      InetSocketAddress peer,
      DnsRequestHandler handler,
      TransportMetrics metrics,
      Duration idleTimeout) {
    this.transport = transport;
    this.peer = peer;
    this.handler = handler;
    this.metrics = metrics;
    this.idleNanos = idleTimeout.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    lastProgress = now();
    if (ctx.channel().isActive()) {
      scheduleIdleCheck(idleNanos);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    lastProgress = now();
    if (idleCheck == null) {
      scheduleIdleCheck(idleNanos);
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof byte[] wire)) {
      ReferenceCountUtil.release(msg);
      throw new IllegalStateException("expected a framed DNS message, got " + msg.getClass());
    }
    if (closing) {
      return; // frames decoded from the same read after we decided to close
    }
    if (wire.length < HEADER) {
      metrics.dropped(transport, "short");
      close();
      return;
    }
    lastProgress = now();
    inFlight++;
    updateAutoRead();
    StreamResponder responder = new StreamResponder(this);
    DnsRequest request = new DnsRequest(wire, peer, transport, System.nanoTime());
    try {
      handler.handle(request, responder);
    } catch (RuntimeException e) {
      log.warn("transport: request handler failed on {} from {}", transport.tag(), peer, e);
      metrics.dropped(transport, "error");
      responder.drop();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    updateAutoRead();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      // RFC 7858: nothing DNS happened yet; the SslHandler closes the connection itself.
      metrics.handshakeFailed();
      log.debug("transport: TLS handshake with {} failed: {}", peer, done.cause().toString());
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets, TLS garbage and the like are the peer's business; log quietly and close.
    log.debug("transport: closing {} connection from {}: {}", transport.tag(), peer, cause);
    close();
  }

  // ---- called by StreamResponder, from any thread ----

  /** Sends {@code wire}; if {@code request} is not yet complete, completes it first. */
  void send(StreamResponder request, byte[] wire) {
    onLoop(() -> sendNow(request, wire));
  }

  void complete(StreamResponder request) {
    onLoop(() -> completeNow(request));
  }

  void setIdleTimeout(Duration timeout) {
    onLoop(() -> {
      idleNanos = timeout.toNanos();
      if (idleCheck != null && !closing) {
        idleCheck.cancel(false);
        scheduleIdleCheck(Math.max(0, lastProgress + idleNanos - now()));
      }
    });
  }

  boolean isOpen() {
    return !closing && ctx.channel().isActive();
  }

  ChannelHandlerContext context() {
    return ctx;
  }

  // ---- event loop only ----

  private void sendNow(StreamResponder request, byte[] wire) {
    if (request != null) {
      completeNow(request);
    }
    if (!isOpen()) {
      return; // RFC 7766 §6.2.4: the peer may close at any time; the answer is simply lost
    }
    if (wire.length > TcpFraming.MAX_MESSAGE) {
      log.warn("transport: dropping a {}-byte message that TCP framing cannot carry", wire.length);
      return;
    }
    // RFC 7766 §8: length and message in one write, so they leave in one segment.
    ByteBuf framed = ctx.alloc().ioBuffer(TcpFraming.PREFIX + wire.length);
    framed.writeShort(wire.length).writeBytes(wire);
    ctx.writeAndFlush(framed, ctx.voidPromise());
  }

  private void completeNow(StreamResponder request) {
    if (request.done) {
      return;
    }
    request.done = true;
    inFlight--;
    lastProgress = now();
    updateAutoRead();
  }

  private void updateAutoRead() {
    if (!closing) {
      ctx.channel().config().setAutoRead(inFlight < MAX_IN_FLIGHT && ctx.channel().isWritable());
    }
  }

  private void checkIdle() {
    if (closing || !ctx.channel().isActive()) {
      return;
    }
    if (inFlight > 0) {
      scheduleIdleCheck(idleNanos); // an answer is pending: not idle, look again later
      return;
    }
    long remaining = lastProgress + idleNanos - now();
    if (remaining > 0) {
      scheduleIdleCheck(remaining);
      return;
    }
    log.debug("transport: closing idle {} connection from {}", transport.tag(), peer);
    metrics.idleClosed(transport);
    close();
  }

  private void scheduleIdleCheck(long delayNanos) {
    idleCheck = ctx.executor().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void close() {
    closing = true;
    ctx.close();
  }

  private long now() {
    return ctx.executor().ticker().nanoTime();
  }

  private void onLoop(Runnable task) {
    if (ctx.executor().inEventLoop()) {
      task.run();
      return;
    }
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException e) {
      // The event loop is shutting down with the server: the connection is gone anyway.
    }
  }
}
