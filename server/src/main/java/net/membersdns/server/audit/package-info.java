/**
 * The audit trail: one line per accepted or refused UPDATE and per member, host or key change, on
 * the logger {@code net.membersdns.server.audit} (component {@code audit}), so it can be routed,
 * kept or silenced on its own. Lines name keys, zones, members and hosts; never a secret.
 */
package net.membersdns.server.audit;
