package net.membersdns.agent.netwatch;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 addresses as 32-bit values in network order, the way routing tables and NATs carry them. */
public final class Ipv4 {
  private Ipv4() {}

  /** The address whose network-order value is {@code bits} (0xC0A80101 is 192.168.1.1). */
  public static Inet4Address fromBits(int bits) {
    byte[] b = {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are always an IPv4 address", e);
    }
  }

  /** The network-order value of {@code address}. */
  public static int toBits(Inet4Address address) {
    byte[] b = address.getAddress();
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }

  /** The dotted quad of {@code address}. */
  public static String text(Inet4Address address) {
    return address.getHostAddress();
  }

  /** Parses a dotted quad without any name lookup; throws {@link IllegalArgumentException}. */
  public static Inet4Address parse(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    }
    int bits = 0;
    for (String p : parts) {
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      bits = bits << 8 | Integer.parseInt(p);
    }
    return fromBits(bits);
  }
}
