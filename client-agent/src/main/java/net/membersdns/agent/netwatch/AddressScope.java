package net.membersdns.agent.netwatch;

import java.net.Inet4Address;

/**
 * Where an IPv4 address belongs, as far as port mapping cares: a host whose own address is {@link
 * #PUBLIC} needs no mapping, and a NAT whose external address is {@link #PRIVATE} or {@link
 * #SHARED} sits behind another NAT.
 */
public enum AddressScope {
  /** 10/8, 172.16/12, 192.168/16 (RFC 1918). */
  PRIVATE,
  /** 100.64/10, the shared address space of carrier-grade NAT (RFC 6598). */
  SHARED,
  /** 169.254/16 (RFC 3927). */
  LINK_LOCAL,
  /** 127/8. */
  LOOPBACK,
  /** 0/8, multicast 224/4 and the reserved 240/4: never a host's or a NAT's usable address. */
  UNUSABLE,
  /**
   * Anything else. This includes the benchmarking range 198.18/15 (RFC 2544) on purpose: the test
   * network uses it as "the Internet", and no real host is numbered from it.
   */
  PUBLIC;

  /** The scope of {@code address}. */
  public static AddressScope of(Inet4Address address) {
    byte[] b = address.getAddress();
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
      return PRIVATE;
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      return SHARED;
    }
    if (a0 == 169 && a1 == 254) {
      return LINK_LOCAL;
    }
    if (a0 == 127) {
      return LOOPBACK;
    }
    if (a0 == 0 || a0 >= 224) {
      return UNUSABLE;
    }
    return PUBLIC;
  }

  /** Whether {@code address} is reachable from the whole Internet as far as its number says. */
  public static boolean isPublic(Inet4Address address) {
    return of(address) == PUBLIC;
  }
}
