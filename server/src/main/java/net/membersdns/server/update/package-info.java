/**
 * RFC 2136 dynamic updates: the semantics as pure functions over an immutable {@link
 * net.membersdns.server.zone.ZoneData} (zone section check, prerequisites, permission from grants,
 * prescan, update lease policy of RFC 9664, the sequential all-or-nothing application yielding a
 * {@link net.membersdns.server.update.ChangeSet}), and the write path built on them.
 *
 * <p>Write path (design.md §2): one {@link net.membersdns.server.update.ZoneWriter} per zone with a
 * bounded queue; a drain takes everything queued, and the {@link
 * net.membersdns.server.update.ZoneCommitter} port runs ONE transaction in which the {@link
 * net.membersdns.server.update.BatchEvaluator} evaluates each job against the zone as the previous
 * one left it; then the writer publishes the new zone, emits the change, and completes each job.
 * The pure classes have no I/O and no shared state; the writers run on an executor sized to the
 * database pool, never on an event loop. Outcomes are sealed types ({@link
 * net.membersdns.server.update.Rejection} carries the rcode, {@link
 * net.membersdns.server.update.JobResult} what a queued job became); exceptions mean bugs or
 * infrastructure failures (SERVFAIL). Only live records count: a record whose lease has expired is
 * never seen by prerequisites or conflict rules, even before the reaper removes it.
 */
package net.membersdns.server.update;
