package net.membersdns.server.request;

import java.time.Duration;

/**
 * The {@link Responder} of a request that arrived on a TCP or TLS connection. Besides answering the
 * request once, it may be retained (by LLQ code, RFC 8764 §6) to push unsolicited messages on the
 * same connection for as long as it stays open.
 *
 * <p>The first call of {@link #respond} or {@link #drop} completes the request (the connection
 * counts it as no longer in flight for its idle timeout); any later {@code respond} behaves like
 * {@link #push}. All methods are thread-safe and never block: writes are handed to the connection's
 * event loop and silently discarded once the connection has closed.
 */
public interface ConnectionResponder extends Responder {
  /** Sends {@code wire} (a complete DNS message, no length prefix) if the connection is open. */
  void push(byte[] wire);

  /** Whether the connection is still open; a push may still be lost if it closes meanwhile. */
  boolean isOpen();

  /** Runs {@code action} once when the connection closes (at once if it already has). */
  void onClose(Runnable action);

  /**
   * Replaces the idle timeout of this connection, e.g. after an authenticated LLQ setup or an RFC
   * 7828 edns-tcp-keepalive negotiation (docs/architecture.md, Keys and access: only after
   * authentication).
   */
  void idleTimeout(Duration timeout);
}
