/**
 * Enrolment: making, listing and removing members (docs/architecture.md, Model; Keys and access).
 * Adding a member creates, in ONE transaction, the member, its zone {@code NAME.<domain>}, its TSIG
 * key {@code NAME.key.<domain>} (random, or derived from a password with PBKDF2), the grants that
 * let that key update and read exactly its own zone, a journal row and a NOTIFY, so running servers
 * serve the zone within a second. Called by the CLI and the bulk importer, never on a request path;
 * every method blocks on JDBC.
 */
package net.membersdns.server.member;
