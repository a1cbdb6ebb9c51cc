/**
 * The agent's DNS client: one DNS-over-TLS connection (RFC 7858) to the server, found by {@code
 * --server} or the {@code _dns-update-tls._tcp} SRV (RFC 6281 §4.2), verified strictly (chain and
 * name), carrying TSIG-signed (RFC 8945) updates, queries and LLQs, and the LLQ events the server
 * pushes on it. Blocking connects happen on the caller's thread; replies complete futures on the
 * connection's reader thread.
 */
package net.membersdns.agent.dns;
