package net.membersdns.agent.dns;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where the agent's DNS-over-TLS server is and the name its certificate must carry.
 *
 * @param address resolved address and TLS port
 * @param tlsName the name checked against the certificate (RFC 6125)
 * @param how how it was found, for the log and status ("--server", "SRV _dns-update-tls._tcp...")
 */
public record ServerEndpoint(InetSocketAddress address, String tlsName, String how) {
  public ServerEndpoint {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(tlsName, "tlsName");
  }

  /** {@code address:port} as people write it. */
  public String display() {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
