package net.membersdns.agent.tunnel;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Tunnel#open} finds or makes its interface.
 *
 * @param dataPlane kernel WireGuard, wireguard-go, or whichever works (kernel first)
 * @param control how to talk to a wireguard-go interface: its UAPI socket (default) or the {@code
 *     wg} tool; kernel WireGuard is always driven through {@code wg}
 * @param stateDir where to record that we created the interface (so the next run, after a crash,
 *     knows a leftover wireguard-go is its own and stops it on a clean shutdown); empty = no record
 * @param ip the iproute2 {@code ip} executable
 * @param wg the {@code wg} executable
 * @param wireguardGo the {@code wireguard-go} executable
 * @param commandTimeout the longest one {@code ip}/{@code wg} run or UAPI round trip may take
 * @param startTimeout the longest wireguard-go may take to open its socket, or to exit on SIGTERM
 * @param clock for handshake ages in {@link Tunnel#status()}
 */
public record TunnelOptions(
    DataPlane dataPlane,
    Control control,
    Optional<Path> stateDir,
    String ip,
    String wg,
    String wireguardGo,
    Duration commandTimeout,
    Duration startTimeout,
    Clock clock) {
  public TunnelOptions {
    Objects.requireNonNull(dataPlane, "dataPlane");
    Objects.requireNonNull(control, "control");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(clock, "clock");
  }

  /** Which WireGuard implementation carries the packets. */
  public enum DataPlane {
    /** Kernel WireGuard when {@code ip link add IF type wireguard} works, else wireguard-go. */
    AUTO,
    KERNEL,
    WIREGUARD_GO
  }

  /** How a wireguard-go interface is configured. */
  public enum Control {
    UAPI,
    WG_TOOL
  }

  /** Auto data plane, UAPI, tools from PATH, 5 s per command, 10 s to start, no state dir. */
  public static TunnelOptions defaults() {
    return new TunnelOptions(
        DataPlane.AUTO,
        Control.UAPI,
        Optional.empty(),
        "ip",
        "wg",
        "wireguard-go",
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Clock.systemUTC());
  }

  public TunnelOptions withDataPlane(DataPlane d) {
    return new TunnelOptions(
        d, control, stateDir, ip, wg, wireguardGo, commandTimeout, startTimeout, clock);
  }

  public TunnelOptions withControl(Control c) {
    return new TunnelOptions(
        dataPlane, c, stateDir, ip, wg, wireguardGo, commandTimeout, startTimeout, clock);
  }

  public TunnelOptions withStateDir(Path dir) {
    return new TunnelOptions(
        dataPlane,
        control,
        Optional.of(dir),
        ip,
        wg,
        wireguardGo,
        commandTimeout,
        startTimeout,
        clock);
  }
}
