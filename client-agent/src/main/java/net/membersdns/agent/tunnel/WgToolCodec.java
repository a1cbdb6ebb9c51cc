package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code wg} command line as a data format: {@code wg show IF dump} parsed into a {@link
 * DeviceState}, a {@link DeviceUpdate} turned into {@code wg set} arguments. Pure and stateless.
 *
 * <p>{@code dump} prints one tab-separated line for the interface (private key, public key, listen
 * port, fwmark) and one per peer (public key, preshared key, endpoint, allowed IPs, latest
 * handshake in seconds since the epoch, rx bytes, tx bytes, keepalive), with {@code (none)} and
 * {@code off} for absent values.
 */
public final class WgToolCodec {
  private static final String NONE = "(none)";
  private static final String OFF = "off";

  private WgToolCodec() {}

  /** A {@code wg set} invocation: arguments after {@code wg}, and what to feed its stdin. */
  public record SetCommand(List<String> args, Optional<String> stdin) {}

  /**
   * The {@code wg set IF ...} command for {@code update}. The private key goes through stdin
   * ({@code private-key /dev/stdin}), never on the command line where {@code ps} shows it.
   *
   * <p>{@code wg set} has no {@code update_only}: a changed peer that vanished in between is
   * created again. It cannot replace all peers either.
   *
   * @throws IllegalArgumentException for {@code replacePeers}, which {@code wg set} cannot express
   */
  public static SetCommand set(String interfaceName, DeviceUpdate update) {
    if (update.replacePeers()) {
      throw new IllegalArgumentException("wg set cannot replace all peers; remove them one by one");
    }
    List<String> a = new ArrayList<>(List.of("set", interfaceName));
    update.listenPort().ifPresent(p -> a.addAll(List.of("listen-port", Integer.toString(p))));
    Optional<String> stdin = update.privateKey().map(k -> k.base64() + "\n");
    if (stdin.isPresent()) {
      a.addAll(List.of("private-key", "/dev/stdin"));
    }
    for (PeerUpdate p : update.peers()) {
      a.addAll(List.of("peer", p.publicKey().base64()));
      if (p.remove()) {
        a.add("remove");
        continue;
      }
      p.endpoint().ifPresent(e -> a.addAll(List.of("endpoint", IpText.endpoint(e))));
      p.persistentKeepalive()
          .ifPresent(
              s -> a.addAll(List.of("persistent-keepalive", s == 0 ? OFF : Integer.toString(s))));
      p.allowedIps()
          .ifPresent(ips ->
              a.addAll(
                  List.of(
                      "allowed-ips",
                      ips.stream().map(IpPrefix::toString).collect(Collectors.joining(",")))));
    }
    return new SetCommand(a, stdin);
  }

  /**
   * Parses {@code wg show IF dump}.
   *
   * @throws IOException when a line does not have the fields {@code dump} prints
   */
  public static DeviceState parseDump(String dump) throws IOException {
    List<String> lines = dump.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      throw new IOException("wg show dump printed nothing");
    }
    String[] f = lines.get(0).split("\t", -1);
    if (f.length < 4) {
      throw malformed(1, lines.get(0), "an interface line has 4 fields");
    }
    try {
      Optional<WgKey> privateKey =
          f[0].equals(NONE) ? Optional.empty() : Optional.of(WgKey.fromBase64(f[0]));
      int fwmark = f[3].equals(OFF) ? 0 : Integer.decode(f[3]);
      List<PeerState> peers = new ArrayList<>();
      for (int i = 1; i < lines.size(); i++) {
        peers.add(peer(i + 1, lines.get(i)));
      }
      return new DeviceState(privateKey, Integer.parseInt(f[2]), fwmark, peers);
    } catch (IllegalArgumentException e) {
      throw malformed(1, lines.get(0), e.getMessage());
    }
  }

  private static PeerState peer(int n, String line) throws IOException {
    String[] f = line.split("\t", -1);
    if (f.length < 8) {
      throw malformed(n, line, "a peer line has 8 fields");
    }
    try {
      Optional<InetSocketAddress> endpoint =
          f[2].equals(NONE) ? Optional.empty() : Optional.of(IpText.endpoint(f[2]));
      List<IpPrefix> allowed = new ArrayList<>();
      if (!f[3].equals(NONE)) {
        for (String p : f[3].split(",")) {
          allowed.add(IpPrefix.parse(p));
        }
      }
      return new PeerState(
          WgKey.fromBase64(f[0]),
          endpoint,
          allowed,
          f[7].equals(OFF) ? 0 : Integer.parseInt(f[7]),
          PeerState.handshakeAt(Long.parseLong(f[4]), 0),
          Long.parseUnsignedLong(f[5]),
          Long.parseUnsignedLong(f[6]));
    } catch (IllegalArgumentException e) {
      throw malformed(n, line, e.getMessage());
    }
  }

  private static IOException malformed(int n, String line, String why) {
    return new IOException("malformed wg show dump, line " + n + " '" + line + "': " + why);
  }
}
