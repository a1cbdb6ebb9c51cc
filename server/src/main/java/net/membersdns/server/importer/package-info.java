/**
 * Bulk import of a members domain from an RFC 1035 master file (the way operators migrate from
 * BIND, Knot or NSD, and the way the benchmark loads the peers' data). Runs in the CLI process,
 * never in the server; blocks on JDBC throughout.
 */
package net.membersdns.server.importer;
