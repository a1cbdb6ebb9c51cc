package net.membersdns.agent.peers;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * What the member zone says about another host (RFC 6281 §4.3 record set, resolved as Figure 3 of
 * RFC 6281 describes: SRV → A, AAAA, TXT), read over verified TLS from TSIG-signed answers only.
 *
 * @param host the host label
 * @param ula its ULA (the AAAA)
 * @param publicEndpoint the priority-0 SRV target's A and the SRV port: where the internet reaches
 *     it
 * @param lanEndpoint the priority-10 SRV target's A and port: its address behind its NAT
 * @param tunnelKey its WireGuard public key (base64) from {@code TXT "wg=..."}
 * @param natProblem why it has no public endpoint, from {@code TXT "nat=..."} (a diagnosis id)
 */
public record PeerRecords(
    String host,
    Inet6Address ula,
    Optional<InetSocketAddress> publicEndpoint,
    Optional<InetSocketAddress> lanEndpoint,
    Optional<String> tunnelKey,
    Optional<String> natProblem) {}
