/**
 * RFC 2136 dynamic updates: the semantics as pure functions over an immutable {@link
 * net.membersdns.server.zone.ZoneData} (zone section check, prerequisites, permission from grants,
 * prescan, update lease policy of RFC 9664, the sequential all-or-nothing application yielding a
 * {@link net.membersdns.server.update.ChangeSet}), and the write path built on them.
 *
 * <p>Write path (docs/architecture.md, Data flow: an update): one {@link
 * net.membersdns.server.update.ZoneWriter} queue per zone, bounded; {@link
 * net.membersdns.server.update.ZoneWriters} group-commits across zones: a committer takes
 * everything queued for each ready zone (up to a bound on zones and jobs), and the {@link
 * net.membersdns.server.update.ZoneCommitter} port runs ONE transaction for the group in which the
 * {@link net.membersdns.server.update.BatchEvaluator} evaluates each zone's jobs in order, each
 * against the zone as the previous one left it; then, zone by zone, the writer publishes the new
 * zone, emits the change, and completes each job. The pure classes have no I/O and no shared state;
 * the committers run on a few threads of their own (each holds one database connection during its
 * transaction), never on an event loop. Outcomes are sealed types ({@link
 * net.membersdns.server.update.Rejection} carries the rcode, {@link
 * net.membersdns.server.update.JobResult} what a queued job became); exceptions mean bugs or
 * infrastructure failures (SERVFAIL). Only live records count: a record whose lease has expired is
 * never seen by prerequisites or conflict rules, even before the reaper removes it.
 */
package net.membersdns.server.update;
