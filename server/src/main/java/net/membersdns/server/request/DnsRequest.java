package net.membersdns.server.request;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One DNS message as received: the original wire bytes (TSIG verification needs them byte for byte,
 * RFC 8945 §4.3.3), who sent it and over which transport. Not parsed yet.
 *
 * @param wire the message without any TCP length prefix; owned by this request, never modified
 * @param peer the sender's address and port
 * @param transport UDP, TCP or TLS
 * @param receivedNanos {@link System#nanoTime()} at decode, for latency metrics
 */
public record DnsRequest(
    byte[] wire, InetSocketAddress peer, Transport transport, long receivedNanos) {
  public DnsRequest {
    Objects.requireNonNull(wire, "wire");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(transport, "transport");
  }
}
