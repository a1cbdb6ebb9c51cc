/**
 * The change feed: how a commit made by any process sharing the database reaches this process's
 * snapshot (design.md §2, §3). Writers send a PostgreSQL NOTIFY (payload: the zone apex) inside
 * their transaction; {@link net.membersdns.server.feed.PgChangeFeed} LISTENs on a dedicated
 * connection and tells a {@link net.membersdns.server.feed.ZoneChangeListener}, and a periodic
 * sweep over zone generations repairs anything a lost notification would have missed. {@link
 * net.membersdns.server.feed.SnapshotUpdater} is the listener that reloads zones into {@link
 * net.membersdns.server.zone.ServedZones}. The feed runs on its own thread; nothing here runs on a
 * Netty event loop.
 */
package net.membersdns.server.feed;
