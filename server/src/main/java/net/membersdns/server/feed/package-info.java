/**
 * The change feed: how a commit made by any process sharing the database reaches this process's
 * snapshot (docs/architecture.md, Replicas: the change feed). Writers send a PostgreSQL NOTIFY
 * (payload: the zone apex) inside their transaction; {@link net.membersdns.server.feed.ChangeFeed}
 * LISTENs on a dedicated connection and tells a {@link
 * net.membersdns.server.feed.ZoneChangeListener}, and a periodic sweep over zone generations
 * repairs anything a lost notification would have missed. {@link
 * net.membersdns.server.feed.SnapshotUpdater} is the listener that reloads zones into {@link
 * net.membersdns.server.zone.ServedZones} and replays the journal into {@link
 * net.membersdns.server.feed.ChangeEvents}, which hands each committed {@link
 * net.membersdns.server.feed.ZoneChange} to the {@link net.membersdns.server.feed.ZoneChangeSink}
 * exactly once, whether this process's writer or the feed saw it first. Keys notifications go to a
 * {@link net.membersdns.server.feed.KeyChangeListener}. The feed runs on its own thread; nothing
 * here runs on a Netty event loop.
 */
package net.membersdns.server.feed;
