package net.membersdns.agent.netwatch;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One report of {@link NetworkMonitor}: the state before and after, what noticed it, and a sentence
 * for people ("local address 192.168.1.2 → 192.168.2.3, gateway 192.168.1.1 → 192.168.2.1
 * (netlink)").
 *
 * @param previous the state reported before (for the first report: {@link NetworkState#none()})
 * @param current the state now
 * @param trigger what noticed it
 * @param reason plain words
 * @param at when it was noticed, on the monitor's clock
 */
public record NetworkChange(
    NetworkState previous, NetworkState current, Trigger trigger, String reason, Instant at) {

  public NetworkChange {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  /** What made the monitor look. */
  public enum Trigger {
    /** The state when monitoring started. */
    INITIAL,
    /** An address, route or link message from the kernel (through {@code ip monitor}). */
    NETLINK,
    /** The periodic poll (the fallback when netlink messages were missed). */
    POLL,
    /**
     * The wall clock jumped against the monotonic clock (sleep and wake, or a clock step). Reported
     * even when the state is unchanged: timers and mappings need a fresh look.
     */
    CLOCK_JUMP
  }

  /** Whether the gateway or the local address differs (what invalidates a port mapping). */
  public boolean gatewayOrAddressChanged() {
    return !previous.gateway().equals(current.gateway())
        || !previous.localAddress().equals(current.localAddress());
  }

  /**
   * The change to report when the state read at {@code at} is {@code now} and {@code before} was
   * reported last: empty when nothing differs, unless the trigger is a clock jump, which always
   * counts. {@code cause} names what looked, for the reason ("netlink: address, route").
   */
  public static Optional<NetworkChange> between(
      NetworkState before, NetworkState now, Trigger trigger, String cause, Instant at) {
    if (now.equals(before) && trigger != Trigger.CLOCK_JUMP) {
      return Optional.empty();
    }
    String what = now.equals(before) ? "network unchanged" : differences(before, now);
    return Optional.of(new NetworkChange(before, now, trigger, what + " (" + cause + ")", at));
  }

  /** "gateway 192.168.1.1 → 192.168.2.1, local address 192.168.1.2 → 192.168.2.3". */
  static String differences(NetworkState before, NetworkState now) {
    StringBuilder out = new StringBuilder();
    diff(out, "gateway", before.gateway().map(Ipv4::text), now.gateway().map(Ipv4::text));
    diff(
        out,
        "local address",
        before.localAddress().map(Ipv4::text),
        now.localAddress().map(Ipv4::text));
    diff(out, "interface", before.interfaceName(), now.interfaceName());
    if (out.isEmpty() && before.interfaceIndex() != now.interfaceIndex()) {
      out.append("link ")
          .append(now.interfaceName().orElse("?"))
          .append(" replaced (unplugged and plugged back)");
    }
    return out.toString();
  }

  private static void diff(StringBuilder out, String what, Optional<String> a, Optional<String> b) {
    if (a.equals(b)) {
      return;
    }
    if (!out.isEmpty()) {
      out.append(", ");
    }
    out.append(what).append(' ');
    if (a.isPresent() && b.isPresent()) {
      out.append(a.get()).append(" → ").append(b.get());
    } else if (a.isPresent()) {
      out.append(a.get()).append(" gone");
    } else {
      out.append(b.get()).append(" appeared");
    }
  }
}
