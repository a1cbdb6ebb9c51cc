/**
 * The membersdns host agent (design: docs/agent.md). A reconcile loop: inputs (timers, network
 * changes, NAT-PMP/PCP announcements, LLQ events) produce a desired state (port mapping, registered
 * records, tunnel peers) and only the difference is applied. A move between networks never replaces
 * the interface, the ULA or the keys, so connections between ULAs survive it.
 *
 * <p>Packages in data-flow order: {@code hostid} (ULA, state dir) → {@code netwatch} (gateway,
 * local address, change events) → {@code portmap} (PCP / NAT-PMP) → {@code register} (the record
 * set and its UPDATE) → {@code dns} (DNS-over-TLS client, TSIG) → {@code peers} (LLQ watch, peer
 * resolution) → {@code tunnel} (WireGuard) → {@code status}, {@code metrics}; {@code cli} wires
 * them. Never depends on the server module: what both sides agree on lives in the protocol module.
 */
package net.membersdns.agent;
