package net.membersdns.server.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code ADDRESS:PORT} socket addresses: {@code 127.0.0.1:5300}, {@code [::1]:853}, {@code
 * 0.0.0.0:53}. Addresses must be literals: a listen address that needs DNS to resolve is a
 * configuration mistake for a DNS server.
 */
public final class HostPort implements ITypeConverter<InetSocketAddress> {
  @Override
  public InetSocketAddress convert(String value) {
    return parse(value);
  }

  public static InetSocketAddress parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new TypeConversionException("'" + value + "' is not ADDRESS:PORT");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new TypeConversionException("'" + value + "': write IPv6 addresses as [ADDRESS]:PORT");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "': port is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new TypeConversionException("'" + value + "': port must be 0-65535");
    }
    return new InetSocketAddress(literal(host, value), port);
  }

  static InetAddress literal(String host, String whole) {
    if (!host.matches("[0-9a-fA-F.:%]+")) {
      throw new TypeConversionException("'" + whole + "': use an IP address, not a host name");
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new TypeConversionException("'" + whole + "': not an IP address");
    }
  }
}
