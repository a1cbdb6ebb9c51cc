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

  /**
   * A sender on the same socket that holds nothing of the request it came with, to keep for a long
   * time: an LLQ keeps one, and a request's responder also holds that request's source address
   * (about 100 bytes per LLQ at 1 M LLQs: docs/benchmarks.md, issue 12).
   */
  default DatagramSender socket() {
    return this;
  }
}
