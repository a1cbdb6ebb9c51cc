package net.membersdns.agent.tunnel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.Address;

/**
 * Text forms of addresses and endpoints as WireGuard tools print them: IPv4 dotted quad, IPv6 in
 * the RFC 5952 canonical form, endpoints as {@code a.b.c.d:port} or {@code [v6]:port}. Parsing
 * accepts literals only and never resolves a name (the JDK's {@code InetAddress.getByName} would
 * send a garbled "address" to DNS). Stateless.
 */
public final class IpText {
  private IpText() {}

  /**
   * Parses an IPv4 or IPv6 literal; an IPv6 zone ({@code %eth0}) is dropped.
   *
   * @throws IllegalArgumentException if it is not a literal
   */
  public static InetAddress address(String text) {
    String s = text.strip();
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    byte[] raw = Address.toByteArray(s, s.indexOf(':') >= 0 ? Address.IPv6 : Address.IPv4);
    if (raw == null) {
      throw new IllegalArgumentException("not an IP address: " + text);
    }
    try {
      // a v4-mapped v6 literal comes back as Inet4Address, which is what wireguard-go prints
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + text, e);
    }
  }

  /**
   * Parses {@code a.b.c.d:port} or {@code [v6]:port}.
   *
   * @throws IllegalArgumentException if it is neither
   */
  public static InetSocketAddress endpoint(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not an endpoint (address:port): " + text);
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("an IPv6 endpoint needs brackets: " + text);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an endpoint port: " + text, e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint port out of range: " + text);
    }
    return new InetSocketAddress(address(host), port);
  }

  /** {@code a.b.c.d:port} or {@code [v6]:port}. */
  public static String endpoint(InetSocketAddress endpoint) {
    InetAddress a = endpoint.getAddress();
    String host = a instanceof Inet6Address ? "[" + address(a) + "]" : address(a);
    return host + ":" + endpoint.getPort();
  }

  /** Dotted quad, or RFC 5952 §4: lowercase, no leading zeros, the longest zero run as "::". */
  public static String address(InetAddress a) {
    if (a instanceof Inet4Address) {
      return a.getHostAddress();
    }
    byte[] b = a.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    // RFC 5952 §4.2.3: the longest run of zero groups, the first one on a tie, never a single one
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }
}
