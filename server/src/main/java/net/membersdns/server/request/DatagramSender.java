package net.membersdns.server.request;

import java.net.InetSocketAddress;

/**
 * Sends unsolicited datagrams (LLQ events, RFC 8764 §6) through the UDP socket a request came in
 * on, so they leave from the server's DNS port. The UDP {@link Responder} of a request implements
 * it; LLQ code may keep it for the lifetime of a subscription.
 *
 * <p>Thread-safe and non-blocking: the datagram is handed to the socket's event loop, and silently
 * dropped once the socket has closed (server shutting down).
 */
public interface DatagramSender {
  /** Sends {@code wire} (a complete DNS message) to {@code to}. */
  void sendTo(InetSocketAddress to, byte[] wire);
}
