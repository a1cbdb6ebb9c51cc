package net.membersdns.agent.core;

import java.io.IOException;
import java.net.Inet4Address;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.membersdns.agent.config.AgentConfig;
import net.membersdns.agent.diagnosis.Diagnosis;
import net.membersdns.agent.hostid.HostIdentity;
import net.membersdns.agent.hostid.StateDir;
import net.membersdns.agent.peers.PeerRecords;
import net.membersdns.agent.tunnel.DesiredPeer;
import net.membersdns.agent.tunnel.IpText;
import net.membersdns.agent.tunnel.KeyFile;
import net.membersdns.agent.tunnel.KeyPair;
import net.membersdns.agent.tunnel.PeerEndpoints;
import net.membersdns.agent.tunnel.PeerStatus;
import net.membersdns.agent.tunnel.ReconcileResult;
import net.membersdns.agent.tunnel.Tunnel;
import net.membersdns.agent.tunnel.TunnelOptions;
import net.membersdns.agent.tunnel.WgKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the tunnel: turns the peers read from the zone into the WireGuard peers the
 * interface should have ({@link DesiredPeer}: key, ULA, the endpoint {@link
 * net.membersdns.agent.tunnel.EndpointChoice} picks for where we are now) and lets {@link Tunnel}
 * apply only the difference. With {@code --no-tunnel} it does nothing and publishes no key.
 *
 * <p>Loop-confined; the device calls block briefly (a UAPI round trip, an {@code ip} run).
 */
final class TunnelPeers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TunnelPeers.class);

  /** Re-check the device this often even without changes (someone may have touched it). */
  static final Duration RECHECK = Duration.ofSeconds(60);

  private final Tunnel tunnel;
  private final KeyPair keys;
  private final Say say;
  private List<DesiredPeer> applied;
  private Instant appliedAt = Instant.MIN;
  private boolean dirty = true;

  private TunnelPeers(Tunnel tunnel, KeyPair keys, Say say) {
    this.tunnel = tunnel;
    this.keys = keys;
    this.say = say;
  }

  /** Opens (or makes) the WireGuard interface with the host's ULA and tunnel key. */
  static TunnelPeers open(
      AgentConfig config, HostIdentity id, StateDir dir, Say say, SecureRandom random)
      throws IOException {
    KeyPair keys = KeyFile.loadOrCreate(dir.path(), random);
    Tunnel t =
        Tunnel.open(
            config.interfaceName(),
            keys,
            config.port(),
            id.ula(),
            TunnelOptions.defaults().withStateDir(dir.path()));
    say.line(
        "tunnel: "
            + t.describe()
            + ", public key "
            + keys.publicKey().base64()
            + ", UDP port "
            + config.port());
    return new TunnelPeers(t, keys, say);
  }

  /** No tunnel ({@code --no-tunnel}). */
  static TunnelPeers disabled() {
    return new TunnelPeers(null, null, null);
  }

  boolean enabled() {
    return tunnel != null;
  }

  /** The public key to publish ({@code TXT "wg=..."}); empty without a tunnel. */
  Optional<String> publicKey() {
    return Optional.ofNullable(keys).map(k -> k.publicKey().base64());
  }

  /** This host moved: endpoints that worked from the old place are checked again. */
  void networkChanged() {
    if (tunnel != null) {
      tunnel.networkChanged();
      dirty = true;
    }
  }

  /**
   * Makes the interface's peers match {@code peers}, as seen from {@code ourPublic}. Writes nothing
   * when nothing changed.
   */
  void reconcile(Map<String, PeerRecords> peers, Optional<Inet4Address> ourPublic, Instant now) {
    if (tunnel == null) {
      return;
    }
    List<DesiredPeer> desired = desired(peers, ourPublic);
    if (!dirty && desired.equals(applied) && now.isBefore(appliedAt.plus(RECHECK))) {
      return;
    }
    try {
      ReconcileResult r = tunnel.reconcile(desired);
      applied = desired;
      appliedAt = now;
      dirty = false;
      for (String h : r.added()) {
        desired.stream()
            .filter(p -> p.host().equals(h))
            .findFirst()
            .ifPresent(p ->
                say.line(
                    "tunnel: peer "
                        + h
                        + " ("
                        + IpText.address(p.ula())
                        + ") added: "
                        + p.path().why()));
      }
      r.removed().forEach(h -> say.line("tunnel: peer " + h + " removed"));
      r.changed().forEach(c -> say.line("tunnel: " + c));
    } catch (IOException | RuntimeException e) {
      dirty = true;
      say.line("tunnel: could not apply the peers: " + e.getMessage());
      log.debug("tunnel reconcile failed", e);
    }
  }

  private List<DesiredPeer> desired(
      Map<String, PeerRecords> peers, Optional<Inet4Address> ourPublic) {
    List<DesiredPeer> out = new ArrayList<>();
    for (PeerRecords p : peers.values()) {
      if (p.tunnelKey().isEmpty()) {
        continue; // no key published (a --no-tunnel host): nothing to tunnel to
      }
      WgKey key;
      try {
        key = WgKey.fromBase64(p.tunnelKey().get());
      } catch (IllegalArgumentException e) {
        log.debug("peer {}: bad key {}", p.host(), e.getMessage());
        continue;
      }
      if (key.equals(keys.publicKey())) {
        continue; // ourselves under another name
      }
      Optional<Diagnosis.Kind> problem = p.natProblem().flatMap(TunnelPeers::kindOf);
      out.add(
          DesiredPeer.of(
              p.host(),
              key,
              p.ula(),
              ourPublic,
              new PeerEndpoints(p.publicEndpoint(), p.lanEndpoint(), problem)));
    }
    return out;
  }

  private static Optional<Diagnosis.Kind> kindOf(String id) {
    for (Diagnosis.Kind k : Diagnosis.Kind.values()) {
      if (k.id().equals(id)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The peers' state on the device, for status; empty without a tunnel or on failure. */
  List<PeerStatus> status() {
    if (tunnel == null) {
      return List.of();
    }
    try {
      return tunnel.status();
    } catch (IOException | RuntimeException e) {
      log.debug("tunnel status failed", e);
      return List.of();
    }
  }

  /** How many peers have an endpoint to send to. */
  int direct() {
    return applied == null
        ? 0
        : (int) applied.stream().filter(p -> p.path().endpoint().isPresent()).count();
  }

  @Override
  public void close() {
    if (tunnel == null) {
      return;
    }
    try {
      tunnel.close();
      say.line("tunnel: " + tunnel.interfaceName() + " removed");
    } catch (IOException | RuntimeException e) {
      say.line("tunnel: could not remove " + tunnel.interfaceName() + ": " + e.getMessage());
    }
  }
}
