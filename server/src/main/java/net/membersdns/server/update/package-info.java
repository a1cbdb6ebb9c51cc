/**
 * RFC 2136 dynamic update semantics as pure functions over an immutable {@link
 * net.membersdns.server.zone.ZoneData}: zone section check, prerequisites, permission (grants),
 * prescan, update lease policy (RFC 9664) and the sequential, all-or-nothing application that
 * yields a {@link net.membersdns.server.update.ChangeSet} for the zone writer to commit.
 *
 * <p>No I/O and no shared state: the zone writer calls these on its own thread, in the order of RFC
 * 2136 §3 (see {@link net.membersdns.server.update.UpdateProcessor}), and commits the result in one
 * transaction. Outcomes are sealed types ({@link net.membersdns.server.update.Rejection} carries
 * the rcode); exceptions mean bugs. Only live records count: a record whose lease has expired is
 * never seen by prerequisites or conflict rules, even before the reaper removes it.
 */
package net.membersdns.server.update;
