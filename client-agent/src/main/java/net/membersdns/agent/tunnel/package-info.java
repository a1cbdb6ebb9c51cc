/**
 * The WireGuard data plane: one interface (default {@code mdns0}) holding this host's ULA/128, one
 * peer and one {@code /128} route per other host of the member. Userspace wireguard-go is driven
 * through its UAPI socket (WireGuard's cross-platform userspace API), kernel WireGuard through
 * {@code wg}.
 *
 * <h2>For the reconcile loop</h2>
 *
 * <pre>{@code
 * KeyPair keys = KeyFile.loadOrCreate(stateDir, new SecureRandom()); // once; publish keys.txt()
 * Tunnel tunnel = Tunnel.open(Tunnel.DEFAULT_INTERFACE, keys, mapping.internalPort(), ula,
 *     TunnelOptions.defaults().withStateDir(stateDir));
 * // on every change of the peers' records, of our public address or of our network:
 * List<DesiredPeer> peers = ...DesiredPeer.of(host, key, peerUla, ourPublicIpv4,
 *     new PeerEndpoints(publicEndpoint, lanEndpoint, peersDiagnosis))...;
 * ReconcileResult r = tunnel.reconcile(peers);   // writes only the difference; none if equal
 * // after a move of this host: tunnel.networkChanged(); then reconcile as usual
 * // if the mapping's internal port changes: tunnel.changeListenPort(port)
 * List<PeerStatus> status = tunnel.status();     // for `membersdns-agent status`
 * tunnel.close();                                // clean shutdown only; never on a move
 * }</pre>
 *
 * <ul>
 *   <li>{@link net.membersdns.agent.tunnel.KeyPair}, {@link net.membersdns.agent.tunnel.KeyFile},
 *       {@link net.membersdns.agent.tunnel.X25519}, {@link net.membersdns.agent.tunnel.WgKey}: the
 *       static key pair (RFC 7748 X25519 through the JDK), kept 0600 in the state directory, the
 *       public key published as TXT {@code wg=<base64>}.
 *   <li>{@link net.membersdns.agent.tunnel.EndpointChoice}: which endpoint of a peer to use, and
 *       why, in plain words ({@link net.membersdns.agent.tunnel.PathChoice}).
 *   <li>{@link net.membersdns.agent.tunnel.Tunnel}: open, reconcile, status, close. {@link
 *       net.membersdns.agent.tunnel.ReconcileResult} says what a reconcile wrote; {@link
 *       net.membersdns.agent.tunnel.PeerStatus} is one line of status ("direct" or "no path" and
 *       the reason).
 *   <li>{@link net.membersdns.agent.tunnel.WireGuardInterface}: finding, making and removing the
 *       interface (kernel link or wireguard-go child), including leftovers of a crashed run.
 *   <li>{@link net.membersdns.agent.tunnel.WireGuardDevice} with {@link
 *       net.membersdns.agent.tunnel.UapiDevice} and {@link
 *       net.membersdns.agent.tunnel.WgToolDevice}; the pure formats {@link
 *       net.membersdns.agent.tunnel.UapiCodec} and {@link net.membersdns.agent.tunnel.WgToolCodec}.
 * </ul>
 *
 * <p>Threads: {@code Tunnel} is thread-safe (synchronized); everything else is either immutable or
 * stateless, except {@code WireGuardInterface}, which its {@code Tunnel} owns. All I/O is blocking
 * and bounded by {@link net.membersdns.agent.tunnel.TunnelOptions#commandTimeout()}.
 *
 * <p>Namespaces: the interface, its address and routes live in the network namespace of the
 * process, but wireguard-go's socket directory {@code /var/run/wireguard} is shared by all
 * namespaces, so interface names must be unique on the machine.
 */
package net.membersdns.agent.tunnel;
