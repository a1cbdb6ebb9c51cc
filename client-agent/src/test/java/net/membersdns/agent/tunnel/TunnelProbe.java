package net.membersdns.agent.tunnel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Tunnel} in a child JVM, run inside a network namespace by the integration tests (a JVM
 * cannot change its own namespace), driven one command per stdin line; each answer ends with a line
 * {@code probe> ok ...} or {@code probe> err ...}.
 *
 * <pre>
 * open IF PORT ULA STATEDIR uapi|wg    → ok PUBLICKEY DESCRIPTION
 * reconcile [HOST|KEY|ULA|ENDPOINT-or-dash ...] → ok writes=N routes=+N/-N total=N t0=MS t1=MS ...
 * moved                                → ok (Tunnel.networkChanged)
 * status                               → probe> peer LINE ... then ok
 * close                                → ok, then exit
 * </pre>
 */
public final class TunnelProbe {
  static final String MARK = "probe> ";

  private TunnelProbe() {}

  public static void main(String[] args) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Tunnel tunnel = null;
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split("\\s+");
      try {
        switch (w[0]) {
          case "open" -> {
            KeyPair keys = KeyFile.loadOrCreate(Path.of(w[4]), new SecureRandom());
            TunnelOptions o =
                TunnelOptions.defaults()
                    .withStateDir(Path.of(w[4]))
                    .withControl(
                        w[5].equals("wg")
                            ? TunnelOptions.Control.WG_TOOL
                            : TunnelOptions.Control.UAPI);
            tunnel =
                Tunnel.open(
                    w[1], keys, Integer.parseInt(w[2]), (Inet6Address) IpText.address(w[3]), o);
            say("ok " + keys.publicKey().base64() + " " + tunnel.describe());
          }
          case "reconcile" -> {
            List<DesiredPeer> peers = new ArrayList<>();
            for (int i = 1; i < w.length; i++) {
              peers.add(peer(w[i]));
            }
            long t0 = System.currentTimeMillis();
            ReconcileResult r = tunnel.reconcile(peers);
            long t1 = System.currentTimeMillis();
            say(
                "ok writes="
                    + r.deviceWrites()
                    + " routes=+"
                    + r.routesAdded()
                    + "/-"
                    + r.routesRemoved()
                    + " total="
                    + tunnel.deviceWrites()
                    + " t0="
                    + t0
                    + " t1="
                    + t1
                    + " added="
                    + r.added()
                    + " removed="
                    + r.removed()
                    + " changed="
                    + r.changed());
          }
          case "moved" -> {
            tunnel.networkChanged();
            say("ok");
          }
          case "status" -> {
            for (PeerStatus s : tunnel.status()) {
              say("peer " + s);
            }
            say("ok");
          }
          case "close" -> {
            try {
              if (tunnel != null) {
                tunnel.close();
              }
              say("ok");
            } catch (Exception e) {
              say("err " + e);
            }
            return; // either way: the test waits for this process to end
          }
          default -> say("err unknown command " + w[0]);
        }
      } catch (Exception e) {
        say("err " + e);
      }
    }
  }

  /** {@code HOST|KEY|ULA|ENDPOINT} with {@code -} for no endpoint. */
  private static DesiredPeer peer(String spec) {
    String[] f = spec.split("\\|");
    Optional<InetSocketAddress> e =
        f[3].equals("-") ? Optional.empty() : Optional.of(IpText.endpoint(f[3]));
    PathChoice path =
        e.isPresent()
            ? new PathChoice(PathChoice.Kind.PUBLIC, e, "endpoint " + f[3] + " (given by the test)")
            : new PathChoice(PathChoice.Kind.NONE, e, f[0] + " has no mapping: no path");
    return new DesiredPeer(
        f[0], WgKey.fromBase64(f[1]), (Inet6Address) IpText.address(f[2]), path, 25);
  }

  private static void say(String s) {
    System.out.println(MARK + s);
    System.out.flush();
  }
}
