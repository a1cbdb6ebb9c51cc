/**
 * Backup and restore of a members domain without PostgreSQL's tools: {@code export} writes the
 * records as an RFC 1035 master file and the keys (members', hosts', operators', with their grants)
 * as a keys file; {@code import} reads both back. Runs in the CLI process; blocks on JDBC.
 */
package net.membersdns.server.backup;
