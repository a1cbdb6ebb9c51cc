package net.membersdns.agent.tunnel;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IP prefix as WireGuard's allowed IPs use it ({@code fd6d:6474:6200::b/128}, {@code
 * 10.9.0.0/24}).
 *
 * @param address the address as written (host bits are not cleared: WireGuard itself masks them)
 * @param length prefix length, 0–32 for IPv4, 0–128 for IPv6
 */
public record IpPrefix(InetAddress address, int length) {
  public IpPrefix {
    Objects.requireNonNull(address, "address");
    int max = address instanceof Inet4Address ? 32 : 128;
    if (length < 0 || length > max) {
      throw new IllegalArgumentException("prefix length " + length + " out of 0.." + max);
    }
  }

  /** The host prefix of one address: /32 or /128. */
  public static IpPrefix host(InetAddress address) {
    return new IpPrefix(address, address instanceof Inet4Address ? 32 : 128);
  }

  /**
   * Parses {@code address/length}; a bare address is its host prefix.
   *
   * @throws IllegalArgumentException if it is not a prefix
   */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return host(IpText.address(text));
    }
    InetAddress a = IpText.address(text.substring(0, slash));
    try {
      return new IpPrefix(a, Integer.parseInt(text.substring(slash + 1).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a prefix length: " + text, e);
    }
  }

  @Override
  public String toString() {
    return IpText.address(address) + "/" + length;
  }
}
