package net.membersdns.server.transport;

import java.time.Duration;
import java.util.Objects;
import net.membersdns.server.request.ConnectionResponder;

/**
 * The responder of one request received on a TCP or TLS connection. The first {@link #respond} or
 * {@link #drop} completes the request; later {@code respond} calls and every {@link #push} write
 * unsolicited messages (LLQ events, RFC 8764 §6) on the same connection while it stays open, so LLQ
 * code may keep this object for the lifetime of a subscription.
 *
 * <p>Thread-safe: every call hops onto the connection's event loop (see {@link StreamDnsHandler}).
 */
final class StreamResponder implements ConnectionResponder {
  private final StreamDnsHandler connection;

  /** Set on the event loop only, by {@link StreamDnsHandler}. */
  boolean done;

  StreamResponder(StreamDnsHandler connection) {
    this.connection = connection;
  }

  @Override
  public void respond(byte[] wire) {
    connection.send(this, Objects.requireNonNull(wire, "wire"));
  }

  @Override
  public void drop() {
    connection.complete(this);
  }

  @Override
  public void push(byte[] wire) {
    connection.send(null, Objects.requireNonNull(wire, "wire"));
  }

  @Override
  public boolean isOpen() {
    return connection.isOpen();
  }

  @Override
  public void onClose(Runnable action) {
    Objects.requireNonNull(action, "action");
    connection.context().channel().closeFuture().addListener(f -> action.run());
  }

  @Override
  public void idleTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("idle timeout must be positive: " + timeout);
    }
    connection.setIdleTimeout(timeout);
  }
}
