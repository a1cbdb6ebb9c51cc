package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The text format of WireGuard's cross-platform userspace API ("UAPI", the protocol {@code
 * wireguard-go} speaks on {@code /var/run/wireguard/IF.sock}): requests are {@code get=1} or {@code
 * set=1} followed by {@code key=value} lines and an empty line; every reply ends with {@code
 * errno=N} and an empty line. Keys are lowercase hex, endpoints {@code a.b.c.d:port} or {@code
 * [v6]:port}.
 *
 * <p>Pure and stateless. Parsing ignores keys it does not know (newer implementations may add some)
 * but refuses a known key with a malformed value and a line that is not {@code key=value}: a
 * garbled reply must not be read as a device with fewer peers.
 */
public final class UapiCodec {
  /** The complete {@code get} request. */
  public static final String GET = "get=1\n\n";

  private UapiCodec() {}

  /** The {@code set} request for {@code update}, ending with the empty line. */
  public static String set(DeviceUpdate update) {
    StringBuilder sb = new StringBuilder("set=1\n");
    update.privateKey().ifPresent(k -> line(sb, "private_key", k.hex()));
    update.listenPort().ifPresent(p -> line(sb, "listen_port", Integer.toString(p)));
    if (update.replacePeers()) {
      line(sb, "replace_peers", "true");
    }
    for (PeerUpdate p : update.peers()) {
      line(sb, "public_key", p.publicKey().hex());
      if (p.remove()) {
        line(sb, "remove", "true");
        continue;
      }
      if (p.updateOnly()) {
        line(sb, "update_only", "true");
      }
      p.endpoint().ifPresent(e -> line(sb, "endpoint", IpText.endpoint(e)));
      p.persistentKeepalive()
          .ifPresent(s -> line(sb, "persistent_keepalive_interval", Integer.toString(s)));
      p.allowedIps()
          .ifPresent(ips -> {
            line(sb, "replace_allowed_ips", "true");
            ips.forEach(ip -> line(sb, "allowed_ip", ip.toString()));
          });
    }
    return sb.append('\n').toString();
  }

  /**
   * Parses the reply to {@code get}.
   *
   * @throws UapiException when it ends with a non-zero errno
   * @throws IOException when it is malformed or has no errno
   */
  public static DeviceState parseGet(String reply) throws IOException {
    Optional<WgKey> privateKey = Optional.empty();
    int listenPort = 0;
    int fwmark = 0;
    List<PeerState> peers = new ArrayList<>();
    PeerBuilder peer = null;
    Set<WgKey> seen = new HashSet<>();
    Long errno = null;
    int n = 0;
    for (String line : reply.split("\n", -1)) {
      n++;
      if (line.isEmpty()) {
        if (errno != null) {
          break;
        }
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw malformed(n, line, "not key=value");
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      try {
        if (key.equals("errno")) {
          errno = Long.parseLong(value);
        } else if (key.equals("public_key")) {
          if (peer != null) {
            peers.add(peer.build());
          }
          peer = new PeerBuilder(WgKey.fromHex(value));
          if (!seen.add(peer.key)) {
            // A device has each peer once; a repeat would break every map by key downstream.
            throw malformed(n, line, "peer listed twice");
          }
        } else if (peer == null) {
          switch (key) {
            case "private_key" -> privateKey = Optional.of(WgKey.fromHex(value));
            case "listen_port" -> listenPort = port(value);
            case "fwmark" -> fwmark = Integer.parseUnsignedInt(value);
            default -> {} // a newer interface-level key
          }
        } else {
          peer.accept(key, value);
        }
      } catch (IllegalArgumentException e) {
        throw malformed(n, line, e.getMessage());
      }
    }
    if (errno == null) {
      throw new IOException("UAPI get reply ended without errno (connection closed early?)");
    }
    if (errno != 0) {
      throw new UapiException("UAPI get", errno);
    }
    if (peer != null) {
      peers.add(peer.build());
    }
    return new DeviceState(privateKey.filter(k -> !k.isZero()), listenPort, fwmark, peers);
  }

  /**
   * Checks the reply to {@code set}: {@code errno=0}.
   *
   * @throws UapiException when the errno is not zero
   * @throws IOException when there is no errno line
   */
  public static void checkSetReply(String reply) throws IOException {
    for (String line : reply.split("\n")) {
      if (line.startsWith("errno=")) {
        long errno;
        try {
          errno = Long.parseLong(line.substring("errno=".length()));
        } catch (NumberFormatException e) {
          throw new IOException("UAPI set reply has a malformed errno: " + line, e);
        }
        if (errno != 0) {
          throw new UapiException("UAPI set", errno);
        }
        return;
      }
    }
    throw new IOException("UAPI set reply ended without errno (connection closed early?)");
  }

  /** Whether {@code text} holds a complete reply (an errno line followed by the empty line). */
  static boolean complete(CharSequence text) {
    String s = text.toString();
    return s.endsWith("\n\n") && (s.startsWith("errno=") || s.contains("\nerrno="));
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(key).append('=').append(value).append('\n');
  }

  private static int port(String value) {
    int p = Integer.parseInt(value);
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
    return p;
  }

  private static IOException malformed(int n, String line, String why) {
    return new IOException("malformed UAPI reply, line " + n + " '" + line + "': " + why);
  }

  /** Collects one peer's lines. */
  private static final class PeerBuilder {
    private final WgKey key;
    private Optional<InetSocketAddress> endpoint = Optional.empty();
    private final List<IpPrefix> allowedIps = new ArrayList<>();
    private int keepalive;
    private long handshakeSec;
    private long handshakeNsec;
    private long rx;
    private long tx;

    PeerBuilder(WgKey key) {
      this.key = key;
    }

    void accept(String key, String value) {
      switch (key) {
        case "endpoint" -> endpoint = Optional.of(IpText.endpoint(value));
        case "allowed_ip" -> allowedIps.add(IpPrefix.parse(value));
        case "persistent_keepalive_interval" -> keepalive = Integer.parseInt(value);
        case "last_handshake_time_sec" -> {
          handshakeSec = Long.parseLong(value);
          PeerState.handshakeAt(handshakeSec, 0); // range check now, not in build()
        }
        case "last_handshake_time_nsec" -> {
          handshakeNsec = Long.parseLong(value);
          PeerState.handshakeAt(0, handshakeNsec);
        }
        case "rx_bytes" -> rx = Long.parseUnsignedLong(value);
        case "tx_bytes" -> tx = Long.parseUnsignedLong(value);
        case "protocol_version" -> Integer.parseInt(value); // 1 is the only one; read to check
        default -> {} // preshared_key (unused here) and keys of newer versions
      }
    }

    PeerState build() {
      return new PeerState(
          key,
          endpoint,
          allowedIps,
          keepalive,
          PeerState.handshakeAt(handshakeSec, handshakeNsec),
          rx,
          tx);
    }
  }
}
