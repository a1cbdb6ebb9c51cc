package net.membersdns.agent.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WireGuard interface itself: found, or made at {@link #open} (kernel WireGuard through {@code
 * ip link add IF type wireguard}, else a wireguard-go child process), and at {@link #close} removed
 * only if this agent made it. An interface found in place is used as it is and left in place.
 *
 * <p>Leftovers of a crashed run are handled at open: a wireguard-go that still runs is reused (and
 * stopped at close if the {@link OwnerRecord} says we started it); a socket left without a process
 * is deleted before a new wireguard-go starts. A socket that answers while the interface does not
 * exist here belongs to a wireguard-go in another network namespace (the socket directory is
 * global): that name is taken, and open fails saying so.
 *
 * <p>Not thread-safe; owned by one {@link Tunnel}.
 */
public final class WireGuardInterface implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WireGuardInterface.class);
  // IFNAMSIZ is 16 with the NUL; the name is also a file name in the socket directory
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,14}");

  /** How the interface came to be. */
  public enum Origin {
    /** It existed and is not ours: used as it is, never removed. */
    FOUND(false),
    /** We created a kernel WireGuard link (now or in a run that crashed). */
    KERNEL_LINK(true),
    /** We started wireguard-go (now or in a run that crashed). */
    WIREGUARD_GO(true);

    private final boolean ours;

    Origin(boolean ours) {
      this.ours = ours;
    }

    /** Whether {@link #close()} removes it. */
    public boolean ours() {
      return ours;
    }
  }

  private final IpLink link;
  private final WireGuardDevice device;
  private final Origin origin;
  private final Optional<WireGuardGoProcess> process;
  private final OwnerRecord record;

  private WireGuardInterface(
      IpLink link,
      WireGuardDevice device,
      Origin origin,
      Optional<WireGuardGoProcess> process,
      OwnerRecord record) {
    this.link = link;
    this.device = device;
    this.origin = origin;
    this.process = process;
    this.record = record;
  }

  /**
   * Finds or makes interface {@code name} in this process's network namespace.
   *
   * @throws IOException when the name is taken by something that is not a usable WireGuard
   *     interface, or the interface cannot be made
   */
  public static WireGuardInterface open(String name, TunnelOptions o) throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "not a usable interface name (1–15 of A-Z a-z 0-9 _ . -): " + name);
    }
    IpLink link = new IpLink(o.ip(), name, o.commandTimeout());
    OwnerRecord record = OwnerRecord.of(o.stateDir(), name);
    Path socket = UapiDevice.socketOf(name);
    switch (link.kind()) {
      case WIREGUARD -> {
        Origin origin = record.saysKernel() ? Origin.KERNEL_LINK : Origin.FOUND;
        if (origin == Origin.FOUND) {
          record.clear(); // whatever it says is about something that is gone
        }
        LOG.info("{}: kernel WireGuard interface exists; using it ({})", name, origin);
        return new WireGuardInterface(link, wgTool(o, name), origin, Optional.empty(), record);
      }
      case TUN -> {
        if (!answers(socket, o.commandTimeout())) {
          throw new IOException(
              name
                  + " exists (a TUN device) but no wireguard-go answers on "
                  + socket
                  + ": it belongs to another program; delete it or choose another --interface");
        }
        OptionalLong pid = record.wireguardGoPid();
        Optional<WireGuardGoProcess> ours =
            pid.isPresent() ? WireGuardGoProcess.adopt(pid.getAsLong(), name, o) : Optional.empty();
        LOG.info(
            "{}: wireguard-go already runs here; using it{}",
            name,
            ours.isPresent() ? " (started by an earlier run: it is ours)" : "");
        if (ours.isEmpty()) {
          record.clear();
        }
        return new WireGuardInterface(
            link,
            control(o, name, socket),
            ours.isPresent() ? Origin.WIREGUARD_GO : Origin.FOUND,
            ours,
            record);
      }
      case OTHER ->
          throw new IOException(
              name + " exists and is not a WireGuard interface; choose another --interface");
      case ABSENT -> {
        return create(name, link, socket, record, o);
      }
    }
    throw new AssertionError();
  }

  private static WireGuardInterface create(
      String name, IpLink link, Path socket, OwnerRecord record, TunnelOptions o)
      throws IOException {
    if (o.dataPlane() != TunnelOptions.DataPlane.WIREGUARD_GO && link.addKernelWireGuard()) {
      record.recordKernel();
      LOG.info("{}: created a kernel WireGuard interface", name);
      return new WireGuardInterface(
          link, wgTool(o, name), Origin.KERNEL_LINK, Optional.empty(), record);
    }
    if (o.dataPlane() == TunnelOptions.DataPlane.KERNEL) {
      throw new IOException(
          "ip link add " + name + " type wireguard failed: this kernel has no WireGuard");
    }
    if (Files.exists(socket)) {
      if (answers(socket, o.commandTimeout())) {
        throw new IOException(
            "a wireguard-go named "
                + name
                + " answers on "
                + socket
                + " but the interface is not in this network namespace: the name is taken"
                + " machine-wide; choose another --interface");
      }
      LOG.info("{}: deleting {} left by a wireguard-go that is gone", name, socket);
      Files.deleteIfExists(socket);
    }
    WireGuardGoProcess p = WireGuardGoProcess.start(name, socket, o);
    record.recordWireguardGo(p.pid());
    return new WireGuardInterface(
        link, control(o, name, socket), Origin.WIREGUARD_GO, Optional.of(p), record);
  }

  /** The configuration channel. */
  public WireGuardDevice device() {
    return device;
  }

  IpLink link() {
    return link;
  }

  public Origin origin() {
    return origin;
  }

  /** For logs and status, e.g. {@code wireguard-go pid 4242 (ours), UAPI /var/run/...}. */
  public String describe() {
    String what =
        switch (origin) {
          case FOUND -> "existing interface (not ours)";
          case KERNEL_LINK -> "kernel WireGuard (ours)";
          case WIREGUARD_GO ->
              "wireguard-go pid " + process.map(WireGuardGoProcess::pid).orElse(-1L) + " (ours)";
        };
    return link.name() + ": " + what + ", via " + device.describe();
  }

  /** Removes the interface if it is ours (stops wireguard-go, or deletes the kernel link). */
  @Override
  public void close() throws IOException {
    switch (origin) {
      case FOUND -> {}
      case KERNEL_LINK -> {
        if (link.kind() != IpLink.Kind.ABSENT) {
          link.delete();
        }
        record.clear();
      }
      case WIREGUARD_GO -> {
        process.orElseThrow().stop();
        record.clear();
      }
    }
  }

  static boolean answers(Path socket, Duration timeout) {
    if (!Files.exists(socket)) {
      return false;
    }
    try {
      new UapiDevice(socket, timeout).get();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static WireGuardDevice control(TunnelOptions o, String name, Path socket) {
    return o.control() == TunnelOptions.Control.WG_TOOL
        ? wgTool(o, name)
        : new UapiDevice(socket, o.commandTimeout());
  }

  private static WireGuardDevice wgTool(TunnelOptions o, String name) {
    return new WgToolDevice(o.wg(), name, o.commandTimeout());
  }
}
