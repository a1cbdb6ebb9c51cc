/**
 * Keeps the tunnel's UDP port reachable through the home NAT with PCP (RFC 6887) or NAT-PMP (RFC
 * 6886), and says in words and as data why it cannot when it cannot.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * PortMapper mapper = PortMapper.builder(stateDir, state -> reconcile.mappingChanged(state))
 *     .internalPort(51820)                  // --port
 *     .meterRegistry(registry)              // optional
 *     .probeTarget(dnsServerAddress)        // optional: names the outer router of a double NAT
 *     .build();
 * NetworkMonitor monitor = new NetworkMonitor();
 * monitor.start(mapper::networkChanged);    // update(state), and refresh() after a clock jump
 * ...
 * mapper.current();                         // MappingState: external address:port, expiry, diagnosis
 * mapper.close();                           // deletes the mapping, then the ledger line
 * }</pre>
 *
 * <p>{@link net.membersdns.agent.portmap.PortMapper.Listener#mappingChanged} is called on the
 * mapper's thread whenever protocol, external address, external port or diagnosis change, not on
 * renewals that only move the expiry (read that from {@link
 * net.membersdns.agent.portmap.PortMapper#current()}), and not during or after {@code close()}
 * (after which {@code current()} says whether the mapping could be deleted).
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li>A new gateway or local address maps at once; the old mapping is deleted if its gateway can
 *       still be asked from its address, else kept in the ledger until it expires (and released if
 *       the host comes back). A public local address maps nothing ({@code PUBLIC_ADDRESS}).
 *   <li>PCP first; NAT-PMP when the gateway answers UNSUPP_VERSION (either shape) or ignores PCP.
 *       Retransmission 250 ms doubling; one attempt gives up after about 4 s ({@link
 *       net.membersdns.agent.portmap.PortMapClient} says why), then {@link
 *       net.membersdns.agent.portmap.RenewalSchedule} retries 250 ms doubling to 15 min, and no
 *       sooner than a PCP error's lifetime.
 *   <li>The internal port is asked for as the external one; what is granted is accepted. Lifetime
 *       7200 s; renewal at half. Every minute the MAP is sent again anyway: its answer re-checks
 *       the external address, the epoch and that the mapping still exists (miniupnpd announces a
 *       change once, and a gateway restarted without resetting its epoch forgets silently).
 *   <li>Epoch rules ({@link net.membersdns.agent.portmap.EpochCheck}) on every answer and
 *       announcement; a gateway that lost state is re-mapped after a random 0–5 s, as RFC 6886 §3.7
 *       and RFC 6887 §14.1.3 require: every client on the LAN heard the same announcement, and next
 *       to a router reboot the wait is noise. A new network is never delayed.
 *   <li>Announcements on 224.0.0.1:5350 ({@link net.membersdns.agent.portmap.AnnouncementListener})
 *       count only from the current gateway; garbage, truncated, unsolicited and unmatched
 *       datagrams are dropped and counted.
 *   <li>{@link net.membersdns.agent.portmap.MappingLedger}: {@code portmap-ledger.json} in the
 *       state dir, rewritten atomically; the next start releases what a crashed run left.
 *   <li>Diagnosis: {@code MAPPED}, {@code PUBLIC_ADDRESS}, {@code NO_GATEWAY}, {@code
 *       NO_PORT_MAPPING_PROTOCOL}, {@code MAPPING_REFUSED} (the result code named), {@code
 *       DOUBLE_NAT} and {@code CARRIER_GRADE_NAT} from evidence ({@link
 *       net.membersdns.agent.portmap.NatTopology}: a private or shared external address in an
 *       answer, or the router two hops away, probed with {@code ping -t 2} towards the probe target
 *       when the gateway fails with NETWORK_FAILURE or answers neither protocol).
 *   <li>Metrics ({@link net.membersdns.agent.portmap.PortMapMetrics}): {@code
 *       agent.portmap.requests} (protocol, op, result), {@code agent.portmap.ignored} (reason),
 *       {@code agent.portmap.lifetime.remaining}.
 * </ul>
 *
 * <p>The codecs ({@link net.membersdns.agent.portmap.NatPmp}, {@link
 * net.membersdns.agent.portmap.Pcp}) and the rules are pure and never throw on network input; the
 * keeper's decisions ({@link net.membersdns.agent.portmap.MappingKeeper}) run against any {@link
 * net.membersdns.agent.portmap.GatewayClient} and clock, so tests need no network.
 */
package net.membersdns.agent.portmap;
