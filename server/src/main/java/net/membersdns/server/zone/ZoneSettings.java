package net.membersdns.server.zone;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * What the server synthesises into every zone it serves (docs/architecture.md, Model; RFC 6281 §4):
 * the SOA and apex NS of each zone, the server's own address records, and the discovery SRV records
 * of every member zone.
 *
 * @param domain the members domain, e.g. {@code members.example.}
 * @param serverName the server's own host name, the SOA MNAME, the NS target and the SRV target
 * @param serverAddresses the advertised addresses of {@code serverName} (A and AAAA records)
 * @param dnsPort the advertised DNS port (UDP and TCP) for {@code _dns-update._udp} and {@code
 *     _dns-llq._udp}
 * @param tlsPort the advertised DNS-over-TLS port for the three {@code _dns-*-tls._tcp} names
 * @param hostmaster the SOA RNAME
 * @param soaTtl TTL of the SOA and NS records
 * @param refresh SOA REFRESH
 * @param retry SOA RETRY
 * @param expire SOA EXPIRE
 * @param negativeTtl SOA MINIMUM, the negative-caching TTL of RFC 2308 §4
 * @param discoveryTtl TTL of the discovery SRV records (dnsextd used 7200)
 * @param addressTtl TTL of the server's A/AAAA records
 */
public record ZoneSettings(
    Name domain,
    Name serverName,
    List<InetAddress> serverAddresses,
    int dnsPort,
    int tlsPort,
    Name hostmaster,
    long soaTtl,
    long refresh,
    long retry,
    long expire,
    long negativeTtl,
    long discoveryTtl,
    long addressTtl) {

  public ZoneSettings {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(hostmaster, "hostmaster");
    serverAddresses = List.copyOf(serverAddresses);
  }

  /**
   * Defaults for {@code domain}: server {@code dns.<domain>}, RNAME {@code hostmaster.<domain>}.
   */
  public static ZoneSettings defaults(
      Name domain, List<InetAddress> serverAddresses, int dnsPort, int tlsPort) {
    return new ZoneSettings(
        domain,
        Names.child("dns", domain),
        serverAddresses,
        dnsPort,
        tlsPort,
        Names.child("hostmaster", domain),
        3600,
        3600,
        600,
        1_209_600,
        60,
        7200,
        3600);
  }
}
