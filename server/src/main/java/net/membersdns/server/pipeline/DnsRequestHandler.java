package net.membersdns.server.pipeline;

import net.membersdns.server.request.DnsRequest;
import net.membersdns.server.request.Responder;

/**
 * The entry point transports call for every received message. Called on a Netty event loop: an
 * implementation answers in-memory queries inline and hands anything that blocks (JDBC) to an
 * executor, calling the {@link Responder} later from that thread.
 */
public interface DnsRequestHandler {
  void handle(DnsRequest request, Responder responder);
}
