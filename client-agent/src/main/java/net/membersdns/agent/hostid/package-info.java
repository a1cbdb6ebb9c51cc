/**
 * The host's lasting identity: its ULA (RFC 4193), made once, and the state directory that keeps it
 * (with the tunnel key, the port-mapping ledger and the status file) across restarts.
 */
package net.membersdns.agent.hostid;
