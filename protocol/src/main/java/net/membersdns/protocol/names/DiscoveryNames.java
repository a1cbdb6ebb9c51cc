package net.membersdns.protocol.names;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The SRV names through which a client finds the server of a member zone (RFC 6281 §4, RFC 6763 §7
 * service naming; the names Apple's clients look up). The server synthesises them in every member
 * zone; the host agent looks up {@link #UPDATE_TLS} when no server is configured.
 */
public final class DiscoveryNames {
  /** RFC 2136 updates over DNS-over-TLS (RFC 7858). */
  public static final String UPDATE_TLS = "_dns-update-tls._tcp";

  /** LLQ (RFC 8764) over DNS-over-TLS. */
  public static final String LLQ_TLS = "_dns-llq-tls._tcp";

  /** Queries over DNS-over-TLS. */
  public static final String QUERY_TLS = "_dns-query-tls._tcp";

  /** Updates over plain DNS. */
  public static final String UPDATE_UDP = "_dns-update._udp";

  /** LLQ over plain DNS (UDP four-way setup, RFC 8764 §5.1). */
  public static final String LLQ_UDP = "_dns-llq._udp";

  /** The names that point at the TLS port. */
  public static final List<String> TLS = List.of(UPDATE_TLS, LLQ_TLS, QUERY_TLS);

  /** The names that point at the plain DNS port. */
  public static final List<String> UDP = List.of(UPDATE_UDP, LLQ_UDP);

  private DiscoveryNames() {}

  /** {@code service.zone}, e.g. {@code _dns-update-tls._tcp.alice.members.example.}. */
  public static Name in(String service, Name zone) {
    try {
      return Name.concatenate(Name.fromString(service), zone);
    } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
      throw new IllegalArgumentException("bad discovery name " + service + "." + zone, e);
    }
  }
}
