package net.membersdns.protocol.names;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The names a host registers in its member zone, and which names belong to which host.
 *
 * <p>Host {@code H} of member zone {@code D} (RFC 6281 §4.3 records, with the names Apple's clients
 * use from mDNSResponder 379 on):
 *
 * <pre>
 *   H.D                           AAAA  the host's ULA (RFC 4193), its identity inside the tunnels
 *   _autotunnel._udp.H.D          SRV   0 0 &lt;external port&gt; _autotunnel.H.D     (RFC 2782)
 *                                 SRV   10 0 &lt;internal port&gt; _lan._autotunnel.H.D  (behind NAT)
 *   _autotunnel.H.D               A     the public IPv4 address: the NAT's, or the host's own
 *                                 TXT   "wg=&lt;base64 WireGuard public key&gt;" ["nat=double-nat"]
 *   _lan._autotunnel.H.D          A     the host's LAN address, for peers behind the same NAT
 *   H._device-info._tcp.D         TXT   "model=..." "os=..."          (DNS-SD, RFC 6763 §6)
 *   _autotunnel._udp.D            PTR   _autotunnel._udp.H.D           browse: one per host
 * </pre>
 *
 * <p>The SRV of priority 10 is the second choice RFC 2782 defines: a peer uses it only when the
 * first cannot work, which is when both hosts sit behind the same public address (home NATs rarely
 * hairpin). The browse PTR lets a watcher learn that a host appeared or left from one name.
 *
 * <p>{@link #mayWrite} is the ownership rule a host key is held to: like BIND's {@code selfsub},
 * the host's own name and every name below it, plus its DNS-SD instance records and the PTRs that
 * point at its own names.
 */
public final class HostNames {
  /** Service label pair of the tunnel endpoint SRV and of the browse PTR. */
  public static final String TUNNEL_SERVICE = "_autotunnel._udp";

  /** The SRV's first target: A (public IPv4) and TXT (WireGuard key). */
  public static final String TUNNEL_TARGET = "_autotunnel";

  /** The SRV's second target: A of the LAN address. */
  public static final String LAN_TARGET = "_lan._autotunnel";

  /** DNS-SD service type of the device-info TXT (RFC 6763 §6; Apple's name). */
  public static final String DEVICE_INFO = "_device-info._tcp";

  /** The TXT key that carries the WireGuard public key at {@link #tunnelTarget}. */
  public static final String WG_KEY_PREFIX = "wg=";

  /**
   * The TXT key at {@link #tunnelTarget} that says why a host has no public endpoint ({@code
   * nat=double-nat}, {@code nat=carrier-grade-nat}, ...), so its peers can tell their users.
   */
  public static final String NAT_PREFIX = "nat=";

  /** SRV priority of the public endpoint; the LAN one is {@link #LAN_PRIORITY}. */
  public static final int PUBLIC_PRIORITY = 0;

  public static final int LAN_PRIORITY = 10;

  // One LDH label (RFC 1035 §2.3.1, RFC 1123 §2.1), lower case: never an underscore label, so a
  // host name can never collide with a service or discovery name.
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private HostNames() {}

  /**
   * The canonical (lower-case) host label.
   *
   * @throws IllegalArgumentException with a readable reason
   */
  public static String label(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (!LABEL.matcher(h).matches()) {
      throw new IllegalArgumentException(
          "host name '"
              + host
              + "' must be one DNS label: letters, digits and inner hyphens, at most 63");
    }
    return h;
  }

  /** Whether {@code host} is a valid host label (any case). */
  public static boolean isLabel(String host) {
    return LABEL.matcher(host.toLowerCase(Locale.ROOT)).matches();
  }

  /**
   * {@code text} made a valid host label: lower case, anything but letters and digits becomes a
   * hyphen, hyphens collapsed and trimmed, cut to 63; {@code host} when nothing is left. For the
   * agent's default host name (the short host name).
   */
  public static String fromHostname(String text) {
    String s = text.toLowerCase(Locale.ROOT);
    int dot = s.indexOf('.');
    if (dot >= 0) {
      s = s.substring(0, dot);
    }
    s = s.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (s.length() > 63) {
      s = s.substring(0, 63).replaceAll("-+$", "");
    }
    return s.isEmpty() ? "host" : s;
  }

  /** {@code H.D}: the host's AAAA (its ULA). */
  public static Name host(Name zone, String host) {
    return concat(label(host), zone);
  }

  /** {@code _autotunnel._udp.H.D}: the tunnel endpoint SRV. */
  public static Name tunnelService(Name zone, String host) {
    return concat(TUNNEL_SERVICE, host(zone, host));
  }

  /** {@code _autotunnel.H.D}: public A and the WireGuard key TXT. */
  public static Name tunnelTarget(Name zone, String host) {
    return concat(TUNNEL_TARGET, host(zone, host));
  }

  /** {@code _lan._autotunnel.H.D}: the LAN A. */
  public static Name lanTarget(Name zone, String host) {
    return concat(LAN_TARGET, host(zone, host));
  }

  /** {@code H._device-info._tcp.D}: the device-info TXT. */
  public static Name deviceInfo(Name zone, String host) {
    return concat(label(host), concat(DEVICE_INFO, zone));
  }

  /** {@code _autotunnel._udp.D}: one PTR per host, to its {@link #tunnelService}. */
  public static Name browse(Name zone) {
    return concat(TUNNEL_SERVICE, zone);
  }

  /**
   * The host a name belongs to by position: the label right below the zone when it is a host label
   * ({@code mbp} for {@code _autotunnel._udp.mbp.D}); empty for the apex, service names and names
   * outside the zone.
   */
  public static Optional<String> hostOf(Name zone, Name owner) {
    int depth = owner.labels() - zone.labels();
    if (depth < 1 || !owner.subdomain(zone)) {
      return Optional.empty();
    }
    String label = owner.getLabelString(depth - 1).toLowerCase(Locale.ROOT);
    return LABEL.matcher(label).matches() ? Optional.of(label) : Optional.empty();
  }

  /**
   * The instance label of a DNS-SD service instance name {@code <Instance>.<_svc>.<_proto>.D} (RFC
   * 6763 §4.1), lower case; empty for any other name.
   */
  public static Optional<String> instanceOf(Name zone, Name owner) {
    if (owner.labels() - zone.labels() != 3 || !owner.subdomain(zone)) {
      return Optional.empty();
    }
    if (!isUnderscore(owner, 1) || !isUnderscore(owner, 2)) {
      return Optional.empty();
    }
    return Optional.of(owner.getLabelString(0).toLowerCase(Locale.ROOT));
  }

  /** Whether {@code owner} is a DNS-SD service type name {@code <_svc>.<_proto>.D}. */
  public static boolean isServiceType(Name zone, Name owner) {
    return owner.labels() - zone.labels() == 2
        && owner.subdomain(zone)
        && isUnderscore(owner, 0)
        && isUnderscore(owner, 1);
  }

  /** Whether {@code name} belongs to {@code host}: below its name, or one of its instances. */
  public static boolean belongsTo(Name zone, String host, Name name) {
    String h = label(host);
    return name.subdomain(host(zone, h)) || instanceOf(zone, name).filter(h::equals).isPresent();
  }

  /**
   * Whether host {@code host}'s key may make the RFC 2136 update {@code rr} in {@code zone}: class
   * IN adds, NONE deletes one RR, ANY deletes an RRset or a name (RFC 2136 §2.5).
   *
   * <ul>
   *   <li>any change at or below the host's name, and to its DNS-SD instance names;
   *   <li>at a service type name (shared by every host: the browse PTR), only adding or deleting
   *       one PTR that points at a name belonging to the host — never a delete of the whole RRset,
   *       which would take the other hosts' PTRs with it.
   * </ul>
   */
  public static boolean mayWrite(Name zone, String host, Record rr) {
    Name owner = rr.getName();
    if (belongsTo(zone, host, owner)) {
      return true;
    }
    if (isServiceType(zone, owner)
        && rr.getType() == Type.PTR
        && (rr.getDClass() == DClass.IN || rr.getDClass() == DClass.NONE)
        && rr instanceof PTRRecord ptr) {
      return belongsTo(zone, host, ptr.getTarget());
    }
    return false;
  }

  private static boolean isUnderscore(Name name, int label) {
    return name.getLabelString(label).startsWith("_");
  }

  private static Name concat(String prefix, Name suffix) {
    try {
      return Name.concatenate(Name.fromString(prefix), suffix);
    } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
      throw new IllegalArgumentException("bad name " + prefix + "." + suffix, e);
    }
  }
}
