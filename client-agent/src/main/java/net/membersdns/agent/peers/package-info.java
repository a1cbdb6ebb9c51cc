/**
 * The member's other hosts: who they are and where (PeerResolver: browse PTRs, then each host's SRV
 * → A, AAAA, TXT, RFC 6281 Figure 3), kept current with Long-Lived Queries over the TLS connection
 * (LlqClient, RFC 8764) or, while LLQ is unavailable, by polling (PeerWatch). Loop-confined except
 * the resolver's futures.
 */
package net.membersdns.agent.peers;
