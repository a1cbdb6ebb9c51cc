/**
 * Sockets: the UDP, TCP and DNS-over-TLS listeners ({@link
 * net.membersdns.server.transport.DnsServer}), their pipelines, connection limits, idle timeouts
 * and the TLS context. Turns bytes on the wire into {@link
 * net.membersdns.server.request.DnsRequest}s for the {@link
 * net.membersdns.server.pipeline.DnsRequestHandler} and writes its answers back.
 *
 * <p>Threads: everything here runs on Netty event loops, which never block, except {@code
 * DnsServer.start/stop} and {@code TlsContextFactory}, which the composition root calls. Responders
 * may be called from any thread; they hop onto the connection's event loop. This package never
 * touches the zone store (docs/architecture.md, Packages; ArchitectureTest).
 */
package net.membersdns.server.transport;
