package net.membersdns.server.pipeline;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The bucket key of response rate limiting: a 64-bit hash of the client's network (IPv4 /24, IPv6
 * /56, the prefixes BIND and Knot use by default), the {@link ResponseClass}, and the name (and for
 * answers the type) the class is keyed by. Read straight from the rendered response's wire form,
 * following compression pointers, lower-casing names (RFC 4343: names compare without case, so a
 * 0x20 case mix is one name). Never allocates for IPv4 clients.
 */
final class RrlKey {
  static final int IPV4_PREFIX_BITS = 24;
  static final int IPV6_PREFIX_BITS = 56;

  private static final int HEADER = 12;
  private static final int MAX_POINTERS = 32;
  private static final int TYPE_SOA = 6;

  private RrlKey() {}

  /** The class of {@code response}, a complete rendered DNS response. */
  static ResponseClass classify(byte[] response) {
    if (response.length < HEADER) {
      return ResponseClass.ERROR;
    }
    int rcode = response[3] & 0xF;
    if (rcode == 3) {
      return ResponseClass.NXDOMAIN;
    }
    if (rcode != 0) {
      return ResponseClass.ERROR;
    }
    if (u16(response, 6) > 0) {
      return ResponseClass.ANSWER;
    }
    int authority = authorityStart(response);
    if (authority < 0 || u16(response, 8) == 0) {
      return ResponseClass.NODATA;
    }
    int type = skipName(response, authority);
    if (type < 0 || type + 2 > response.length) {
      return ResponseClass.NODATA;
    }
    return u16(response, type) == TYPE_SOA ? ResponseClass.NODATA : ResponseClass.REFERRAL;
  }

  /** The key of {@code response} to {@code client}, of class {@code cls}, default prefixes. */
  static long of(InetAddress client, byte[] response, ResponseClass cls) {
    return of(network(client, IPV4_PREFIX_BITS, IPV6_PREFIX_BITS), response, cls);
  }

  /** The key of {@code response} to the client network {@code network}, of class {@code cls}. */
  static long of(long network, byte[] response, ResponseClass cls) {
    long h = network;
    h = mix(h ^ (cls.ordinal() + 1));
    switch (cls) {
      case ANSWER -> {
        if (u16(response, 4) > 0) {
          h = hashName(response, HEADER, h);
          int type = skipName(response, HEADER);
          if (type >= 0 && type + 2 <= response.length) {
            h = mix(h ^ u16(response, type));
          }
        }
      }
      case NXDOMAIN, NODATA, REFERRAL -> {
        int authority = authorityStart(response);
        if (authority >= 0 && u16(response, 8) > 0) {
          h = hashName(response, authority, h); // the zone apex, or the delegation point
        }
      }
      case ERROR -> {}
    }
    h = mix(h);
    return h == 0 ? 1 : h;
  }

  /**
   * The client's network, hashed: the first {@code v4Bits} bits of an IPv4 address, the first
   * {@code v6Bits} of an IPv6 one ({@code --rrl-ipv4-prefix-length}, {@code
   * --rrl-ipv6-prefix-length}; 24 and 56 by default, as BIND and Knot).
   */
  static long network(InetAddress client, int v4Bits, int v6Bits) {
    if (client instanceof Inet4Address v4) {
      // Inet4Address.hashCode() is the address itself: no copy of its bytes.
      long mask = v4Bits == 0 ? 0 : (0xFFFF_FFFFL << (32 - v4Bits)) & 0xFFFF_FFFFL;
      return mix(((v4.hashCode() & 0xFFFF_FFFFL) & mask) ^ (4L << 56) ^ ((long) v4Bits << 40));
    }
    byte[] a = client.getAddress();
    long high = 0;
    long low = 0;
    for (int i = 0; i < 16; i++) {
      int left = v6Bits - 8 * i;
      int b = left >= 8 ? a[i] & 0xFF : left > 0 ? a[i] & (0xFF << (8 - left)) & 0xFF : 0;
      if (i < 8) {
        high = (high << 8) | b;
      } else {
        low = (low << 8) | b;
      }
    }
    return mix(mix(high ^ (6L + v6Bits)) ^ low);
  }

  /** Where the authority section starts, or -1 when a section cannot be skipped. */
  private static int authorityStart(byte[] m) {
    int pos = HEADER;
    for (int i = u16(m, 4); i > 0; i--) {
      pos = skipName(m, pos);
      if (pos < 0) {
        return -1;
      }
      pos += 4;
    }
    for (int i = u16(m, 6); i > 0; i--) {
      pos = skipName(m, pos);
      if (pos < 0 || pos + 10 > m.length) {
        return -1;
      }
      pos += 10 + u16(m, pos + 8);
    }
    return pos <= m.length ? pos : -1;
  }

  /** The offset just past the name at {@code pos}, or -1 when it runs off the message. */
  static int skipName(byte[] m, int pos) {
    while (pos < m.length) {
      int len = m[pos] & 0xFF;
      if (len == 0) {
        return pos + 1;
      }
      if ((len & 0xC0) == 0xC0) {
        return pos + 2 <= m.length ? pos + 2 : -1; // a pointer ends the name (RFC 1035 §4.1.4)
      }
      pos += 1 + len;
    }
    return -1;
  }

  /** Folds the name at {@code pos} (pointers followed, letters lower-cased) into {@code h}. */
  private static long hashName(byte[] m, int pos, long h) {
    int pointers = 0;
    while (pos >= 0 && pos < m.length) {
      int len = m[pos] & 0xFF;
      if (len == 0) {
        break;
      }
      if ((len & 0xC0) == 0xC0) {
        if (++pointers > MAX_POINTERS || pos + 1 >= m.length) {
          break;
        }
        pos = ((len & 0x3F) << 8) | (m[pos + 1] & 0xFF);
        continue;
      }
      h = (h ^ len) * 0x100000001B3L;
      for (int i = pos + 1; i <= pos + len && i < m.length; i++) {
        int b = m[i] & 0xFF;
        if (b >= 'A' && b <= 'Z') {
          b += 'a' - 'A';
        }
        h = (h ^ b) * 0x100000001B3L; // FNV-1a
      }
      pos += 1 + len;
    }
    return h;
  }

  private static int u16(byte[] m, int pos) {
    return pos + 2 <= m.length ? ((m[pos] & 0xFF) << 8) | (m[pos + 1] & 0xFF) : 0;
  }

  /** MurmurHash3's 64-bit finaliser: spreads every input bit over the whole key. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }
}
