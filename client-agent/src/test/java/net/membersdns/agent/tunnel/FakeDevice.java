package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory WireGuard device with wireguard-go's {@code set} semantics (update_only skips an
 * absent peer, an allowed IP belongs to one peer only), counting writes; tests make it roam a peer
 * or complete a handshake.
 */
final class FakeDevice implements WireGuardDevice {
  private Optional<WgKey> privateKey = Optional.empty();
  private int listenPort = 40000;
  private final Map<WgKey, PeerState> peers = new LinkedHashMap<>();
  final List<DeviceUpdate> writes = new ArrayList<>();
  IOException failNextSet;

  @Override
  public synchronized DeviceState get() {
    return new DeviceState(privateKey, listenPort, 0, List.copyOf(peers.values()));
  }

  @Override
  public synchronized void set(DeviceUpdate u) throws IOException {
    if (failNextSet != null) {
      IOException e = failNextSet;
      failNextSet = null;
      throw e;
    }
    if (u.isEmpty()) {
      throw new AssertionError("an empty update was sent");
    }
    writes.add(u);
    u.privateKey().ifPresent(k -> privateKey = Optional.of(k));
    u.listenPort().ifPresent(p -> listenPort = p);
    if (u.replacePeers()) {
      peers.clear();
    }
    for (PeerUpdate p : u.peers()) {
      if (p.remove()) {
        peers.remove(p.publicKey());
        continue;
      }
      PeerState cur = peers.get(p.publicKey());
      if (cur == null && p.updateOnly()) {
        continue;
      }
      if (cur == null) {
        cur = new PeerState(p.publicKey(), Optional.empty(), List.of(), 0, Optional.empty(), 0, 0);
      }
      List<IpPrefix> allowed = p.allowedIps().orElse(cur.allowedIps());
      p.allowedIps().ifPresent(this::takeFromOthers);
      peers.put(
          p.publicKey(),
          new PeerState(
              p.publicKey(),
              p.endpoint().isPresent() ? p.endpoint() : cur.endpoint(),
              allowed,
              p.persistentKeepalive().orElse(cur.persistentKeepalive()),
              cur.lastHandshake(),
              cur.rxBytes(),
              cur.txBytes()));
    }
  }

  private void takeFromOthers(List<IpPrefix> ips) {
    peers.replaceAll((k, s) -> {
      List<IpPrefix> left = new ArrayList<>(s.allowedIps());
      left.removeAll(ips);
      return new PeerState(
          k,
          s.endpoint(),
          left,
          s.persistentKeepalive(),
          s.lastHandshake(),
          s.rxBytes(),
          s.txBytes());
    });
  }

  /** WireGuard roaming: the peer's packets now come from {@code from}. */
  synchronized void roam(WgKey key, InetSocketAddress from) {
    PeerState s = peers.get(key);
    peers.put(
        key,
        new PeerState(
            key,
            Optional.of(from),
            s.allowedIps(),
            s.persistentKeepalive(),
            s.lastHandshake(),
            s.rxBytes(),
            s.txBytes()));
  }

  /** A handshake completed at {@code at}, with traffic. */
  synchronized void handshake(WgKey key, Instant at, long rx, long tx) {
    PeerState s = peers.get(key);
    peers.put(
        key,
        new PeerState(
            key, s.endpoint(), s.allowedIps(), s.persistentKeepalive(), Optional.of(at), rx, tx));
  }

  /** A peer put there by someone else (or an earlier run). */
  synchronized void putPeer(PeerState s) {
    peers.put(s.publicKey(), s);
  }

  @Override
  public String describe() {
    return "fake";
  }
}
