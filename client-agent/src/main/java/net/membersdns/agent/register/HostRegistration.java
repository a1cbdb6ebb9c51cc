package net.membersdns.agent.register;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import net.membersdns.protocol.names.HostNames;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * What a host should have registered right now, and the record set that says it (names: {@link
 * HostNames}). Pure.
 *
 * @param zone the member zone
 * @param host the host label
 * @param ula the host's ULA (the AAAA)
 * @param publicAddress where the internet reaches the host: the NAT's external address (with a
 *     mapping) or the host's own public address; empty when there is neither
 * @param publicPort the external port of the mapping (or the internal port for a public host)
 * @param lanAddress the host's own address when it is behind a NAT (peers behind the same NAT use
 *     it); empty for a public host
 * @param port the tunnel's internal UDP port (the LAN SRV's port)
 * @param tunnelKey the WireGuard public key in base64, published as {@code TXT "wg=..."}; empty if
 *     none yet
 * @param natProblem why there is no public endpoint (a diagnosis id such as {@code double-nat}),
 *     published as {@code "nat=..."} beside the key so peers can say why they cannot reach us
 * @param deviceInfo the device-info TXT strings ({@code model=...}); empty for none
 */
public record HostRegistration(
    Name zone,
    String host,
    Inet6Address ula,
    Optional<Inet4Address> publicAddress,
    int publicPort,
    Optional<Inet4Address> lanAddress,
    int port,
    Optional<String> tunnelKey,
    Optional<String> natProblem,
    List<String> deviceInfo) {
  /** TTL of the records that follow the host around (RFC 6281 hosts used 120 s). */
  public static final long TTL = 120;

  /** TTL of the device-info TXT, which rarely changes (Apple used 4500 s). */
  public static final long DEVICE_INFO_TTL = 4500;

  public HostRegistration {
    Objects.requireNonNull(zone, "zone");
    host = HostNames.label(host);
    Objects.requireNonNull(ula, "ula");
    deviceInfo = List.copyOf(deviceInfo);
  }

  /**
   * The records (RFC 6281 §4.3, names of {@link HostNames}): the AAAA always; the public SRV and A
   * only with a public address (a mapping or the host's own); the LAN SRV and A only behind a NAT;
   * the key TXT when there is a key; the browse PTR whenever the host has any tunnel endpoint.
   */
  public RecordSet records() {
    List<Record> rs = new ArrayList<>();
    rs.add(new AAAARecord(HostNames.host(zone, host), DClass.IN, TTL, ula));
    Name service = HostNames.tunnelService(zone, host);
    Name target = HostNames.tunnelTarget(zone, host);
    Name lan = HostNames.lanTarget(zone, host);
    publicAddress.ifPresent(a -> {
      rs.add(
          new SRVRecord(service, DClass.IN, TTL, HostNames.PUBLIC_PRIORITY, 0, publicPort, target));
      rs.add(new ARecord(target, DClass.IN, TTL, a));
    });
    lanAddress
        .filter(a -> !a.equals(publicAddress.orElse(null)))
        .ifPresent(a -> {
          rs.add(new SRVRecord(service, DClass.IN, TTL, HostNames.LAN_PRIORITY, 0, port, lan));
          rs.add(new ARecord(lan, DClass.IN, TTL, a));
        });
    List<String> txt = new ArrayList<>();
    tunnelKey.ifPresent(k -> txt.add(HostNames.WG_KEY_PREFIX + k));
    natProblem.ifPresent(p -> txt.add(HostNames.NAT_PREFIX + p));
    if (!txt.isEmpty()) {
      rs.add(new TXTRecord(target, DClass.IN, TTL, txt));
    }
    if (publicAddress.isPresent() || lanAddress.isPresent()) {
      rs.add(new PTRRecord(HostNames.browse(zone), DClass.IN, TTL, service));
    }
    if (!deviceInfo.isEmpty()) {
      rs.add(
          new TXTRecord(HostNames.deviceInfo(zone, host), DClass.IN, DEVICE_INFO_TTL, deviceInfo));
    }
    return RecordSet.of(rs);
  }

  /**
   * Every RRset this host may ever register, so that a first registration (after a restart, with
   * nothing known of what the server holds) can clear what a previous run left: a LAN record from
   * the last network, an old key.
   */
  public static List<RRsetKey> managedKeys(Name zone, String host) {
    Name target = HostNames.tunnelTarget(zone, host);
    return List.of(
        new RRsetKey(HostNames.host(zone, host), Type.AAAA),
        new RRsetKey(HostNames.tunnelService(zone, host), Type.SRV),
        new RRsetKey(target, Type.A),
        new RRsetKey(target, Type.TXT),
        new RRsetKey(HostNames.lanTarget(zone, host), Type.A),
        new RRsetKey(HostNames.deviceInfo(zone, host), Type.TXT));
  }
}
