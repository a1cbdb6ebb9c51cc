package net.membersdns.agent.tunnel;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The difference between the peers the device has and the peers we want, as one {@link
 * DeviceUpdate} (empty when they agree) and its description. Pure.
 *
 * <p>Rules: a device peer we do not want is removed (its records vanished, or it is left from an
 * earlier run); a wanted peer the device lacks is added with its endpoint (if any), keepalive and
 * {@code ula/128} as its only allowed IP; a peer both have gets {@code update_only} changes of
 * exactly the fields that differ.
 *
 * <p>The endpoint is special because WireGuard changes it by itself: it follows a peer that roams
 * (the source of its latest authenticated packet). So a desired endpoint is written only when it
 * differs from the device's <em>and</em> is not the one we configured last time; a device endpoint
 * that moved away from what we configured was learned, works, and is left alone. A peer without a
 * desired endpoint keeps whatever the device has (UAPI cannot clear an endpoint anyway).
 */
final class PeerDiff {
  private PeerDiff() {}

  /**
   * @param update what to send; {@link DeviceUpdate#isEmpty()} when nothing differs
   * @param added hosts added
   * @param removed peers removed (host if we knew it, else the short key)
   * @param changed one line per changed peer: host and what changed
   */
  record Plan(
      DeviceUpdate update, List<String> added, List<String> removed, List<String> changed) {}

  /**
   * @param actual the device now
   * @param desired the peers we want (distinct keys)
   * @param configured the endpoint we last wrote per peer (forgotten on a network change)
   * @param knownHosts host names of keys we wanted before, to name removed peers
   */
  static Plan plan(
      DeviceState actual,
      List<DesiredPeer> desired,
      Map<WgKey, InetSocketAddress> configured,
      Map<WgKey, String> knownHosts) {
    Set<WgKey> wanted = new HashSet<>();
    desired.forEach(d -> wanted.add(d.publicKey()));
    List<PeerUpdate> updates = new ArrayList<>();
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (PeerState p : actual.peers()) {
      if (!wanted.contains(p.publicKey())) {
        updates.add(PeerUpdate.removal(p.publicKey()));
        removed.add(knownHosts.getOrDefault(p.publicKey(), p.publicKey().toString()));
      }
    }
    Map<WgKey, PeerState> have = actual.peersByKey();
    for (DesiredPeer d : desired) {
      List<IpPrefix> allowed = List.of(IpPrefix.host(d.ula()));
      PeerState cur = have.get(d.publicKey());
      if (cur == null) {
        updates.add(
            new PeerUpdate(
                d.publicKey(),
                false,
                false,
                d.path().endpoint(),
                OptionalInt.of(d.persistentKeepalive()),
                Optional.of(allowed)));
        added.add(d.host());
        continue;
      }
      List<String> what = new ArrayList<>();
      Optional<InetSocketAddress> endpoint = endpointChange(d, cur, configured);
      endpoint.ifPresent(
          e -> what.add("endpoint " + show(cur.endpoint()) + " → " + IpText.endpoint(e)));
      OptionalInt keepalive = OptionalInt.empty();
      if (cur.persistentKeepalive() != d.persistentKeepalive()) {
        keepalive = OptionalInt.of(d.persistentKeepalive());
        what.add("keepalive " + cur.persistentKeepalive() + " → " + d.persistentKeepalive() + " s");
      }
      Optional<List<IpPrefix>> allowedIps = Optional.empty();
      if (!Set.copyOf(cur.allowedIps()).equals(Set.copyOf(allowed))) {
        allowedIps = Optional.of(allowed);
        what.add("allowed IPs " + cur.allowedIps() + " → " + allowed);
      }
      if (!what.isEmpty()) {
        updates.add(new PeerUpdate(d.publicKey(), false, true, endpoint, keepalive, allowedIps));
        changed.add(d.host() + ": " + String.join(", ", what));
      }
    }
    return new Plan(DeviceUpdate.ofPeers(updates), added, removed, changed);
  }

  private static Optional<InetSocketAddress> endpointChange(
      DesiredPeer d, PeerState cur, Map<WgKey, InetSocketAddress> configured) {
    Optional<InetSocketAddress> want = d.path().endpoint();
    if (want.isEmpty() || want.equals(cur.endpoint())) {
      return Optional.empty();
    }
    boolean roamedAwayFromOurs =
        cur.endpoint().isPresent() && want.get().equals(configured.get(d.publicKey()));
    return roamedAwayFromOurs ? Optional.empty() : want;
  }

  private static String show(Optional<InetSocketAddress> endpoint) {
    return endpoint.map(IpText::endpoint).orElse("(none)");
  }
}
