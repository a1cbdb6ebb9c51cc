package net.membersdns.agent.portmap;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import net.membersdns.agent.diagnosis.Diagnosis;

/**
 * What the port mapper knows at one moment; immutable. With a mapping ({@link #isMapped()}), peers
 * reach {@code internalPort} of this host at {@link #external()} until {@code expiry} (renewals
 * move it forward). {@code diagnosis} always says where things stand, in words and as data.
 *
 * @param protocol who holds the mapping; {@link MappingProtocol#NONE} without one
 * @param gateway the gateway asked (empty without one)
 * @param localAddress the address asked from (the mapping's internal address)
 * @param internalPort the port mapped (the tunnel's)
 * @param externalAddress the gateway's external address, when it told
 * @param externalPort the mapped external port; 0 without a mapping
 * @param grantedLifetime the lifetime the gateway granted at the last request; zero without one
 * @param expiry when the mapping ends unless renewed
 * @param epoch the gateway's epoch in its last answer
 * @param lastError the last failure in words (cleared by the next success)
 * @param diagnosis the finding
 */
public record MappingState(
    MappingProtocol protocol,
    Optional<Inet4Address> gateway,
    Optional<Inet4Address> localAddress,
    int internalPort,
    Optional<Inet4Address> externalAddress,
    int externalPort,
    Duration grantedLifetime,
    Optional<Instant> expiry,
    OptionalLong epoch,
    Optional<String> lastError,
    Diagnosis diagnosis) {

  public MappingState {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(localAddress, "localAddress");
    Objects.requireNonNull(externalAddress, "externalAddress");
    Objects.requireNonNull(grantedLifetime, "grantedLifetime");
    Objects.requireNonNull(expiry, "expiry");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(diagnosis, "diagnosis");
  }

  /** Before the first network state: nothing known. */
  public static MappingState initial(int internalPort) {
    return new MappingState(
        MappingProtocol.NONE,
        Optional.empty(),
        Optional.empty(),
        internalPort,
        Optional.empty(),
        0,
        Duration.ZERO,
        Optional.empty(),
        OptionalLong.empty(),
        Optional.empty(),
        Diagnosis.unknown());
  }

  /** Whether a mapping is held. */
  public boolean isMapped() {
    return protocol != MappingProtocol.NONE && externalPort != 0 && externalAddress.isPresent();
  }

  /** Where peers reach this host through the mapping. */
  public Optional<InetSocketAddress> external() {
    return isMapped()
        ? Optional.of(new InetSocketAddress(externalAddress.get(), externalPort))
        : Optional.empty();
  }

  /** What is left of the lifetime at {@code now}; zero without a mapping. */
  public Duration remaining(Instant now) {
    return expiry
        .map(e -> Duration.between(now, e))
        .filter(d -> !d.isNegative())
        .orElse(Duration.ZERO);
  }

  /**
   * Whether {@code other} says the same: same network (gateway and local address), protocol,
   * external address and port, diagnosis. Renewals that only move the expiry (or the epoch) are not
   * news; a mapping on a new network is, even when it looks the same from outside (the agent
   * publishes only a mapping made for the network it is on).
   */
  public boolean sameOutcome(MappingState other) {
    return gateway.equals(other.gateway)
        && localAddress.equals(other.localAddress)
        && protocol == other.protocol
        && externalAddress.equals(other.externalAddress)
        && externalPort == other.externalPort
        && diagnosis.equals(other.diagnosis);
  }
}
