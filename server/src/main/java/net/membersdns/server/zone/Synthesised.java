package net.membersdns.server.zone;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.membersdns.protocol.names.DiscoveryNames;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The records the server synthesises into a zone (docs/architecture.md, Model): they differ between
 * zones only by apex and serial, so a zone keeps a one-byte kind per RRset instead of the records,
 * and they are made again from {@link ZoneSettings} when a reader asks. Kinds: the apex SOA and NS,
 * the server's own A/AAAA, and the discovery SRVs of RFC 6281 §4 (TLS services first, then plain
 * DNS ones, as {@link DiscoveryNames} lists them).
 */
final class Synthesised {
  static final byte NONE = 0;
  static final byte SOA = 1;
  static final byte NS = 2;
  static final byte ADDRESSES = 3;
  private static final byte TLS_SRV = 16;
  private static final byte UDP_SRV = 32;

  private Synthesised() {}

  static byte tlsService(int i) {
    return (byte) (TLS_SRV + i);
  }

  static byte udpService(int i) {
    return (byte) (UDP_SRV + i);
  }

  /** The discovery services' names relative to a zone, parsed once (every zone has them). */
  private static final List<Name> TLS_SERVICES = relative(DiscoveryNames.TLS);

  private static final List<Name> UDP_SERVICES = relative(DiscoveryNames.UDP);

  private static List<Name> relative(List<String> services) {
    List<Name> out = new ArrayList<>();
    for (String s : services) {
      try {
        out.add(Name.fromString(s));
      } catch (TextParseException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
    return List.copyOf(out);
  }

  /**
   * The owner of the discovery SRV of {@code kind} in the zone at {@code apex}: the name {@link
   * DiscoveryNames#in} makes, without parsing the service's text again.
   */
  static Name serviceOwner(byte kind, Name apex) {
    Name service =
        kind >= UDP_SRV ? UDP_SERVICES.get(kind - UDP_SRV) : TLS_SERVICES.get(kind - TLS_SRV);
    try {
      return Name.concatenate(service, apex);
    } catch (NameTooLongException e) {
      throw new IllegalArgumentException("bad discovery name " + service + "." + apex, e);
    }
  }

  /** Whether the server's addresses include one of {@code type} (A or AAAA). */
  static boolean hasAddress(ZoneSettings settings, int type) {
    for (InetAddress a : settings.serverAddresses()) {
      if (addressType(a) == type) {
        return true;
      }
    }
    return false;
  }

  static int addressType(InetAddress a) {
    return a instanceof Inet4Address ? Type.A : Type.AAAA;
  }

  /**
   * Appends the synthesised records of {@code kind} and {@code type} (the RRset's type: A or AAAA
   * for {@link #ADDRESSES}) of the zone, in the order the zone always listed them.
   */
  static void addTo(List<Record> out, byte kind, int type, ZoneData zone, ZoneSettings settings) {
    Name apex = zone.apex();
    switch (kind) {
      case NONE -> {}
      case SOA -> out.add(zone.soa());
      case NS -> out.add(new NSRecord(apex, DClass.IN, settings.soaTtl(), settings.serverName()));
      case ADDRESSES -> {
        for (InetAddress a : settings.serverAddresses()) {
          if (addressType(a) != type) {
            continue;
          }
          out.add(
              a instanceof Inet4Address
                  ? new ARecord(settings.serverName(), DClass.IN, settings.addressTtl(), a)
                  : new AAAARecord(settings.serverName(), DClass.IN, settings.addressTtl(), a));
        }
      }
      default -> {
        int port = kind >= UDP_SRV ? settings.dnsPort() : settings.tlsPort();
        out.add(
            new SRVRecord(
                serviceOwner(kind, apex),
                DClass.IN,
                settings.discoveryTtl(),
                0,
                0,
                port,
                settings.serverName()));
      }
    }
  }
}
