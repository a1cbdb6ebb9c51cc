/**
 * The PostgreSQL side of the zone store: the pool and migrations ({@link
 * net.membersdns.server.store.postgres.Database}), the read side the server loads from ({@link
 * net.membersdns.server.store.postgres.PostgresZoneStore}), and one DAO per table group whose
 * methods take the caller's {@link java.sql.Connection}, so that a writer composes them into ONE
 * transaction: records + zone serial/generation + journal row + NOTIFY (docs/architecture.md, Data
 * flow).
 *
 * <p>Everything here blocks on JDBC: call it from an executor bounded by the pool size, never from
 * a Netty event loop.
 */
package net.membersdns.server.store.postgres;
