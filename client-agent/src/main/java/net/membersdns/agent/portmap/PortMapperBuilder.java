package net.membersdns.agent.portmap;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Settings of a {@link PortMapper}; the defaults are how the agent runs: UDP 51820, 7200 s asked,
 * the system clock, checks every minute, 0–5 s before re-mapping after an announcement, the real
 * NAT-PMP/PCP and announcement ports, no metrics and no double-NAT probe.
 */
public final class PortMapperBuilder {
  final Path stateDir;
  final PortMapper.Listener listener;
  int internalPort = 51820;
  Duration lifetime = PortMapper.DEFAULT_LIFETIME;
  Clock clock = Clock.systemUTC();
  Optional<MeterRegistry> registry = Optional.empty();
  Supplier<Optional<Inet4Address>> probeTarget = Optional::empty;
  HopProbe hopProbe = HopProbe.ping();
  Duration checkInterval = PortMapper.CHECK_INTERVAL;
  Duration rebootJitter = PortMapper.REBOOT_JITTER;
  int gatewayPort = PortMapClient.SERVER_PORT;
  int announcementPort = AnnouncementListener.CLIENT_PORT;

  PortMapperBuilder(Path stateDir, PortMapper.Listener listener) {
    this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** The port to map (WireGuard's listen port); default 51820. */
  public PortMapperBuilder internalPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
    this.internalPort = port;
    return this;
  }

  /** The lifetime to ask for; default 7200 s. The gateway may grant less. */
  public PortMapperBuilder lifetime(Duration lifetime) {
    if (lifetime.toSeconds() < 1 || lifetime.toSeconds() > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("lifetime out of range: " + lifetime);
    }
    this.lifetime = lifetime;
    return this;
  }

  public PortMapperBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Where {@code agent.portmap.*} meters go; none by default. */
  public PortMapperBuilder meterRegistry(MeterRegistry registry) {
    this.registry = Optional.of(registry);
    return this;
  }

  /**
   * A far address (the DNS server's) to probe with TTL 2 when mapping fails, naming the router
   * behind the gateway in a double-NAT diagnosis. Without it no probe is sent.
   */
  public PortMapperBuilder probeTarget(Inet4Address target) {
    return probeTarget(() -> Optional.of(target));
  }

  /**
   * Like {@link #probeTarget(Inet4Address)}, asked each time a probe is due: the agent learns the
   * server's address only once it has found it, which may be after the first mapping attempt.
   * Called on the mapper's thread.
   */
  public PortMapperBuilder probeTarget(Supplier<Optional<Inet4Address>> target) {
    this.probeTarget = Objects.requireNonNull(target, "target");
    return this;
  }

  /** Replaces the ping-based probe (tests). */
  public PortMapperBuilder hopProbe(HopProbe probe) {
    this.hopProbe = Objects.requireNonNull(probe, "probe");
    return this;
  }

  /** How often a live mapping is re-checked; default one minute (tests: seconds). */
  public PortMapperBuilder checkInterval(Duration interval) {
    this.checkInterval = interval;
    return this;
  }

  /** The bound of the random wait before re-mapping after a reboot; default 5 s. */
  public PortMapperBuilder rebootJitter(Duration jitter) {
    this.rebootJitter = jitter;
    return this;
  }

  /** The gateway's NAT-PMP/PCP port, 5351 but for loopback tests. */
  public PortMapperBuilder gatewayPort(int port) {
    this.gatewayPort = port;
    return this;
  }

  /** The announcement port, 5350 but for loopback tests. */
  public PortMapperBuilder announcementPort(int port) {
    this.announcementPort = port;
    return this;
  }

  public PortMapper build() {
    return new PortMapper(this);
  }
}
