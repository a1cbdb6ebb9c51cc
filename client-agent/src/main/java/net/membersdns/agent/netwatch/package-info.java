/**
 * Where the host stands on the IPv4 network, and when that changes.
 *
 * <ul>
 *   <li>{@link net.membersdns.agent.netwatch.NetworkState}: gateway, interface and local address
 *       (the IPv4 address of the default route's interface, the one on the gateway's subnet);
 *       "public" when not RFC 1918, 100.64/10, link-local or loopback ({@link
 *       net.membersdns.agent.netwatch.AddressScope}).
 *   <li>{@link net.membersdns.agent.netwatch.RoutingTable}: {@code /proc/net/route}, a pure parser
 *       (host byte order: little-endian hex on x86) and a reader; {@link
 *       net.membersdns.agent.netwatch.NetworkStateReader} adds the interface's address.
 *   <li>{@link net.membersdns.agent.netwatch.NetworkMonitor}: {@code
 *       start(Consumer<NetworkChange>)} reports the state at start, then every change: kernel
 *       messages through a child {@code ip -4 -o monitor link address route} (restarted if it dies,
 *       killed on close), debounced by {@link net.membersdns.agent.netwatch.Debouncer} (act after
 *       250 ms of quiet, never later than 1 s after the first message); a poll every 10 s as the
 *       fallback; and a wall-clock jump detector ({@link
 *       net.membersdns.agent.netwatch.ClockJumpDetector}, sleep and wake). Only a state that
 *       differs from the last one reported is reported, except after a clock jump, which always is
 *       ({@link net.membersdns.agent.netwatch.NetworkChange.Trigger#CLOCK_JUMP}). Each {@link
 *       net.membersdns.agent.netwatch.NetworkChange} carries both states and a reason in plain
 *       words.
 * </ul>
 *
 * <p>Threads: the monitor calls its consumer on its own single thread; everything else here is
 * immutable or pure. A JVM cannot change its network namespace: tests run this code in a child JVM
 * inside the namespace.
 */
package net.membersdns.agent.netwatch;
