package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's WireGuard tunnel: one interface holding our ULA/128, our key and the listen port, with
 * one peer and one {@code /128} route per other host of the member.
 *
 * <p>{@link #reconcile} makes the interface's peers equal the desired set by reading the device and
 * writing only the difference, in one write, or none when they already agree; it never tears
 * anything down, so a network move (new endpoints for the same peers) keeps the interface, the
 * address, the keys and every open connection between ULAs. {@link #close()} removes what {@link
 * #open} added: the routes, the address if it was not there, and the interface if we made it.
 *
 * <p>Thread-safe: every method is {@code synchronized}, so the reconcile loop and a status reader
 * may share one instance. Each call does blocking I/O (UAPI socket or {@code ip}/{@code wg} runs).
 */
public final class Tunnel implements AutoCloseable {
  /** The interface name when {@code --interface} is not given. */
  public static final String DEFAULT_INTERFACE = "mdns0";

  private static final Logger LOG = LoggerFactory.getLogger(Tunnel.class);

  private final WireGuardDevice device;
  private final Link link;
  private final WgKey ourKey;
  private final Inet6Address ula;
  private final Clock clock;
  private final Optional<WireGuardInterface> iface;
  // per peer, the chosen endpoint the device has been given: a device endpoint that differs from
  // it was learned by roaming and is left alone (PeerDiff); forgotten on networkChanged()
  private final Map<WgKey, InetSocketAddress> configured = new HashMap<>();
  private Map<WgKey, DesiredPeer> desired = Map.of();
  private boolean addedAddress;
  private long deviceWrites;
  private boolean closed;

  Tunnel(
      WireGuardDevice device,
      Link link,
      WgKey ourKey,
      Inet6Address ula,
      Clock clock,
      Optional<WireGuardInterface> iface) {
    this.device = device;
    this.link = link;
    this.ourKey = ourKey;
    this.ula = ula;
    this.clock = clock;
    this.iface = iface;
  }

  /**
   * Opens the tunnel: finds or makes interface {@code interfaceName} (see {@link
   * WireGuardInterface}), sets its private key and listen port where they differ, adds {@code
   * ula/128} (no DAD) and sets it up. Peers already on a reused interface stay until the first
   * {@link #reconcile}.
   *
   * @param listenPort the UDP port to listen on: the internal port of our NAT mapping; 0 leaves it
   *     to the device
   * @throws IOException when the interface cannot be found, made or configured (nothing made is
   *     left behind then)
   */
  public static Tunnel open(
      String interfaceName, KeyPair keys, int listenPort, Inet6Address ula, TunnelOptions options)
      throws IOException {
    WireGuardInterface iface = WireGuardInterface.open(interfaceName, options);
    Tunnel t =
        new Tunnel(
            iface.device(),
            iface.link(),
            keys.publicKey(),
            ula,
            options.clock(),
            Optional.of(iface));
    try {
      t.configure(keys.privateKey(), listenPort);
    } catch (IOException | RuntimeException e) {
      try {
        t.close(); // the address if it got added, the interface if we made it
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    LOG.info("{}: tunnel open as {}", iface.describe(), IpText.address(ula));
    return t;
  }

  synchronized void configure(WgKey privateKey, int listenPort) throws IOException {
    DeviceState now = device.get();
    Optional<WgKey> key =
        now.privateKey().equals(Optional.of(privateKey))
            ? Optional.empty()
            : Optional.of(privateKey);
    OptionalInt port =
        listenPort == 0 || now.listenPort() == listenPort
            ? OptionalInt.empty()
            : OptionalInt.of(listenPort);
    write(new DeviceUpdate(key, port, false, List.of()));
    if (!link.hasAddress(ula)) {
      link.addAddress(ula);
      addedAddress = true;
    }
    link.up();
  }

  /**
   * Makes the device's peers and the {@code /128} routes equal {@code peers} (see {@link PeerDiff}
   * for the rules), writing only the difference in at most one device write.
   *
   * @param peers the other hosts, distinct by key and by ULA, none of them us
   * @throws IOException when the device or {@code ip} fails; the next call starts again from what
   *     the device then has
   */
  public synchronized ReconcileResult reconcile(List<DesiredPeer> peers) throws IOException {
    requireOpen();
    Map<WgKey, DesiredPeer> wanted = index(peers);
    Map<WgKey, String> hosts = new HashMap<>();
    desired.forEach((k, d) -> hosts.put(k, d.host()));
    PeerDiff.Plan plan = PeerDiff.plan(device.get(), peers, configured, hosts);
    int writes = write(plan.update());
    configured.keySet().retainAll(wanted.keySet());
    peers.forEach(d -> d.path().endpoint().ifPresent(e -> configured.put(d.publicKey(), e)));
    desired = wanted;

    Set<Inet6Address> want = new HashSet<>();
    peers.forEach(d -> want.add(d.ula()));
    HostRoutes.Change routes = HostRoutes.apply(link, want, ula);
    ReconcileResult r =
        new ReconcileResult(
            plan.added(), plan.removed(), plan.changed(), writes, routes.added(), routes.removed());
    if (!r.unchanged()) {
      LOG.info(
          "{}: added {} removed {} changed {}; routes +{} -{}",
          link.name(),
          r.added(),
          r.removed(),
          r.changed(),
          r.routesAdded(),
          r.routesRemoved());
    }
    return r;
  }

  /**
   * Forgets which endpoints were configured, so the next {@link #reconcile} writes every chosen
   * endpoint the device does not have, including ones WireGuard roaming had replaced. The reconcile
   * loop calls it when this host moved: a learned endpoint that worked at the old place may not
   * work from the new one. Writes nothing itself.
   */
  public synchronized void networkChanged() {
    configured.clear();
  }

  /** Changes the listen port (when the mapping's internal port changes); nothing if equal. */
  public synchronized void changeListenPort(int port) throws IOException {
    requireOpen();
    if (device.get().listenPort() != port) {
      write(new DeviceUpdate(Optional.empty(), OptionalInt.of(port), false, List.of()));
    }
  }

  /** The desired peers, in the order last given, with the device's view of each. */
  public synchronized List<PeerStatus> status() throws IOException {
    requireOpen();
    Map<WgKey, PeerState> have = device.get().peersByKey();
    List<PeerStatus> out = new ArrayList<>();
    for (DesiredPeer d : desired.values()) {
      out.add(PeerStatus.of(d, Optional.ofNullable(have.get(d.publicKey())), clock.instant()));
    }
    return out;
  }

  /** Configuration writes sent to the device since open (a metric; unchanged reconciles add 0). */
  public synchronized long deviceWrites() {
    return deviceWrites;
  }

  public String interfaceName() {
    return link.name();
  }

  /** The interface and how it is driven, for logs and status. */
  public String describe() {
    return iface
        .map(WireGuardInterface::describe)
        .orElse(link.name() + " via " + device.describe());
  }

  /**
   * Removes the peers' routes, our address if we added it, and the interface if we made it. Every
   * step is tried; the first failure is thrown with the others suppressed. Idempotent.
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    List<IOException> failures = new ArrayList<>();
    try {
      Set<Inet6Address> routes = link.hostRoutes();
      for (DesiredPeer d : desired.values()) {
        if (routes.contains(d.ula())) {
          attempt(failures, () -> link.deleteHostRoute(d.ula()));
        }
      }
    } catch (IOException e) {
      failures.add(e);
    }
    if (addedAddress) {
      attempt(failures, () -> link.removeAddress(ula));
    }
    if (iface.isPresent()) {
      attempt(failures, iface.get()::close);
    }
    if (!failures.isEmpty()) {
      IOException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  private int write(DeviceUpdate update) throws IOException {
    if (update.isEmpty()) {
      return 0;
    }
    device.set(update);
    deviceWrites++;
    return 1;
  }

  private Map<WgKey, DesiredPeer> index(List<DesiredPeer> peers) {
    Map<WgKey, DesiredPeer> byKey = new LinkedHashMap<>();
    Set<Inet6Address> ulas = new HashSet<>();
    for (DesiredPeer d : peers) {
      if (d.publicKey().equals(ourKey) || d.ula().equals(ula)) {
        throw new IllegalArgumentException(d.host() + " has our own key or ULA: not a peer");
      }
      if (byKey.put(d.publicKey(), d) != null || !ulas.add(d.ula())) {
        throw new IllegalArgumentException(d.host() + ": two peers with one key or one ULA");
      }
    }
    return byKey;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(link.name() + ": tunnel closed");
    }
  }

  private interface Step {
    void run() throws IOException;
  }

  private static void attempt(List<IOException> failures, Step step) {
    try {
      step.run();
    } catch (IOException e) {
      failures.add(e);
    }
  }
}
